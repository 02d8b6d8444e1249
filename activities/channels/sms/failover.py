"""Provider failover: the next configured provider takes over while one keeps failing."""

from __future__ import annotations

import threading
import time

import structlog

from activities.channels.sms.base import (
    ProviderUnavailable,
    SmsMessage,
    SmsProvider,
    SmsSubmitted,
)

log = structlog.get_logger(__name__)

FAILURES_TO_TRIP = 3
COOL_DOWN_SECONDS = 60.0


class FailoverSms:
    """Tries providers in order, skipping one that failed repeatedly until it cools down."""

    name = "failover"

    def __init__(
        self,
        providers: list[SmsProvider],
        failures_to_trip: int = FAILURES_TO_TRIP,
        cool_down: float = COOL_DOWN_SECONDS,
    ) -> None:
        if not providers:
            raise ValueError("at least one SMS provider is needed")
        self.providers = providers
        self.failures_to_trip = failures_to_trip
        self.cool_down = cool_down
        self._failures = {p.name: 0 for p in providers}
        self._tripped_at: dict[str, float] = {}
        self._lock = threading.Lock()

    def _usable(self) -> list[SmsProvider]:
        now = time.monotonic()
        with self._lock:
            healthy = [
                p
                for p in self.providers
                if now - self._tripped_at.get(p.name, -1e18) >= self.cool_down
            ]
        # When every provider is tripped, still try them all rather than give up.
        return healthy or list(self.providers)

    def send(self, message: SmsMessage) -> SmsSubmitted:
        """Sends through the first provider that takes it; ProviderUnavailable if none does."""
        errors: list[str] = []
        for provider in self._usable():
            try:
                submitted = provider.send(message)
            except ProviderUnavailable as error:
                self._failed(provider.name)
                errors.append(str(error))
                continue
            self._succeeded(provider.name)
            return submitted
        raise ProviderUnavailable("; ".join(errors) or "no SMS provider available")

    def close(self) -> None:
        """Closes the providers that hold a session (SMPP)."""
        for provider in self.providers:
            closer = getattr(provider, "close", None)
            if callable(closer):
                closer()

    def _failed(self, name: str) -> None:
        with self._lock:
            self._failures[name] += 1
            if self._failures[name] >= self.failures_to_trip and name not in self._tripped_at:
                self._tripped_at[name] = time.monotonic()
                log.warning("sms.provider_tripped", provider=name)

    def _succeeded(self, name: str) -> None:
        with self._lock:
            self._failures[name] = 0
            self._tripped_at.pop(name, None)
