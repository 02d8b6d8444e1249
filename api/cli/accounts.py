"""CLI commands on access: list a user's tokens, revoke them, disable the user (audited)."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy import select

from api.access.accounts import audit_cli, disable_user, find_user
from api.access.auth import as_utc, token_is_live
from api.access.tokens import revoke_tokens
from api.cli.common import fail, load_settings, open_session
from domain.tables.core import ApiToken


def token_revoke(
    name: str,
    token_prefix: Annotated[
        str | None, typer.Option(help="revoke only the token starting with these characters")
    ] = None,
) -> None:
    """Revokes all of a user's tokens, or one by its first characters."""
    with open_session(load_settings()) as session:
        try:
            user = find_user(session=session, name=name)
            count = revoke_tokens(session=session, user=user, prefix=token_prefix)
        except ValueError as exc:
            raise fail(str(exc)) from None
        detail = {"revoked": count, "scope": "one" if token_prefix else "all"}
        audit_cli(
            session, action="token.revoke", target=f"user:{name}", court_code=user.court_code,
            detail=detail,
        )  # fmt: skip
        session.commit()
    if token_prefix and count == 0:
        raise fail("token prefix: no live token of this user starts with it")
    typer.echo(f"{count} token(s) of {name} revoked")


def user_disable(name: str) -> None:
    """Disables a user: its tokens and console sessions stop working (within 5 s in an API)."""
    with open_session(load_settings()) as session:
        try:
            user = find_user(session=session, name=name)
        except ValueError as exc:
            raise fail(str(exc)) from None
        disable_user(session=session, user=user)
        audit_cli(session, action="user.disable", target=f"user:{name}", court_code=user.court_code)
        session.commit()
    typer.echo(f"user {name} disabled")


def token_list(name: str) -> None:
    """Lists a user's tokens by their first characters, with expiry and state."""
    with open_session(load_settings()) as session:
        try:
            user = find_user(session=session, name=name)
        except ValueError as exc:
            raise fail(str(exc)) from None
        query = select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at)
        for row in session.scalars(query):
            state = "live" if token_is_live(row) else "revoked" if row.revoked_at else "expired"
            expires = as_utc(row.expires_at).date().isoformat() if row.expires_at else "never"
            typer.echo(f"{row.prefix or '?':<10} expires {expires}  {state}")


def register(user_app: typer.Typer, token_app: typer.Typer) -> None:
    """Adds disabling users and listing and revoking tokens to their command groups."""
    token_app.command("revoke")(token_revoke)
    user_app.command("disable")(user_disable)
    token_app.command("list")(token_list)
