"""What the workflow sandbox passes through is proven pure, in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.architecture.imports import ROOT, source_files
from workflows.sandbox import PASSTHROUGH

# Modules with I/O, clocks or randomness that nothing passed through may pull in.
FORBIDDEN = ("sqlalchemy", "psycopg", "httpx", "cryptography", "structlog", "domain.crypto",
             "domain.tables", "domain.store", "domain.settings", "domain.address_book")  # fmt: skip
PURE = sorted(name for name, _ in source_files() if any(name.startswith(p) for p in PASSTHROUGH))
PROBE = """
import importlib, json, sys
importlib.import_module(sys.argv[1])
print(json.dumps(sorted(sys.modules)))
"""


def _loaded_by(module: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, module], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded: list[str] = json.loads(done.stdout)
    return loaded


def test_the_passthrough_set_is_songdas_pure_package() -> None:
    """Only domain.pure (and the calendar's data) passes through, and it has modules."""
    assert set(PASSTHROUGH) == {"domain.pure", "chinese_calendar"}
    assert len(PURE) > 10


@pytest.mark.parametrize("module", PURE)
def test_passed_through_module_pulls_in_no_io(module: str) -> None:
    """Importing a passed-through module loads no database, HTTP, crypto or logging module."""
    loaded = _loaded_by(module)
    assert [m for m in loaded if m.startswith(FORBIDDEN)] == []


def test_the_probe_can_fail() -> None:
    """The probe sees SQLAlchemy when a module does pull it in."""
    assert any(m.startswith("sqlalchemy") for m in _loaded_by("domain.tables.core"))


@pytest.mark.parametrize("module", PURE)
def test_pure_module_calls_no_clock_or_randomness(module: str) -> None:
    """No passed-through module reads the wall clock, the environment or randomness."""
    path = dict(source_files())[module]
    text = path.read_text(encoding="utf-8")
    calls = ("datetime.now(", "date.today(", ".today(", "time.time(", "os.urandom(",
             "random.", "os.environ", "getenv(", "open(")  # fmt: skip
    assert [c for c in calls if c in text] == []
