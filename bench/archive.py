"""bench.archive: the CPU one request's archive costs the worker (issue 16).

Seeds N finished requests of one served electronic party each on a fresh PostgreSQL database
(migrated as `make run` migrates), then runs the real `build_archive` activity once per request
and prints the CPU milliseconds (time.process_time) an archive takes, broken down into reading
the facts, the PDFs, the rest of the pack (timelines, manifest, zip), the court seal and the
rest (storing, audit entry, commit), and the SQL statements one archive sends.

    .venv/bin/python -m bench.archive --archives 40
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from alembic import command
from sqlalchemy import event
from sqlalchemy.orm import Session

import activities.archive as archive_module
import activities.archive_pack as pack_module
from activities.archive import ArchiveActivities
from bench.common import ROOT, report
from domain.crypto.sealed_types import install_ring
from domain.logs import configure_logging
from domain.pure.archive_io import ArchiveInput
from domain.settings import Settings
from domain.store.db import make_engine, make_session_factory
from domain.store.documents import DocumentStore
from domain.tables.core import (
    Attempt,
    Court,
    Document,
    Party,
    ServiceRequest,
    ServiceTask,
    TimelineEvent,
    User,
)
from tests.databases import fresh_database
from tests.integration.test_migrations import alembic_config

SUMMONS = (ROOT / "examples" / "summons.pdf").read_bytes()
AT = datetime(2026, 11, 2, 8, 30, tzinfo=UTC)


def _timeline(task: ServiceTask) -> list[TimelineEvent]:
    """An electronic party's trail as the workflow records it: plan, send, report, served."""
    plan = {
        "rule_version": "2026.11",
        "steps": [
            {"step": "electronic", "reason": "consented to electronic service"},
            {"step": "phone", "reason": "mobile number on file"},
            {"step": "mail", "reason": "address on file"},
        ],
        "covered": [
            {"contact": "138****0002", "covers": "consent",
             "words": "电子诉讼平台账户（本院全部案件）"},
        ],
    }  # fmt: skip
    details: list[tuple[str, str | None, dict[str, Any]]] = [
        ("plan", None, plan),
        ("step_started", "electronic", {"channel": "sms"}),
        ("attempt_sent", "electronic", {"channel": "sms", "target": "138****0002"}),
        ("delivery_report", "electronic", {"status": "delivered", "provider": "sandbox"}),
        ("portal_opened", "electronic", {"at": AT.isoformat()}),
        ("finished", "electronic", {"status": "served", "rule": "electronic_reached"}),
    ]
    return [
        TimelineEvent(
            task_id=task.id,
            event_key=f"{task.workflow_id}:{seq}",
            seq=seq,
            at=AT + timedelta(minutes=seq),
            legal_date=date(2026, 11, 2),
            step=step,
            kind=kind,
            detail=detail,
        )  # fmt: skip
        for seq, (kind, step, detail) in enumerate(details)
    ]


def seed(session: Session, store: DocumentStore, count: int) -> list[str]:
    """Seeds count finished requests of one served electronic party each; returns their ids."""
    session.add(Court(code="J12", name="天津市河西区人民法院"))
    session.add(User(id="u-case", name="bench-case-system", role="case_system", court_code="J12"))
    session.flush()
    digest = store.put(SUMMONS)
    ids = []
    for n in range(count):
        rid = f"bench-{n:05d}"
        session.add(
            ServiceRequest(
                id=rid, client_id="u-case", external_id=f"HX-{n}", court_code="J12",
                case_number=f"（2026）津0103民初{1000 + n}号", cause="民间借贷纠纷",
                procedure="ordinary", handler="judge-zhang", callback_url=None,
                status="completed", completed_at=AT,
            )
        )  # fmt: skip
        session.flush()
        session.add(Document(request_id=rid, position=0, kind="summons", title="传票",
                             media_type="application/pdf", sha256=digest,
                             bytes=len(SUMMONS)))  # fmt: skip
        party = Party(
            id=f"{rid}-p", request_id=rid, position=0, ref="P1", name="张三", kind="person",
            role="defendant", id_number="11010119950612101X", phones=["13800000002"],
            addresses=[{"text": "天津市河西区友谊路1号"}],
        )  # fmt: skip
        task = ServiceTask(
            id=f"{rid}-t", request_id=rid, party_id=party.id, position=0, party_ref="P1",
            workflow_id=f"svc-{rid}-P1", status="served", method="electronic",
            served_on=date(2026, 11, 2), attempts=1,
        )  # fmt: skip
        session.add_all([party, task])
        session.flush()
        session.add_all(_timeline(task))
        session.add(
            Attempt(task_id=task.id, step="electronic", channel="sms", target_label="138****0002",
                    idempotency_key=f"k-{rid}", provider="sandbox", status="delivered",
                    provider_reference=f"m-{n}")
        )  # fmt: skip
        ids.append(rid)
    session.commit()
    return ids


class Meter:
    """CPU seconds spent in named parts, measured by wrapping the functions that do them."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}
        self._undo: list[Callable[[], None]] = []

    def wrap(self, owner: Any, name: str, part: str) -> None:
        """Replaces owner.name by a wrapper adding its CPU time to part (nested parts not
        subtracted: the breakdown subtracts them itself)."""
        original = getattr(owner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                self.spent[part] = self.spent.get(part, 0.0) + time.process_time() - start

        setattr(owner, name, timed)
        self._undo.append(lambda: setattr(owner, name, original))

    def reset(self) -> None:
        self.spent.clear()


@contextmanager
def metered(activities: ArchiveActivities) -> Iterator[Meter]:
    """Yields a meter on the archive's parts: facts, PDFs, pack, seal (sealing and signing)."""
    meter = Meter()
    meter.wrap(archive_module, "gather", "facts")
    meter.wrap(pack_module, "report_pdf", "pdfs")
    meter.wrap(pack_module, "proof_pdf", "pdfs")
    meter.wrap(archive_module, "pack", "pack")
    meter.wrap(activities, "_sealing", "sealing")
    meter.wrap(activities.seals, "sign_manifest", "sign")
    try:
        yield meter
    finally:
        for undo in reversed(meter._undo):
            undo()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--archives", type=int, default=40, help="archives built and measured")
    parser.add_argument("--warm-up", type=int, default=3, help="archives built first, unmeasured")
    args = parser.parse_args()
    state = Path(os.environ.get("TMPDIR", "/tmp")) / f"songda-bench-{uuid.uuid4().hex[:8]}"
    with fresh_database("postgresql") as url:
        settings = Settings(
            SONGDA_STATE_DIR=state, DATABASE_URL=url, SONGDA_LOG_LEVEL="WARNING",
            SONGDA_ENV="development",
        )  # fmt: skip
        configure_logging(settings.log_level)  # as the worker does
        install_ring(settings.key_ring)
        command.upgrade(alembic_config(settings.effective_database_url), "head")
        engine = make_engine(settings.effective_database_url)
        sessions = make_session_factory(engine)
        store = DocumentStore(settings.document_dir)
        with sessions() as session:
            ids = seed(session, store, args.warm_up + args.archives)
        activities = ArchiveActivities(sessions, store, settings)
        statements: list[int] = []
        counting = [False]

        def count(*_args: Any) -> None:
            if counting[0]:
                statements[-1] += 1

        event.listen(engine, "before_cursor_execute", count)
        for rid in ids[: args.warm_up]:
            activities.build_archive(ArchiveInput(rid, f"sr-{rid}"))
        totals: list[float] = []
        parts: dict[str, float] = {}
        with metered(activities) as meter:
            for rid in ids[args.warm_up :]:
                meter.reset()
                statements.append(0)
                counting[0] = True
                start = time.process_time()
                result = activities.build_archive(ArchiveInput(rid, f"sr-{rid}"))
                totals.append(time.process_time() - start)
                counting[0] = False
                assert result.bytes > 0
                for part, spent in meter.spent.items():
                    parts[part] = parts.get(part, 0.0) + spent
        engine.dispose()
    n = len(totals)
    ms = {part: round(spent / n * 1000, 2) for part, spent in parts.items()}
    breakdown = {
        "facts_ms": ms.get("facts", 0.0),
        "pdfs_ms": ms.get("pdfs", 0.0),
        "pack_rest_ms": round(ms.get("pack", 0.0) - ms.get("pdfs", 0.0) - ms.get("sign", 0.0), 2),
        "seal_ms": round(ms.get("sealing", 0.0) + ms.get("sign", 0.0), 2),
    }
    mean = statistics.fmean(totals) * 1000
    breakdown["store_audit_commit_ms"] = round(
        mean - breakdown["facts_ms"] - ms.get("pack", 0.0) - ms.get("sealing", 0.0), 2
    )
    figures: dict[str, Any] = {
        "archives": n,
        "cpu_ms_per_archive": round(mean, 2),
        "cpu_ms_median": round(statistics.median(totals) * 1000, 2),
        **breakdown,
        "statements_per_archive": max(statements),
    }
    rows = [
        ("archives built (one served electronic party)", n),
        ("CPU ms per archive (mean)", figures["cpu_ms_per_archive"]),
        ("CPU ms per archive (median)", figures["cpu_ms_median"]),
        ("  reading the facts (DB)", breakdown["facts_ms"]),
        ("  PDFs (report and proof)", breakdown["pdfs_ms"]),
        ("  rest of the pack (timelines, manifest, zip)", breakdown["pack_rest_ms"]),
        ("  court seal (key, chain head, signature)", breakdown["seal_ms"]),
        ("  store, audit entry, notes, commit", breakdown["store_audit_commit_ms"]),
        ("SQL statements per archive", figures["statements_per_archive"]),
    ]
    report("archive", rows, figures)


if __name__ == "__main__":
    main()
