"""Calls to HTTP providers (post office, notice board, operators): attempts and retry rules."""

from __future__ import annotations

from typing import Any

import httpx
from temporalio.exceptions import ApplicationError

from activities.channels.attempts import AttemptLog
from domain.pure.activity_io import SendInput


class ProviderClient:
    """Posts a send to a provider once per idempotency key and records the attempt."""

    def __init__(self, http: httpx.Client, attempts: AttemptLog, base_url: str) -> None:
        self.http = http
        self.attempts = attempts
        self.base_url = base_url.rstrip("/")
        self.provider = attempts.provider

    def begin(self, arg: SendInput, channel: str) -> None:
        """Records the attempt before the send, so a receipt always finds its task."""
        self.attempts.begin(arg, channel)

    def post(self, path: str, body: dict[str, Any], reference: str, id_field: str) -> str:
        """Posts body; 5xx and network errors retry, 4xx fail for good; returns the provider id."""
        answer = self._call(path, body, reference)
        provider_id = str(answer[id_field])
        self.attempts.mark(reference, "sent", {"provider_id": provider_id}, provider_id)
        return provider_id

    def get(self, path: str) -> dict[str, Any]:
        """Reads from the provider (tracking, status); errors are worth a retry."""
        try:
            response = self.http.get(f"{self.base_url}{path}")
        except httpx.HTTPError as error:
            raise ApplicationError(
                f"{self.provider} unreachable ({type(error).__name__})"
            ) from None
        if response.status_code >= 400:
            raise ApplicationError(f"{self.provider} answered {response.status_code}")
        answer: dict[str, Any] = response.json()
        return answer

    def _call(self, path: str, body: dict[str, Any], reference: str) -> dict[str, Any]:
        try:
            response = self.http.post(f"{self.base_url}{path}", json=body)
        except httpx.HTTPError as error:
            self.attempts.mark(reference, "retrying", {"error": type(error).__name__})
            raise ApplicationError(
                f"{self.provider} unreachable ({type(error).__name__})"
            ) from None
        if response.status_code >= 500:
            self.attempts.mark(reference, "retrying", {"http_status": str(response.status_code)})
            raise ApplicationError(f"{self.provider} answered {response.status_code}")
        if response.status_code >= 400:
            self.attempts.mark(reference, "rejected", {"http_status": str(response.status_code)})
            raise ApplicationError(
                f"{self.provider} refused the request ({response.status_code})", non_retryable=True
            )
        answer: dict[str, Any] = response.json()
        return answer
