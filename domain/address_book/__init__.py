"""The address book's persistence: contact points, confidence, learning, consent records."""
