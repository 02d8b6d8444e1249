"""Persistence helpers: the engine, the document store, the audit chain, portal publications,
statistics queries and contact look-ups."""
