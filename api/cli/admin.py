"""CLI commands that work on the database directly: migrate, users, tokens, demo bootstrap."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from api.access.accounts import (
    audit_cli,
    create_user,
    ensure_court,
    ensure_user,
    find_user,
    issue_token,
    token_valid_for,
    write_secret,
)
from api.cli.common import fail, load_settings, open_session
from api.console.demo import ensure_demo_users, tokens_folder

REPO_ROOT = Path(__file__).resolve().parents[2]
DEMO_COURT = ("J12", "天津市河西区人民法院")
DEMO_CASE_SYSTEM = "demo-case-system"
DEMO_CLERK = "demo-clerk"

user_app = typer.Typer(help="Users of the platform.", no_args_is_help=True)
token_app = typer.Typer(
    help="Bearer tokens for service accounts and scripts.", no_args_is_help=True
)


def migrate() -> None:
    """Upgrades the database schema to the newest migration."""
    from alembic import command
    from alembic.config import Config

    cfg = Config(str(REPO_ROOT / "alembic.ini"))
    location = cfg.get_main_option("script_location") or "migrations"
    if not Path(location).is_absolute():
        cfg.set_main_option("script_location", str(REPO_ROOT / location))
    command.upgrade(cfg, "head")
    typer.echo("database is up to date")


@user_app.command("add")
def user_add(
    name: str,
    role: Annotated[str, typer.Option(help="case_system, judge, clerk, supervisor, ops, ...")],
    court: Annotated[str | None, typer.Option(help="the court code, e.g. J12")] = None,
    phone: Annotated[str | None, typer.Option(help="mobile number (judges get SMS)")] = None,
    password_stdin: Annotated[bool, typer.Option(help="read a password from stdin")] = False,
    oidc_subject: Annotated[
        str | None, typer.Option(help="the user's `sub` at the court's identity provider")
    ] = None,
) -> None:
    """Creates a user (administrators too: this is how they are made at installation)."""
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    if password_stdin and not password:
        raise fail("password: stdin gave an empty password")
    with open_session(load_settings()) as session:
        try:
            create_user(
                session=session,
                name=name,
                role=role,
                court_code=court,
                phone=phone,
                password=password,
                oidc_subject=oidc_subject,
                enforce_policy=True,
            )
        except ValueError as exc:
            raise fail(str(exc)) from None
    typer.echo(f"user {name} created ({role})")


@token_app.command("create")
def token_create(
    name: str,
    expires_days: Annotated[
        int | None,
        typer.Option("--days", "--expires-days", min=1, help="lifetime (default: policy max)"),
    ] = None,
) -> None:
    """Prints a new bearer token for the user (shown once; only its hash is kept)."""
    with open_session(load_settings()) as session:
        try:
            user = find_user(session=session, name=name)
            token = issue_token(session=session, user=user, expires_days=expires_days)
        except ValueError as exc:
            raise fail(str(exc)) from None
        audit_cli(session, action="token.create", target=f"user:{name}", court_code=user.court_code)
        session.commit()
        typer.echo(token)


def _token_file_is_valid(session: Session, path: Path, name: str) -> bool:
    if not path.is_file():
        return False
    token = path.read_text().strip()
    user = find_user(session=session, name=name)
    return bool(token) and token_valid_for(session=session, token=token, user=user)


def bootstrap_demo() -> None:
    """Creates the demo court, case system and clerk, and the case system's token file."""
    settings = load_settings()
    with open_session(settings) as session:
        code, court_name = DEMO_COURT
        ensure_court(session=session, code=code, name=court_name)
        case_system = ensure_user(
            session=session, name=DEMO_CASE_SYSTEM, role="case_system", court_code=code
        )
        ensure_user(session=session, name=DEMO_CLERK, role="clerk", court_code=code)
        passwords = ensure_demo_users(session, settings, code)
        typer.echo(f"console users and passwords in {passwords}")
        typer.echo(f"their bearer tokens in {tokens_folder(settings)}/<name>")
        path = settings.token_file
        if _token_file_is_valid(session, path, DEMO_CASE_SYSTEM):
            typer.echo(f"demo ready; token unchanged in {path}")
            return
        write_secret(path, issue_token(session=session, user=case_system))
    typer.echo(f"demo ready; token written to {path}")
