"""The request's archive: reading and downloading it."""
