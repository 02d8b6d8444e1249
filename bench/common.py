"""What the benchmarks share: a fresh stack on PostgreSQL, tokens, request bodies, the report."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from domain.settings import Settings  # noqa: E402
from launcher import Stack  # noqa: E402
from tests.databases import fresh_database  # noqa: E402
from tests.e2e.support import local_settings, pdf_base64  # noqa: E402


def bench_settings(database_url: str, state: Path) -> Settings:
    """Returns settings for a stack on free ports, with accelerated clocks allowed."""
    return local_settings(
        database_url,
        state,
        SONGDA_LOG_LEVEL="WARNING",
        SONGDA_ENV="development",  # the development keys and secrets are refused otherwise
    )


@contextmanager
def running_stack(children: tuple[str, ...] | None = None) -> Iterator[Stack]:
    """Yields a started stack on a fresh database under a temporary state folder."""
    state = Path(os.environ.get("TMPDIR", "/tmp")) / f"songda-bench-{uuid.uuid4().hex[:8]}"
    with fresh_database("postgresql") as url:
        settings = bench_settings(url, state)
        stack = Stack(settings, headless=True, **({"children": children} if children else {}))
        try:
            stack.start(timeout=120)
            yield stack
        finally:
            stack.stop()


def cli(stack: Stack, *args: str) -> str:
    """Runs `songda ARGS` against the stack and returns what it printed."""
    done = subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        env=stack.env, cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode:
        raise RuntimeError(f"songda {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout


def case_system_token(stack: Stack, name: str = "bench-case-system") -> str:
    """Creates a case-system account of court J12 and returns its token."""
    cli(stack, "user", "add", name, "--role", "case_system", "--court", "J12")
    return cli(stack, "token", "create", name).strip().splitlines()[-1]


def request_body(
    external_id: str, parties: list[dict[str, Any]], clock: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Returns a service request for court J12 with the example summons."""
    return {
        "external_id": external_id,
        "court": {"code": "J12", "name": "天津市河西区人民法院"},
        "case": {"number": "(2026)津0103民初1234号", "cause": "民间借贷纠纷",
                 "procedure": "ordinary", "handler": "judge-zhang"},
        "documents": [{"kind": "summons", "title": "传票", "media_type": "application/pdf",
                       "content_base64": SUMMONS}],
        "parties": parties,
        "plan": {"clock": clock or {"mode": "real"}},
    }  # fmt: skip


SUMMONS = pdf_base64()


def mail_party(ref: str = "P1") -> dict[str, Any]:
    """A company served by mail on a real clock: it waits days for the post, doing nothing.

    A company, not a person: a person without a phone would first wait for the telecom
    operators' repair queries, which are rate-limited on purpose.
    """
    return {
        "ref": ref,
        "name": "天津某某贸易有限公司",
        "kind": "organization",
        "role": "defendant",
        "credit_code": "91110105MA01ABCD5F",
        "addresses": [{"text": "天津市河西区友谊路1号", "postcode": "300000"}],
    }


def wait_until(check: Callable[[], bool], timeout: float, every: float = 0.5) -> float:
    """Polls check until it holds; returns the seconds waited, raises on timeout."""
    start = time.monotonic()
    while not check():
        if time.monotonic() - start > timeout:
            raise TimeoutError(f"not done after {timeout:.0f} s")
        time.sleep(every)
    return time.monotonic() - start


def sql_count(stack: Stack, query: str) -> int:
    """Runs a COUNT query on the stack's database."""
    url = stack.settings.effective_database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url) as conn:
        row = conn.execute(query).fetchone()
    return int(row[0]) if row else 0


def sql_rows(stack: Stack, query: str) -> list[tuple[Any, ...]]:
    """Runs a query on the stack's database and returns its rows."""
    url = stack.settings.effective_database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url) as conn:
        return list(conn.execute(query).fetchall())


def cpu_seconds(pid: int) -> float:
    """Returns the CPU time a process has used so far (user + system)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return round((int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"), 1)


def stack_cpu(stack: Stack) -> dict[str, float]:
    """Returns the CPU seconds each process of the stack has used."""
    usage = {name: cpu_seconds(proc.pid) for name, proc in stack.procs.items()}
    if stack.temporal is not None:
        usage["temporal"] = cpu_seconds(stack.temporal.pid)
    return usage


def machine() -> dict[str, Any]:
    """Describes the machine the figures were taken on."""
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        lines = [ln for ln in cpuinfo.read_text().splitlines() if ln.startswith("model name")]
        model = lines[0].split(":", 1)[1].strip() if lines else ""
    return {"cpus": os.cpu_count(), "cpu": model, "python": platform.python_version()}


def report(name: str, rows: list[tuple[str, Any]], figures: dict[str, Any]) -> None:
    """Prints a table of the figures and one JSON line for machines."""
    width = max(len(label) for label, _ in rows)
    print(f"\n{name}")
    print("-" * (width + 24))
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
    print(json.dumps({"bench": name, **figures, "machine": machine()}, ensure_ascii=False))
