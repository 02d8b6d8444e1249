"""SMS and e-mail sends through the gateway (the sandbox by default)."""

from __future__ import annotations

import hashlib

from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity

from activities.channels.context import load_delivery
from activities.channels.provider import ProviderClient
from domain.activity_io import SendInput, SendResult
from domain.texts import email_body, email_subject, sms_text


class ElectronicActivities:
    """Sends service messages; the idempotency key makes a retried send a no-op."""

    def __init__(
        self,
        sms: ProviderClient,
        email: ProviderClient,
        portal_url: str,
        session_factory: sessionmaker[Session],
    ) -> None:
        self.sms = sms
        self.email = email
        self.portal_url = portal_url.rstrip("/")
        self.session_factory = session_factory

    def _link(self, reference: str) -> str:
        # The portal token is derived from the attempt, so a retried send carries the same link.
        token = hashlib.sha256(reference.encode()).hexdigest()[:24]
        return f"{self.portal_url}/s/{token}"

    @activity.defn
    def send_sms(self, arg: SendInput) -> SendResult:
        """Sends the service SMS with the portal link to one mobile number."""
        with self.session_factory() as session:
            delivery = load_delivery(session, arg)
        self.sms.begin(arg, "sms")
        body = {
            "to": delivery.to,
            "text": sms_text(delivery.text, self._link(arg.reference)),
            "flash": False,
            "reference": arg.reference,
            "seconds_per_day": arg.seconds_per_day,
        }
        message_id = self.sms.post("/gateway/sms", body, arg.reference, "message_id")
        return SendResult(arg.reference, message_id)

    @activity.defn
    def send_email(self, arg: SendInput) -> SendResult:
        """Sends the service e-mail (court, case, link; never the documents) to one address."""
        with self.session_factory() as session:
            delivery = load_delivery(session, arg)
        self.email.begin(arg, "email")
        body = {
            "to": delivery.to,
            "subject": email_subject(delivery.text),
            "text": email_body(delivery.text, self._link(arg.reference)),
            "reference": arg.reference,
            "seconds_per_day": arg.seconds_per_day,
        }
        message_id = self.email.post("/gateway/email", body, arg.reference, "message_id")
        return SendResult(arg.reference, message_id)
