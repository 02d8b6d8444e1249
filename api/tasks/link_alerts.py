"""Links locked by failed identity checks: a timeline event on the task and an SMS to the
court's clerks, from the portal's `link_locked` receipts (the portal itself reaches nobody)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import httpx
import structlog
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from domain.settings import Settings
from domain.tables.core import (
    PortalPublication,
    PortalReceipt,
    ServiceRequest,
    ServiceTask,
    TimelineEvent,
    User,
    utcnow,
)

LINK_LOCKED = "link_locked"
REAL_SECONDS_PER_DAY = 86400.0

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Alert:
    """One SMS to send: to whom, what, and the reference that makes it once."""

    phone: str
    text: str
    reference: str


def alert_text(case_number: str) -> str:
    """Returns the clerks' SMS: the case number and what to do, never the party's data."""
    return (
        f"【送达中心】{case_number}的电子送达链接因身份核验多次失败已锁定，"
        "请核实是否有人冒用，并联系当事人另行送达。"
    )


def _record(session: Session, receipt: PortalReceipt, reference: str) -> list[Alert]:
    task = session.get(ServiceTask, reference.split(":", 1)[0])
    receipt.forwarded_at = utcnow()
    if task is None:
        return []
    request = session.get_one(ServiceRequest, task.request_id)
    last = session.scalar(
        select(func.max(TimelineEvent.seq)).where(TimelineEvent.task_id == task.id)
    )
    detail = {"scope": receipt.detail.get("scope"), "failures": receipt.detail.get("failures")}
    session.add(
        TimelineEvent(
            task_id=task.id, event_key=f"link-locked:{receipt.id}", seq=last or 0,
            at=receipt.at, step="electronic", kind=LINK_LOCKED, detail=detail,
        )
    )  # fmt: skip
    clerks = select(User).where(
        User.court_code == request.court_code, User.role == "clerk",
        User.disabled_at.is_(None), User.phone.is_not(None),
    )  # fmt: skip
    text = alert_text(request.case_number)
    return [
        Alert(str(user.phone), text, f"link-locked-{receipt.id}-{user.id}")
        for user in session.scalars(clerks)
    ]


def record_locked_links(factory: sessionmaker[Session], batch: int = 50) -> tuple[int, list[Alert]]:
    """Turns new `link_locked` receipts into timeline events (once); returns them and the SMS."""
    with factory() as session:
        query = (
            select(PortalReceipt, PortalPublication.reference)
            .join(PortalPublication, PortalPublication.id == PortalReceipt.publication_id)
            .where(PortalReceipt.kind == LINK_LOCKED, PortalReceipt.forwarded_at.is_(None))
            .order_by(PortalReceipt.at)
            .limit(batch)
            .with_for_update(of=PortalReceipt, skip_locked=True)
        )
        alerts: list[Alert] = []
        rows = session.execute(query).all()
        for receipt, reference in rows:
            alerts += _record(session, receipt, reference)
        session.commit()
    return len(rows), alerts


def _send(settings: Settings, alerts: list[Alert]) -> None:
    base = (settings.sms_http_url or settings.effective_sandbox_url).rstrip("/")
    with httpx.Client(timeout=10.0) as http:
        for alert in alerts:
            body = {"to": alert.phone, "text": alert.text, "flash": False}
            body |= {"reference": alert.reference, "seconds_per_day": REAL_SECONDS_PER_DAY}
            try:
                http.post(f"{base}/gateway/sms", json=body).raise_for_status()
            except httpx.HTTPError as error:
                log.warning("portal.lock_alert_failed", error=type(error).__name__)


async def alert_locked_links(factory: sessionmaker[Session], settings: Settings) -> int:
    """Records new locks on their timelines and texts the clerks; returns how many locks."""
    locks, alerts = await run_in_threadpool(record_locked_links, factory)
    if alerts:
        await run_in_threadpool(_send, settings, alerts)
    return locks


async def alert_forever(
    factory: sessionmaker[Session], settings: Settings, interval: float = 2.0
) -> None:
    """Watches for locked links until cancelled; never dies of an error."""
    while True:
        try:
            await alert_locked_links(factory, settings)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a database hiccup must not stop the alerts for good
            log.error("portal.lock_alerts_failed", error=type(exc).__name__)
        await asyncio.sleep(interval)
