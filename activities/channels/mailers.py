"""The e-mail sender interface; SmtpMailer (activities/channels/email_smtp.py) implements it."""

from __future__ import annotations

from typing import Protocol


class Mailer(Protocol):
    """Sends one e-mail; the reference identifies the attempt in bounces and receipts."""

    name: str

    def send(
        self,
        to: str,
        subject: str,
        text: str,
        reference: str,
        seconds_per_day: float | None = None,
        *,
        court_name: str = "",
    ) -> str:
        """Sends and returns the message id, raising ProviderUnavailable or ProviderRejected."""
        ...
