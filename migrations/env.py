"""Alembic environment: songda's settings give the URL, domain.tables.core the target schema."""

from __future__ import annotations

from logging.config import fileConfig
from pathlib import Path

from alembic import context
from sqlalchemy import Connection
from sqlalchemy.engine import make_url

from domain.settings import get_settings
from domain.store.db import make_engine
from domain.tables.core import Base

config = context.config
target_metadata = Base.metadata

# Programmatic callers (the launcher, the tests) configure logging themselves.
if config.config_file_name is not None and not config.attributes.get("skip_logging"):
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def database_url() -> str:
    """Returns the URL set on the config by a caller, else the one from the settings."""
    return config.get_main_option("sqlalchemy.url") or get_settings().effective_database_url


def ensure_sqlite_folder(url: str) -> None:
    """Creates the folder of a SQLite database file (the state folder) if missing."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


def configure(connection: Connection | None = None, url: str | None = None) -> None:
    """Configures the migration context; SQLite needs batch mode to alter tables."""
    if connection is not None:
        dialect = connection.dialect.name
    else:
        dialect = make_url(url or "").get_backend_name()
    context.configure(
        connection=connection,
        url=url,
        target_metadata=target_metadata,
        render_as_batch=dialect == "sqlite",
        compare_type=True,
        literal_binds=connection is None,
    )


def run_migrations_offline() -> None:
    """Emits the SQL for `alembic upgrade --sql` without a database."""
    configure(url=database_url())
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Runs the migrations on a live connection (given by the caller, or made here)."""
    given = config.attributes.get("connection")
    if given is not None:
        _run_on(given)
        return
    url = database_url()
    ensure_sqlite_folder(url)
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                # SQLite alters a table by copying it; with foreign keys enforced, dropping the
                # old copy fails once rows refer to it. The pragma only works outside a
                # transaction, so it is set before the migration's transaction begins.
                connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
                connection.commit()
            _run_on(connection)
    finally:
        engine.dispose()


def _run_on(connection: Connection) -> None:
    configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
