"""Three-role separation: which administrator may act on which account, refusals audited."""

from __future__ import annotations

from sqlalchemy.orm import Session

from api.access.auth import ADMIN_ROLES, AUDITADMIN, AUDITOR, CROSS_COURT_ROLES, SYSADMIN
from api.access.policies import load_policies
from api.audit.context import audit_user_action
from api.errors import Forbidden
from domain.tables.core import User


def manages_role(actor: User, role: str) -> bool:
    """Tells whether the actor's role manages accounts of this role (never an administrator)."""
    if role in ADMIN_ROLES:
        return False
    if actor.role == AUDITADMIN:
        return role == AUDITOR
    return actor.role == SYSADMIN and role != AUDITOR


def refuse(
    session: Session, actor: User, *, action: str, target: str, reason: str, message: str
) -> Forbidden:
    """Audits a refused act on an account (committed at once) and returns the 403 to raise."""
    detail = {"reason": reason}
    audit_user_action(session, actor, action=action, target=target, outcome="denied", detail=detail)
    session.commit()
    return Forbidden(message)


def check_new_account(
    session: Session, actor: User, *, name: str, role: str, court: str | None
) -> None:
    """Raises Forbidden (audited) unless the actor may create this account."""
    target = f"user:{name}"
    if role in ADMIN_ROLES:
        raise refuse(session, actor, action="user.add", target=target,
            reason="administrator", message=(
                "administrators are created with the songda CLI at installation only"),
        )  # fmt: skip
    if not manages_role(actor, role):
        raise refuse(session, actor, action="user.add", target=target, reason="role_owner",
            message=_owner_message(role),
        )  # fmt: skip
    cross_court = court is None and role in CROSS_COURT_ROLES
    if cross_court and not load_policies(session).cross_court_accounts:
        raise refuse(session, actor, action="user.add", target=target,
            reason="cross_court_policy", message=(
                "a supervisor or ops account without a court sees every court: give it a court, "
                "or ask the security administrator to set the policy cross_court_accounts"),
        )  # fmt: skip


def check_target(session: Session, actor: User, *, action: str, user: User) -> None:
    """Raises Forbidden (audited) unless the actor may act on this existing account."""
    if user.role in ADMIN_ROLES:
        raise refuse(session, actor, action=action, target=f"user:{user.name}",
            reason="administrator",
            message="no administrator acts on an administrator's account; use the songda CLI",
        )  # fmt: skip
    if not manages_role(actor, user.role):
        raise refuse(session, actor, action=action, target=f"user:{user.name}",
            reason="role_owner", message=_owner_message(user.role),
        )  # fmt: skip


def _owner_message(role: str) -> str:
    if role == AUDITOR:
        return "only the audit administrator creates and manages auditors (/v1/auditors)"
    return "the system administrator manages this account; the audit administrator, auditors only"
