"""Operations: stuck tasks, metrics and the Temporal UI's codec endpoint."""
