"""The system administrator's users and the security administrator's policies."""
