"""The audit log: writing an entry from a request, reading and verifying the chain."""
