"""Activities that write the legal record: plans, timeline events, task and request state."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity

from activities.trail_audit import audit_progress, audit_request_outcome
from domain.address_book.book import (
    consent_on_record,
    known_contacts,
    learn_from_task,
    remember_submitted,
    resolve_identity,
)
from domain.crypto.keyring import KeyRing
from domain.pure.activity_io import ContactsInput, PlanInput, ProgressInput, RequestOutcomeInput
from domain.pure.deadline_io import DeadlineFacts
from domain.pure.ladder import Contact, Plan, WorkOrderPolicy
from domain.pure.plan import PartyFacts, make_plan
from domain.pure.plan_contacts import covered_detail
from domain.pure.rules import NoticeSettings
from domain.store.calendar_store import administered_years
from domain.store.contacts import describe, plan_marks, repaired_numbers
from domain.store.stats import ChannelStat, channel_stats, stats_hint
from domain.tables.core import ServiceRequest, ServiceTask, TimelineEvent, utcnow

STATS_REFRESH_SECONDS = 600.0

# Trail events after which the address book learns from the task's attempts.
LEARNING_KINDS = frozenset({"finished", "step_failed"})


class TrailActivities:
    """Writes the trail; each write is idempotent by its event key."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        ring: KeyRing,
        notice: NoticeSettings | None = None,
        deadlines: Callable[[Session, ServiceTask], DeadlineFacts] | None = None,
        work_orders: WorkOrderPolicy | None = None,
    ) -> None:
        self.session_factory = session_factory
        # The hearing deadline's facts, read with the plan (DeadlineActivities.facts).
        self.deadlines = deadlines
        self.work_orders = work_orders  # the centre's timing of work orders (settings)
        self.ring = ring  # seals and finds the address book's values
        self.notice = notice or NoticeSettings()  # the court's notice periods (settings)
        self._stats: list[ChannelStat] = []
        self._stats_at: float | None = None

    @activity.defn
    def plan_service(self, arg: PlanInput) -> Plan:
        """Chooses the party's plan and records it as the task's first timeline event."""
        with self.session_factory() as session:
            task = session.get_one(ServiceTask, arg.task_id)
            facts = self._facts(session, task, datetime.fromisoformat(arg.at))
            plan = make_plan(facts, arg.clock)
            # The administered years ride with the plan: no extra activity on the common path.
            this_year = date.fromisoformat(arg.legal_date).year
            years = administered_years(session, (this_year, this_year + 1))
            deadline = self.deadlines(session, task) if self.deadlines else None
            plan = replace(
                plan, calendar_years=years, deadline=deadline, work_order_policy=self.work_orders
            )
            detail = {
                "rule_version": plan.rule_version,
                "steps": [
                    {
                        "step": r.step,
                        "reason": r.reason,
                        "wait_days": r.wait_days,
                        "contacts": [c.label for c in r.contacts],
                    }
                    for r in plan.rungs
                ],
                "skipped": plan.skipped,
                "repair_first": plan.repair,
                # Each consented or confirmed contact with its evidence and scope (issue 12, 6).
                "covered": covered_detail(facts),
            }
            _add_event(
                session,
                task,
                f"{arg.workflow_id}:plan:{activity.info().workflow_run_id}",
                0,
                arg.at,
                arg.legal_date,
                None,
                "plan",
                detail,
            )
            task.status = "serving"
            session.commit()
        return plan

    def _facts(self, session: Session, task: ServiceTask, seen_at: datetime) -> PartyFacts:
        """Gathers what the plan needs: the request, the party and the address book's history."""
        request = session.get_one(ServiceRequest, task.request_id)
        party = task.party
        resolve_identity(session, ring=self.ring, party=party, now=seen_at)
        remember_submitted(
            session, ring=self.ring, party=party, case_number=request.case_number, now=seen_at
        )
        return PartyFacts(
            kind=party.kind,
            procedure=request.procedure,
            document_kinds=tuple(d.kind for d in request.documents),
            consent_electronic=party.consent_electronic,
            address_confirmed=party.address_confirmed,
            phones=tuple(party.phones),
            emails=tuple(party.emails),
            addresses=tuple(str(a["text"]) for a in party.addresses),
            repaired_phones=tuple(repaired_numbers(party, self.ring)),
            has_id_number=bool(party.id_number),
            foreign=party.foreign,
            residence=party.residence,
            notice=self.notice,
            known=known_contacts(session, ring=self.ring, party=party, now=seen_at),
            consent_on_record=consent_on_record(session, ring=self.ring, party=party),
            covered=plan_marks(party),
            success_rates=self._success_rates(session, party.kind),
        )

    def _success_rates(self, session: Session, kind: str) -> dict[str, float]:
        # The whole year's trail is read at most every few minutes, not for every plan.
        now = time.monotonic()
        if self._stats_at is None or now - self._stats_at > STATS_REFRESH_SECONDS:
            self._stats = channel_stats(session, since=utcnow() - timedelta(days=365))
            self._stats_at = now
        return stats_hint(self._stats, kind)

    @activity.defn
    def record_progress(self, arg: ProgressInput) -> None:
        """Adds a timeline event and applies the task's new state, once."""
        with self.session_factory() as session:
            task = session.get_one(ServiceTask, arg.task_id)
            if not _add_event(
                session,
                task,
                arg.event_key,
                arg.seq,
                arg.at,
                arg.legal_date,
                arg.step or None,
                arg.kind,
                dict(arg.detail),
            ):
                return
            audit_progress(session, task, arg)  # before the task changes: it compares
            _apply_progress(task, arg)
            if arg.kind in LEARNING_KINDS:
                # Same transaction as the event: the book counts each attempt once, with it.
                learn_from_task(
                    session, ring=self.ring, task=task, now=datetime.fromisoformat(arg.at)
                )
            try:
                session.commit()
            except IntegrityError:
                # The same event committed by an earlier try of this activity: already done.
                session.rollback()

    @activity.defn
    def record_request_outcome(self, arg: RequestOutcomeInput) -> None:
        """Marks the request completed or cancelled."""
        with self.session_factory() as session:
            # Held until commit: a second try of this local activity (a worker that died, a
            # workflow task that timed out) may overlap the first; it waits, then finds the
            # request ended and audits nothing.
            request = session.get_one(ServiceRequest, arg.request_id, with_for_update=True)
            audit_request_outcome(session, request, arg.status)
            request.status = arg.status
            request.completed_at = request.completed_at or utcnow()
            session.commit()

    @activity.defn
    def load_contacts(self, arg: ContactsInput) -> list[Contact]:
        """Returns masked contacts of the party, for rungs added after the plan."""
        with self.session_factory() as session:
            party = session.get_one(ServiceTask, arg.task_id).party
            return [
                # Each contact by its own consent or confirmation: a number added later is
                # not covered by the request's (issue 12, item 6).
                *describe(party, "phone", arg.phones, own_marks=True),
                *describe(party, "email", arg.emails, own_marks=True),
                *describe(party, "address", arg.addresses, arg.confirmed_addresses, own_marks=True),
            ]


def _add_event(
    session: Session,
    task: ServiceTask,
    key: str,
    seq: int,
    at: str,
    legal: str,
    step: str | None,
    kind: str,
    detail: dict[str, object],
) -> bool:
    exists = session.scalar(select(TimelineEvent.id).where(TimelineEvent.event_key == key))
    if exists:
        return False
    session.add(
        TimelineEvent(
            task_id=task.id,
            event_key=key,
            seq=seq,
            at=datetime.fromisoformat(at),
            legal_date=date.fromisoformat(legal) if legal else None,
            step=step,
            kind=kind,
            detail=detail,
        )
    )
    return True


def _apply_progress(task: ServiceTask, arg: ProgressInput) -> None:
    if arg.step and arg.step != task.step:
        task.step = arg.step
        task.step_since = datetime.fromisoformat(arg.at)
    if arg.status:
        task.status = arg.status
    if arg.method:
        task.method = arg.method
    if arg.served_on:
        task.served_on = date.fromisoformat(arg.served_on)
    if arg.reason:
        task.reason = arg.reason
    if arg.count_attempt:
        task.attempts += 1
    task.updated_at = utcnow()
