"""Sealing personal data: the key ring, sealed column types, rotation, webhook signatures."""
