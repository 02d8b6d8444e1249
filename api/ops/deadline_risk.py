"""Open tasks projected past their latest legal service date: the stuck list's deadline_risk."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.tables.core import ServiceTask, TimelineEvent


def deadline_risks(
    session: Session, open_statuses: Iterable[str]
) -> list[tuple[ServiceTask, str, datetime]]:
    """Returns each open task whose last deadline_risk warning stands, with why and since."""
    latest = (
        select(TimelineEvent.task_id, func.max(TimelineEvent.seq).label("seq"))
        .where(TimelineEvent.kind == "deadline_risk")
        .group_by(TimelineEvent.task_id)
        .subquery()
    )
    rows = session.execute(
        select(ServiceTask, TimelineEvent)
        .join(latest, latest.c.task_id == ServiceTask.id)
        .join(
            TimelineEvent,
            (TimelineEvent.task_id == latest.c.task_id) & (TimelineEvent.seq == latest.c.seq),
        )
        .where(ServiceTask.status.in_(list(open_statuses)), TimelineEvent.kind == "deadline_risk")
    )
    items = []
    for task, event in rows:
        detail = event.detail
        projected = detail.get("projected_on") or "never by the ladder left"
        reason = (
            f"projected {projected}, past the latest legal date {detail.get('latest_on')} "
            f"({detail.get('article', '')})"
        )
        since = event.at if event.at.tzinfo else event.at.replace(tzinfo=UTC)
        items.append((task, reason, since))
    return items
