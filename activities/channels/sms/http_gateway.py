"""An SMS aggregator over HTTP (template, signature, variables; receipts posted back)."""

from __future__ import annotations

import httpx
from sqlalchemy.orm import Session, sessionmaker

from activities.channels.sms.base import (
    ProviderRejected,
    ProviderUnavailable,
    SmsMessage,
    SmsSubmitted,
)
from activities.channels.sms.messages import remember_message_ids


class HttpSmsGateway:
    """Posts to `<base>/gateway/sms`; the gateway de-duplicates by reference."""

    def __init__(
        self,
        name: str,
        http: httpx.Client,
        base_url: str,
        signature: str,
        session_factory: sessionmaker[Session],
    ) -> None:
        self.name = name
        self.http = http
        self.base_url = base_url.rstrip("/")
        self.signature = signature
        self.session_factory = session_factory

    def send(self, message: SmsMessage) -> SmsSubmitted:
        """Submits the message; 5xx and network errors are worth a retry, 4xx are not."""
        body = {
            "to": message.to,
            "text": message.text,
            "flash": message.flash,
            "reference": message.reference,
            "seconds_per_day": message.seconds_per_day,
            "sign_name": self.signature,
            "template_code": message.template,
            "template_params": message.variables,
        }
        try:
            response = self.http.post(f"{self.base_url}/gateway/sms", json=body)
        except httpx.HTTPError as error:
            raise ProviderUnavailable(f"{self.name} unreachable ({type(error).__name__})") from None
        if response.status_code >= 500:
            raise ProviderUnavailable(f"{self.name} answered {response.status_code}")
        if response.status_code >= 400:
            raise ProviderRejected(f"{self.name} refused the message ({response.status_code})")
        answer = response.json()
        message_id = str(answer["message_id"])
        remember_message_ids(self.session_factory, self.name, message.reference, [message_id])
        return SmsSubmitted(self.name, [message_id], duplicate=bool(answer.get("duplicate")))
