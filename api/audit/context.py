"""Auditing from an HTTP request: the user, its source address and the X-Request-ID."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from api.request_context import current_origin
from domain.store.audit import record_audit
from domain.tables.core import User


@dataclass(frozen=True)
class CallInfo:
    """Where an HTTP call came from and the id that ties its log lines and audit entries."""

    request_id: str | None = None
    source_address: str | None = None


def current_call() -> CallInfo:
    """Returns the HTTP call being served (RequestContextMiddleware), empty outside of one."""
    request_id, source_address = current_origin.get()
    return CallInfo(request_id, source_address)


def audit_user_action(
    session: Session,
    user: User,
    *,
    action: str,
    target: str = "",
    outcome: str = "ok",
    court_code: str | None = None,
    detail: dict[str, Any] | None = None,
    request_id: str | None = None,
) -> None:
    """Appends an entry for the calling user in the caller's transaction (the caller commits).

    `request_id` ties the entry to a service request instead of the HTTP call (the archive's
    download is looked up by its request).
    """
    call = current_call()
    record_audit(
        session,
        actor=user.name,
        role=user.role,
        action=action,
        target=target,
        court_code=court_code or user.court_code,
        outcome=outcome,
        request_id=request_id or call.request_id,
        source_address=call.source_address,
        detail=detail,
    )


def audit_call(
    session: Session,
    *,
    actor: str,
    role: str,
    action: str,
    target: str = "",
    outcome: str = "ok",
    court_code: str | None = None,
    detail: dict[str, Any] | None = None,
    source_address: str | None = None,
) -> None:
    """Appends an entry for a caller without a user (a provider, the portal) in this call."""
    call = current_call()
    record_audit(
        session,
        actor=actor,
        role=role,
        action=action,
        target=target,
        outcome=outcome,
        court_code=court_code,
        request_id=call.request_id,
        source_address=source_address or call.source_address,
        detail=detail,
    )
