"""The SMS provider interface that every gateway implements, and its errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


class ProviderUnavailable(Exception):
    """The provider could not take the message now (outage, 5xx, bind lost): try again."""


class ProviderRejected(Exception):
    """The provider refused the message for good (bad number, template refused)."""


@dataclass(frozen=True)
class SmsMessage:
    """One SMS to send; `reference` is the attempt's idempotency key."""

    to: str
    text: str
    reference: str
    flash: bool = False
    seconds_per_day: float = 86400.0
    # The aggregator shape (template, signature, variables) for gateways that need it.
    template: str = "service_notice"
    variables: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SmsSubmitted:
    """What the provider accepted: its message ids (one per part) and whether it was a repeat."""

    provider: str
    message_ids: list[str]
    parts: int = 1
    duplicate: bool = False


class SmsProvider(Protocol):
    """Sends one message; the same reference twice never sends twice."""

    name: str

    def send(self, message: SmsMessage) -> SmsSubmitted:
        """Submits the message, raising ProviderUnavailable or ProviderRejected."""
        ...
