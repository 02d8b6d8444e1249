"""Service requests: submission, validation, the idempotent start and its healer, views."""
