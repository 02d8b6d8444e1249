"""The virtual phone line: click-to-call, recordings fetched after the call, the call script."""
