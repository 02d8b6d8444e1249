"""Calls to providers over HTTP, shared by every channel: attempts, idempotency, retry rules."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from temporalio.exceptions import ApplicationError

from domain.activity_io import SendInput
from domain.models import Attempt, utcnow


class ProviderClient:
    """Posts a send to a provider once per idempotency key and records the attempt."""

    def __init__(
        self,
        http: httpx.Client,
        session_factory: sessionmaker[Session],
        base_url: str,
        provider: str,
    ) -> None:
        self.http = http
        self.session_factory = session_factory
        self.base_url = base_url.rstrip("/")
        self.provider = provider

    def begin(self, arg: SendInput, channel: str) -> None:
        """Records the attempt before the send, so a receipt always finds its task."""
        with self.session_factory() as session:
            exists = session.scalar(
                select(Attempt.id).where(Attempt.idempotency_key == arg.reference)
            )
            if exists is None:
                session.add(
                    Attempt(
                        task_id=arg.task_id,
                        step=arg.step,
                        channel=channel,
                        target_label=arg.contact.label,
                        idempotency_key=arg.reference,
                        provider=self.provider,
                    )
                )
                session.commit()

    def post(self, path: str, body: dict[str, Any], reference: str, id_field: str) -> str:
        """Posts body; 5xx and network errors retry, 4xx fail for good; returns the provider id."""
        answer = self._call(path, body, reference)
        provider_id = str(answer[id_field])
        self._mark(reference, "sent", {"provider_id": provider_id}, provider_id)
        return provider_id

    def post_for_list(
        self, path: str, body: dict[str, Any], reference: str, field: str
    ) -> list[str]:
        """Posts body like post() and returns a list the provider answered."""
        answer = self._call(path, body, reference)
        values = [str(v) for v in answer.get(field, [])]
        self._mark(reference, "answered", {"count": str(len(values))})
        return values

    def _call(self, path: str, body: dict[str, Any], reference: str) -> dict[str, Any]:
        try:
            response = self.http.post(f"{self.base_url}{path}", json=body)
        except httpx.HTTPError as error:
            self._mark(reference, "retrying", {"error": type(error).__name__})
            raise ApplicationError(
                f"{self.provider} unreachable ({type(error).__name__})"
            ) from None
        if response.status_code >= 500:
            self._mark(reference, "retrying", {"http_status": str(response.status_code)})
            raise ApplicationError(f"{self.provider} answered {response.status_code}")
        if response.status_code >= 400:
            self._mark(reference, "rejected", {"http_status": str(response.status_code)})
            raise ApplicationError(
                f"{self.provider} refused the request ({response.status_code})", non_retryable=True
            )
        answer: dict[str, Any] = response.json()
        return answer

    def _mark(
        self, reference: str, status: str, detail: dict[str, str], provider_id: str | None = None
    ) -> None:
        with self.session_factory() as session:
            attempt = session.scalar(select(Attempt).where(Attempt.idempotency_key == reference))
            if attempt is None:
                return
            # A receipt may have landed before the send returned: never step back from it.
            if status != "sent" or attempt.status in ("sending", "retrying"):
                attempt.status = status
            attempt.detail = {**attempt.detail, "last": detail}
            if provider_id:
                attempt.provider_reference = provider_id
            attempt.updated_at = utcnow()
            session.commit()
