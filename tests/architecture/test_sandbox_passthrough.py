"""What the workflow sandbox passes through is proven pure, in a fresh interpreter."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys

import pytest

from tests.architecture.imports import ROOT, source_files
from workflows.sandbox import LADDER, PASSTHROUGH, PURE_DOMAIN

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
    """Only domain.pure, the calendar's data and the workflows pass through."""
    assert set(PURE_DOMAIN) == {"domain.pure", "chinese_calendar"}
    assert set(LADDER) == {"workflows"}
    assert set(PASSTHROUGH) == {*PURE_DOMAIN, *LADDER}
    assert {"workflows.party", "workflows.request", "workflows.rungs"} <= set(PURE)


@pytest.mark.parametrize("module", PURE)
def test_passed_through_module_keeps_no_global_state(module: str) -> None:
    """One import serves every run: no passed-through module rebinds its globals at run time."""
    tree = ast.parse(dict(source_files())[module].read_text(encoding="utf-8"))
    rebinds = [
        node.lineno for node in ast.walk(tree) if isinstance(node, ast.Global | ast.Nonlocal)
    ]
    assert rebinds == []


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
    found = [c for c in calls if c in text and c != "open("]
    # The builtin open, not a method ending in it (the ladder's `_still_open(`).
    found += ["open("] if re.search(r"(?<!\w)open\(", text) else []
    assert found == []
