"""`songda keys court-seal create|rotate|export-public` and `songda verify ARCHIVE.zip`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from api.access.accounts import CLI_ACTOR, CLI_ROLE
from api.cli.common import fail, load_settings, open_session
from domain.crypto.court_seal import CourtSeals, SealKey, SealKeyError
from domain.store.audit import record_audit
from domain.tables.core import Court
from songda_verify import sigfile, verify_archive

court_seal_app = typer.Typer(
    help="Court seal keys: the SM2 key pair that signs a court's archives.",
    no_args_is_help=True,
)
CourtOption = Annotated[str, typer.Option("--court", help="the court's code, e.g. J12")]


def _change(court: str, action: str) -> SealKey:
    settings = load_settings()
    seals = CourtSeals.from_settings(settings)
    with open_session(settings) as session:
        if session.get(Court, court) is None:
            raise fail(f"no court {court!r}")
        try:
            key = seals.create(court) if action == "created" else seals.rotate(court)
        except SealKeyError as exc:
            raise fail(str(exc)) from None
        record_audit(
            session,
            actor=CLI_ACTOR,
            role=CLI_ROLE,
            action=f"court_seal.{action}",
            target=f"court_seal:{key.key_id}",
            court_code=court,
            detail={"fingerprint": key.fingerprint},
        )
        session.commit()
    return key


def _announce(key: SealKey, what: str) -> None:
    typer.echo(f"{what} seal key {key.key_id} for court {key.court_code}")
    typer.echo(f"fingerprint (SM3): {sigfile.grouped(key.fingerprint)}")
    typer.echo("publish the fingerprint; other courts check archives with --court-key")


@court_seal_app.command("create")
def create(court: CourtOption) -> None:
    """Creates the court's first seal key (its private key sealed with the data keys)."""
    _announce(_change(court, "created"), "created")


@court_seal_app.command("rotate")
def rotate(court: CourtOption) -> None:
    """Adds a new seal key that signs from now on; older keys stay for older archives."""
    _announce(_change(court, "rotated"), "rotated to")


@court_seal_app.command("export-public")
def export_public(
    court: CourtOption,
    key_id: Annotated[str | None, typer.Option(help="a given key (default: the current)")] = None,
    every: Annotated[bool, typer.Option("--all", help="every key the court has had")] = False,
    pem: Annotated[bool, typer.Option("--pem", help="only the PEM public key")] = False,
) -> None:
    """Prints the public key: id, fingerprint, hex and PEM, as JSON (never the private key)."""
    seals = CourtSeals.from_settings(load_settings())
    try:
        if every:
            keys = seals.keys(court)
        else:
            current = seals.get(court, key_id) if key_id else seals.current(court)
            keys = [current] if current is not None else []
    except SealKeyError as exc:
        raise fail(str(exc)) from None
    if not keys:
        raise fail(f"court {court} has no seal key: songda keys court-seal create --court {court}")
    if pem:
        typer.echo("".join(sigfile.public_key_pem(key.public_key) for key in keys), nl=False)
        return
    exported = [key.as_public() for key in keys]
    typer.echo(json.dumps(exported if every else exported[0], ensure_ascii=False, indent=2))


def verify(
    archive: Annotated[Path, typer.Argument(help="the archive zip")],
    court_key: Annotated[
        str | None,
        typer.Option("--court-key", help="the issuing court's published key fingerprint"),
    ] = None,
) -> None:
    """Verifies an archive offline (no server, no database); exits 0 only when it passes."""
    verdict = verify_archive(archive, court_key=court_key)
    typer.echo(verdict.text(), nl=False)
    if not verdict.ok:
        raise typer.Exit(1)
