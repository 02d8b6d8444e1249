"""SMS providers behind one interface: the sandbox, an HTTP gateway, and SMPP."""
