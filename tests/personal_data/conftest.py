"""Fixtures for the personal-data tests: key rings, PostgreSQL databases, the API's fixtures."""

from __future__ import annotations

import base64
import os
import uuid
from collections.abc import Iterator

import psycopg
import pytest

from domain.crypto.keyring import KeyRing
from tests.api.conftest import client, db, engine, settings  # noqa: F401 - fixtures reused

PG_ADMIN = os.environ.get("SONGDA_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def key(byte: int) -> str:
    """Returns a base64 data key of 32 equal bytes."""
    return base64.b64encode(bytes([byte]) * 32).decode()


def ring_of(spec: str, suite: str = "aes") -> KeyRing:
    """Returns a ring from a key spec with the test index key."""
    return KeyRing.from_spec(spec, "test-index-key", suite)


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database, dropped afterwards."""
    name = f"songda_pd_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    yield f"{base}/{name}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
