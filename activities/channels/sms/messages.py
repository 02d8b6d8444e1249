"""Remembers which provider message ids belong to which attempt, for receipts that name ids."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from domain.tables.core import ProviderMessage


def remember_message_ids(
    session_factory: sessionmaker[Session], provider: str, reference: str, message_ids: list[str]
) -> None:
    """Stores each (provider, message id) → reference once."""
    with session_factory() as session:
        known = set(
            session.scalars(
                select(ProviderMessage.message_id).where(
                    ProviderMessage.provider == provider, ProviderMessage.reference == reference
                )
            )
        )
        for part, message_id in enumerate(message_ids, start=1):
            if message_id not in known:
                session.add(
                    ProviderMessage(
                        provider=provider, message_id=message_id, reference=reference, part=part
                    )
                )
        try:
            session.commit()
        except IntegrityError:
            session.rollback()  # stored by an earlier try of the same send
