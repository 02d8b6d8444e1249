"""The request's service deadline in API answers: the latest date, its rule, parties at risk."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.pure.deadlines import Latest
from domain.store.case_dates import request_deadline
from domain.tables.core import ServiceRequest, ServiceTask, TimelineEvent

OPEN = ("pending", "serving", "waiting_human", "stuck")


class DeadlineOut(BaseModel):
    """The latest legal service date the request's documents and dates allow."""

    latest_on: date
    rule: str  # complaint_copy | hearing_notice | answer_period | judgment
    article: str
    rule_version: str
    confirmed: bool  # false while a year it touches has no holiday data
    at_risk: list[str]  # refs of open parties warned deadline_risk


def deadline_out(session: Session, request: ServiceRequest) -> DeadlineOut | None:
    """Returns the request's deadline, or None when it gave no case dates."""
    latest = request_deadline(session, request)
    if latest is None:
        return None
    warned = session.scalars(
        select(ServiceTask.party_ref)
        .join(TimelineEvent, TimelineEvent.task_id == ServiceTask.id)
        .where(
            ServiceTask.request_id == request.id,
            ServiceTask.status.in_(OPEN),
            TimelineEvent.kind == "deadline_risk",
        )
        .distinct()
    )
    return deadline_body(latest, at_risk=sorted(warned))


def deadline_body(latest: Latest, *, at_risk: list[str]) -> DeadlineOut:
    """Returns the deadline's answer from the latest date and the parties warned at risk."""
    return DeadlineOut(
        latest_on=latest.on,
        rule=latest.rule,
        article=latest.article,
        rule_version=latest.rule_version,
        confirmed=latest.confirmed,
        at_risk=at_risk,
    )
