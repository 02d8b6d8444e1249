"""Electronic service: SMS (and flash reminders) and e-mail carrying a portal link."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.channels.attempts import AttemptLog
from activities.channels.context import Delivery, load_delivery
from activities.channels.email_smtp import message_id_for
from activities.channels.mailers import Mailer
from activities.channels.sms.base import (
    ProviderRejected,
    ProviderUnavailable,
    SmsMessage,
    SmsProvider,
)
from domain.pure.activity_io import SendInput, SendResult
from domain.pure.texts import email_body, email_subject, flash_text, sms_text
from domain.settings import Settings
from domain.store.portal import publish

T = TypeVar("T")


class ElectronicActivities:
    """Sends service messages; the idempotency key makes a retried send a no-op."""

    def __init__(
        self,
        sms: SmsProvider,
        mailer: Mailer,
        settings: Settings,
        session_factory: sessionmaker[Session],
    ) -> None:
        self.sms = sms
        self.mailer = mailer
        self.settings = settings
        self.session_factory = session_factory
        self.sms_log = AttemptLog(session_factory, sms.name)
        self.mail_log = AttemptLog(session_factory, mailer.name)

    def _prepare(self, arg: SendInput, channel: str) -> tuple[Delivery, str]:
        # The portal publication comes first: a link in a message must always lead somewhere.
        with self.session_factory() as session:
            delivery = load_delivery(session, arg, self.settings.key_ring)
            link = publish(
                session,
                self.settings,
                task_id=arg.task_id,
                reference=arg.reference,
                channel=channel,
                target=delivery.to,
            )
            session.commit()
        return delivery, link

    @activity.defn
    def send_sms(self, arg: SendInput) -> SendResult:
        """Sends the service SMS with the portal link (or a flash reminder) to one number."""
        delivery, link = self._prepare(arg, "sms")
        self.sms_log.begin(arg, "flash_sms" if arg.flash else "sms")
        text = flash_text(delivery.text) if arg.flash else sms_text(delivery.text, link)
        message = SmsMessage(
            to=delivery.to,
            text=text,
            reference=arg.reference,
            flash=arg.flash,
            seconds_per_day=arg.seconds_per_day,
            variables={"case": delivery.text.case_number, "link": link},
        )
        submitted = _guarded(self.sms_log, arg.reference, lambda: self.sms.send(message))
        self.sms_log.mark(
            arg.reference,
            "sent",
            {"parts": str(submitted.parts)},
            submitted.message_ids[0],
            submitted.provider,
        )
        return SendResult(arg.reference, submitted.message_ids[0], submitted.duplicate)

    @activity.defn
    def send_email(self, arg: SendInput) -> SendResult:
        """Sends the service e-mail (court, case, link; never the documents) to one address."""
        delivery, link = self._prepare(arg, "email")
        self.mail_log.begin(arg, "email")
        if self.mail_log.status(arg.reference) not in ("sending", "retrying"):
            # SMTP cannot de-duplicate: a message already handed over is not sent again.
            return SendResult(arg.reference, message_id_for(arg.reference), duplicate=True)
        message_id = _guarded(
            self.mail_log,
            arg.reference,
            lambda: self.mailer.send(
                delivery.to,
                email_subject(delivery.text),
                email_body(delivery.text, link),
                arg.reference,
                arg.seconds_per_day,
                court_name=delivery.text.court_name,
            ),
        )
        self.mail_log.mark(arg.reference, "sent", {}, message_id)
        return SendResult(arg.reference, message_id)


def _guarded(log: AttemptLog, reference: str, send: Callable[[], T]) -> T:
    """Runs a send, turning provider errors into retryable or final activity failures."""
    try:
        return send()
    except ProviderUnavailable as error:
        log.mark(reference, "retrying", {"error": str(error)})
        raise ApplicationError(str(error)) from None
    except ProviderRejected as error:
        log.mark(reference, "rejected", {"error": str(error)})
        raise ApplicationError(str(error), non_retryable=True) from None
