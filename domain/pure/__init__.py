"""The pure contracts and rules the workflows use: no I/O, no clocks, no randomness.

This is the only part of songda passed through the workflow sandbox; tests/architecture proves
it imports nothing with side effects."""
