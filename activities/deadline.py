"""Activities of the hearing deadline: the party's latest legal date, and the judge's warning."""

from __future__ import annotations

import time
from datetime import timedelta

import structlog
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.channels.sms.base import ProviderRejected, ProviderUnavailable, SmsMessage
from activities.channels.sms.failover import FailoverSms
from domain.crypto.keyring import is_sealed
from domain.pure.deadline_io import DeadlineFacts, DeadlineInput, DeadlineWarning
from domain.pure.deadlines import DEADLINE_RULE_VERSION, parse_window_days, window_rules
from domain.settings import Settings
from domain.store.case_dates import case_dates, odds_for, record_deadline, request_latest
from domain.store.stats import ChannelStat, channel_stats
from domain.tables.core import Court, ServiceRequest, ServiceTask, User, utcnow

STATS_REFRESH_SECONDS = 600.0

log = structlog.get_logger(__name__)


def deadline_text(court: str, case_number: str, party_ref: str, arg: DeadlineWarning) -> str:
    """Returns the judge's SMS: the case, the party's ref and the dates; no personal data."""
    projected = f"预计{arg.projected_on}送达" if arg.projected_on else "现有送达方式难以送达"
    return (
        f"【{court}】{case_number}当事人{party_ref}{projected}，晚于最迟送达日期{arg.latest_on}。"
        "可直接送达、补充联系方式或变更开庭日期。"
    )


class DeadlineActivities:
    """Reads the deadline for the workflow and warns the judge; clients injected."""

    def __init__(
        self, session_factory: sessionmaker[Session], sms: FailoverSms, settings: Settings
    ) -> None:
        self.session_factory = session_factory
        self.sms = sms
        self.settings = settings
        self._stats: list[ChannelStat] = []
        self._stats_at: float | None = None
        # A wrong SONGDA_SERVICE_WINDOW_DAYS stops the worker at start, naming the pair.
        self.rules = window_rules(parse_window_days(settings.service_window_days))

    def _channel_stats(self, session: Session) -> list[ChannelStat]:
        # The year's trail is read at most every few minutes, not for every party.
        now = time.monotonic()
        if self._stats_at is None or now - self._stats_at > STATS_REFRESH_SECONDS:
            self._stats = channel_stats(session, since=utcnow() - timedelta(days=365))
            self._stats_at = now
        return self._stats

    @activity.defn
    def assess_deadline(self, arg: DeadlineInput) -> DeadlineFacts:
        """Returns the party's latest legal service date and its channels' odds."""
        with self.session_factory() as session:
            facts = self.facts(session, session.get_one(ServiceTask, arg.task_id))
            session.commit()
        return facts

    def facts(self, session: Session, task: ServiceTask) -> DeadlineFacts:
        """Reads and records the task's latest legal date and odds, in the caller's transaction.

        The plan reads them with it (one activity, one transaction instead of two: issue 16);
        assess_deadline stays for workflows planned before and for a hearing that moved.
        """
        request = session.get_one(ServiceRequest, task.request_id)
        latest = request_latest(request, rules=self.rules)
        if latest is None:
            return DeadlineFacts()
        odds = odds_for(self._channel_stats(session), task.party.kind)
        record_deadline(session, task, latest, case_dates(request))
        return DeadlineFacts(
            latest.on.isoformat(), latest.rule, latest.article, latest.confirmed,
            DEADLINE_RULE_VERSION, odds,
        )  # fmt: skip

    def _judge(self, session: Session, request: ServiceRequest) -> str | None:
        judge = session.scalar(
            select(User).where(
                User.name == request.handler,
                User.role == "judge",
                User.court_code == request.court_code,
                User.disabled_at.is_(None),
            )
        )
        if judge is None or not judge.phone:
            return None
        return self.settings.key_ring.open(judge.phone) if is_sealed(judge.phone) else judge.phone

    @activity.defn
    def warn_deadline_risk(self, arg: DeadlineWarning) -> None:
        """Sends the handling judge an SMS that a party is projected past its deadline."""
        with self.session_factory() as session:
            task = session.get_one(ServiceTask, arg.task_id)
            request = session.get_one(ServiceRequest, task.request_id)
            phone = self._judge(session, request) if request.handler else None
            court = session.get(Court, request.court_code)
            text = deadline_text(
                court.name if court else request.court_code,
                request.case_number,
                task.party_ref,
                arg,
            )
        if phone is None:
            log.info("deadline.judge_sms_skipped", task_id=arg.task_id)
            return
        reference = f"deadline:{arg.task_id}:{arg.projected_on or 'none'}"
        try:
            self.sms.send(SmsMessage(to=phone, text=text, reference=reference))
        except ProviderRejected:
            log.warning("deadline.judge_sms_refused", task_id=arg.task_id)
        except ProviderUnavailable as error:
            raise ApplicationError("SMS gateway unavailable", type="JudgeSmsUnavailable") from error
