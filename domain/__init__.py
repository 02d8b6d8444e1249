"""The model shared by all of songda: tables, settings, identity checks, calendar."""
