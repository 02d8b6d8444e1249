"""E-mail senders behind one interface: SMTP, or the sandbox's HTTP mail gateway."""

from __future__ import annotations

from typing import Protocol

import httpx

from activities.channels.sms.base import ProviderRejected, ProviderUnavailable


class Mailer(Protocol):
    """Sends one e-mail; the reference identifies the attempt in bounces and receipts."""

    name: str

    def send(
        self, to: str, subject: str, text: str, reference: str, seconds_per_day: float = 86400.0
    ) -> str:
        """Sends and returns the message id, raising ProviderUnavailable or ProviderRejected."""
        ...


class HttpMailer:
    """Posts to `<base>/gateway/email` (the sandbox's mail gateway)."""

    def __init__(self, name: str, http: httpx.Client, base_url: str) -> None:
        self.name = name
        self.http = http
        self.base_url = base_url.rstrip("/")

    def send(
        self, to: str, subject: str, text: str, reference: str, seconds_per_day: float = 86400.0
    ) -> str:
        """Sends once per reference (the gateway de-duplicates) and returns the message id."""
        body = {
            "to": to,
            "subject": subject,
            "text": text,
            "reference": reference,
            "seconds_per_day": seconds_per_day,
        }
        try:
            response = self.http.post(f"{self.base_url}/gateway/email", json=body)
        except httpx.HTTPError as error:
            raise ProviderUnavailable(f"{self.name} unreachable ({type(error).__name__})") from None
        if response.status_code >= 500:
            raise ProviderUnavailable(f"{self.name} answered {response.status_code}")
        if response.status_code >= 400:
            raise ProviderRejected(f"{self.name} refused the message ({response.status_code})")
        return str(response.json()["message_id"])
