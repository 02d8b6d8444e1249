"""The simulated outside world: SMS gateway, e-mail, post office, notice board, telecom."""
