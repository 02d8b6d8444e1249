"""The legal record's tables. Importing this package registers every table on `Base.metadata`.

Each table module imports only `domain.tables.core` (the base and the request's own tables), so
the package holds no import circle; this file is the one place that lists them all, for the app,
the worker, Alembic and the tests.
"""

from domain.tables import archive, calendar, core, limits, ops, party_index, people, trust

__all__ = ["archive", "calendar", "core", "limits", "ops", "party_index", "people", "trust"]
