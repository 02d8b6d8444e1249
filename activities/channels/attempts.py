"""The attempt log: every send is recorded before it goes out and marked as it comes back."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from domain.pure.activity_io import SendInput
from domain.tables.core import Attempt, utcnow

# A receipt may land before the send returns: these states are never stepped back to "sent".
_BEFORE_SENT = ("sending", "retrying")


class AttemptLog:
    """Writes Attempt rows keyed by the idempotency key."""

    def __init__(self, session_factory: sessionmaker[Session], provider: str) -> None:
        self.session_factory = session_factory
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

    def status(self, reference: str) -> str | None:
        """Returns the attempt's status, or None when there is no such attempt."""
        with self.session_factory() as session:
            return session.scalar(
                select(Attempt.status).where(Attempt.idempotency_key == reference)
            )

    def mark(
        self,
        reference: str,
        status: str,
        detail: dict[str, str],
        provider_id: str | None = None,
        provider: str | None = None,
    ) -> None:
        """Sets the attempt's status and last provider answer."""
        with self.session_factory() as session:
            attempt = session.scalar(select(Attempt).where(Attempt.idempotency_key == reference))
            if attempt is None:
                return
            if status != "sent" or attempt.status in _BEFORE_SENT:
                attempt.status = status
            attempt.detail = {**attempt.detail, "last": detail}
            if provider_id:
                attempt.provider_reference = provider_id
            if provider:
                attempt.provider = provider
            attempt.updated_at = utcnow()
            session.commit()
