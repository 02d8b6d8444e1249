"""Hand-back activities: the signed callback to the case system and the judge's SMS."""

from __future__ import annotations

import json

import httpx
import structlog
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.archive import archive_url, note_on_tasks
from activities.channels.sms.base import ProviderRejected, ProviderUnavailable, SmsMessage
from activities.channels.sms.failover import FailoverSms
from domain.callback_targets import RefusedTarget, check_callback_url
from domain.crypto.keyring import is_sealed
from domain.crypto.signing import signed_headers
from domain.pure.archive_io import HandBackInput, HandBackResult
from domain.settings import Settings
from domain.tables.archive import CallbackDelivery
from domain.tables.core import Court, ServiceRequest, User

log = structlog.get_logger(__name__)
REFUSED = "refused: "  # CallbackDelivery.error of a target that may not be called (no retry)


def callback_body(request: ServiceRequest, status: str, url: str, sha256: str) -> bytes:
    """Returns the callback's JSON body, compact and with sorted keys (what is signed)."""
    payload = {
        "request_id": request.id,
        "external_id": request.external_id,
        "status": status,
        "archive": {"url": url, "sha256": sha256},
    }
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def judge_text(court_name: str, case_number: str, link: str) -> str:
    """Returns the judge's SMS: court, case number, the news and the console link; no party."""
    return f"【{court_name}】{case_number}送达已完成，归档已生成。查看：{link}"


class HandBackActivities:
    """Tells the case system and the judge that a request's archive is ready."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        http: httpx.Client,
        sms: FailoverSms,
        settings: Settings,
    ) -> None:
        self.session_factory = session_factory
        self.http = http
        self.sms = sms
        self.settings = settings

    def _post(self, url: str, body: bytes) -> tuple[int | None, str | None]:
        headers = {
            "Content-Type": "application/json",
            **signed_headers(self.settings.callback_secret, body),
        }
        try:
            # Never redirected: a redirect could lead anywhere the origin check did not see.
            answer = self.http.post(
                url, content=body, headers=headers, timeout=15.0, follow_redirects=False
            )
        except httpx.HTTPError as error:
            return None, type(error).__name__
        if answer.is_redirect:
            return answer.status_code, (
                f"{REFUSED}the case system answered a redirect (HTTP {answer.status_code}); "
                "callbacks are not redirected: register the final URL"
            )
        return answer.status_code, None if answer.is_success else f"HTTP {answer.status_code}"

    def _target_refusal(self, session: Session, request: ServiceRequest, url: str) -> str | None:
        """Checks the target again now (origins, resolved addresses): DNS may have changed."""
        client = session.get(User, request.client_id)
        try:
            check_callback_url(url, account=client.name if client else "", settings=self.settings)
        except RefusedTarget as refused:
            return f"{REFUSED}{refused}"
        return None

    @activity.defn
    def deliver_callback(self, arg: HandBackInput) -> HandBackResult:
        """Posts the signed outcome to callback_url; a non-2xx answer fails this try (retried)."""
        with self.session_factory() as session:
            request = session.get_one(ServiceRequest, arg.request_id)
            if not request.callback_url:
                note_on_tasks(
                    session,
                    request.id,
                    f"callback:{request.id}",
                    {"callback": "skipped", "reason": "no callback_url"},
                )
                session.commit()
                return HandBackResult("skipped", "no callback_url")
            url = archive_url(self.settings, request.id)
            body = callback_body(request, arg.status, url, arg.archive_sha256)
            status_code, error = None, self._target_refusal(session, request, request.callback_url)
            if error is None:
                status_code, error = self._post(request.callback_url, body)
            attempt = activity.info().attempt
            session.add(
                CallbackDelivery(
                    request_id=request.id, attempt=attempt, status_code=status_code, error=error
                )
            )
            if error is None:
                note_on_tasks(session, request.id, f"callback:{request.id}", {"callback": "ok"})
            elif error.startswith(REFUSED):
                note = {"callback": "refused", "reason": error.removeprefix(REFUSED)}
                note_on_tasks(session, request.id, f"callback:{request.id}", note)
            session.commit()
        log.info("callback.attempt", request_id=arg.request_id, attempt=attempt, error=error)
        if error is not None and error.startswith(REFUSED):
            # Retrying cannot help: ops see it in /v1/ops/stuck (callback_refused) and the
            # timelines; the case system's administrator must fix the URL or the origins.
            log.error("callback.refused", request_id=arg.request_id, reason=error)
            return HandBackResult("refused", error.removeprefix(REFUSED))
        if error is not None:
            # Retried by the activity's policy, with backoff, until the case system answers 2xx.
            raise ApplicationError(f"callback not acknowledged: {error}", type="CallbackFailed")
        return HandBackResult("delivered")

    def _judge_phone(self, session: Session, request: ServiceRequest) -> str | None:
        query = select(User).where(
            User.name == request.handler,
            User.role == "judge",
            User.court_code == request.court_code,
            User.phone.is_not(None),
            User.disabled_at.is_(None),
        )
        judge = session.scalar(query)
        if judge is None or not judge.phone:
            return None
        return self.settings.key_ring.open(judge.phone) if is_sealed(judge.phone) else judge.phone

    @activity.defn
    def notify_judge(self, arg: HandBackInput) -> HandBackResult:
        """Sends the handling judge an SMS that the archive is ready, if the judge has a phone."""
        with self.session_factory() as session:
            request = session.get_one(ServiceRequest, arg.request_id)
            phone = self._judge_phone(session, request) if request.handler else None
            if phone is None:
                reason = "no judge with a phone in this court for the case's handler"
                note_on_tasks(
                    session,
                    request.id,
                    f"judge:{request.id}",
                    {"judge_sms": "skipped", "reason": reason},
                )
                session.commit()
                return HandBackResult("skipped", reason)
            court = session.get(Court, request.court_code)
            base = self.settings.console_url or f"{self.settings.effective_api_url}/console"
            text = judge_text(
                court.name if court else request.court_code,
                request.case_number,
                f"{base}/judge/cases/{request.id}",
            )
        message = SmsMessage(to=phone, text=text, reference=f"judge:{arg.request_id}")
        try:
            self.sms.send(message)
            outcome = HandBackResult("sent")
        except ProviderRejected:
            # For good: retrying would not help; the note tells ops (no number in it).
            outcome = HandBackResult("failed", "the SMS gateway refused the judge's message")
        except ProviderUnavailable as error:
            raise ApplicationError("SMS gateway unavailable", type="JudgeSmsUnavailable") from error
        with self.session_factory() as session:
            detail = {"judge_sms": outcome.outcome, "reason": outcome.reason}
            note_on_tasks(session, arg.request_id, f"judge:{arg.request_id}", detail)
            session.commit()
        return outcome
