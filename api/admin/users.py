"""User management by the system administrator, and policies by the security administrator."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.access.accounts import AccountError, create_user, disable_user, find_user
from api.access.auth import AUDITADMIN, AUDITOR, CASE_SYSTEM, as_utc
from api.access.policies import PoliciesIn, load_policies, policies_dict, save_policies
from api.access.tokens import TokenError, revoke_tokens
from api.admin.bodies import PoliciesOut, RevokeIn, RevokeOut, UserIn, UserOut, UsersOut
from api.admin.separation import check_new_account, check_target, refuse
from api.audit.context import audit_user_action
from api.errors import Forbidden, Invalid, NotFound
from domain.pure.masking import mask_phone
from domain.tables.core import ApiToken, User


def _live_tokens(session: Session, user: User) -> int:
    now = datetime.now(UTC)
    query = select(func.count(ApiToken.id)).where(
        ApiToken.user_id == user.id,
        ApiToken.revoked_at.is_(None),
        (ApiToken.expires_at.is_(None)) | (ApiToken.expires_at > now),
    )
    return session.scalar(query) or 0


def user_out(session: Session, user: User) -> UserOut:
    """Returns the administrator's view of a user."""
    locked = user.locked_until is not None and as_utc(user.locked_until) > datetime.now(UTC)
    return UserOut(
        name=user.name,
        role=user.role,
        court=user.court_code,
        phone=mask_phone(user.phone) if user.phone else None,
        oidc_subject=user.oidc_subject,
        created_at=as_utc(user.created_at),
        disabled=user.disabled_at is not None,
        locked=locked,
        live_tokens=_live_tokens(session, user),
    )


def _managed(actor: User, user: User) -> bool:
    # A court's system administrator manages its court's users; one without a court, all.
    return actor.court_code is None or actor.court_code == user.court_code


def list_users(*, session: Session, actor: User) -> UsersOut:
    """Lists the users the administrator manages, by name."""
    query = select(User).order_by(User.name)
    if actor.court_code is not None:
        query = query.where(User.court_code == actor.court_code)
    if actor.role == AUDITADMIN:
        query = query.where(User.role == AUDITOR)
    return UsersOut(items=[user_out(session, user) for user in session.scalars(query)])


def add_user(*, session: Session, actor: User, user_in: UserIn) -> UserOut:
    """Creates a user the actor's role manages, within the actor's court; audited."""
    court = user_in.court if actor.court_code is None else actor.court_code
    if user_in.court not in (None, court):
        raise refuse(session, actor, action="user.add", target=f"user:{user_in.name}",
            reason="other_court", message="you manage the users of your own court only",
        )  # fmt: skip
    check_new_account(session, actor, name=user_in.name, role=user_in.role, court=court)
    if user_in.role == CASE_SYSTEM and court is None:
        raise Invalid([(("body", "court"), "a case system submits for one court: give its court")])
    try:
        user = create_user(
            session=session, name=user_in.name, role=user_in.role, court_code=court,
            phone=user_in.phone, password=user_in.password, oidc_subject=user_in.oidc_subject,
            enforce_policy=True, audit_as=actor,
        )  # fmt: skip
    except AccountError as exc:
        field, _, message = str(exc).partition(": ")
        raise Invalid([(("body", field.replace(" ", "_")), message or str(exc))]) from None
    return user_out(session, user)


def _target(session: Session, actor: User, name: str, action: str) -> User:
    try:
        user = find_user(session=session, name=name)
    except AccountError:
        raise NotFound("no user with this name") from None
    if not _managed(actor, user):
        raise NotFound("no user with this name")
    check_target(session, actor, action=action, user=user)
    return user


def disable(*, session: Session, actor: User, name: str) -> UserOut:
    """Disables a user and revokes its tokens and sessions; audited."""
    user = _target(session, actor, name, "user.disable")
    if user.id == actor.id:
        raise Forbidden("you cannot disable your own account")
    disable_user(session=session, user=user)
    audit_user_action(session, actor, action="user.disable", target=f"user:{user.name}")
    session.commit()
    return user_out(session, user)


def revoke(*, session: Session, actor: User, name: str, revoke_in: RevokeIn) -> RevokeOut:
    """Revokes one token (by prefix) or all of a user's tokens; audited."""
    user = _target(session, actor, name, "token.revoke")
    try:
        count = revoke_tokens(session=session, user=user, prefix=revoke_in.token_prefix)
    except TokenError as exc:
        raise Invalid([(("body", "token_prefix"), str(exc))]) from None
    detail = {"revoked": count, "scope": "one" if revoke_in.token_prefix else "all"}
    audit_user_action(
        session, actor, action="token.revoke", target=f"user:{user.name}", detail=detail
    )
    session.commit()
    return RevokeOut(revoked=count)


def read_policies(*, session: Session) -> PoliciesOut:
    """Returns the security policies in force."""
    return PoliciesOut(**policies_dict(load_policies(session)))


def set_policies(*, session: Session, actor: User, change: PoliciesIn) -> PoliciesOut:
    """Changes security policies; audited with old and new values."""
    before = policies_dict(load_policies(session))
    changed = save_policies(session=session, change=change, actor=actor.name)
    detail = {key: {"from": before[key], "to": value} for key, value in changed.items()}
    audit_user_action(
        session, actor, action="policy.set", target="security_policies", detail=detail
    )
    session.commit()
    return read_policies(session=session)
