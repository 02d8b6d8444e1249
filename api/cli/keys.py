"""`songda keys`: data key rotation (re-seal every sealed column and court seal key)."""

from __future__ import annotations

import typer

from api.cli.common import fail, load_settings, open_session
from domain.crypto.court_seal import CourtSeals, SealKeyError
from domain.crypto.keyring import SealError
from domain.crypto.rotation import keys_in_use, rotate_all

keys_app = typer.Typer(help="Data keys: rotation and what each key still seals.")


@keys_app.command("rotate")
def rotate() -> None:
    """Re-seals every sealed value with the current key (the first of SONGDA_DATA_KEYS)."""
    settings = load_settings()
    ring = settings.key_ring
    with open_session(settings) as session:
        try:
            changes = rotate_all(session, ring)
        except SealError as exc:
            raise fail(
                f"rotation stopped: {exc}; put every old key back in SONGDA_DATA_KEYS"
            ) from None
        for column, count in changes.items():
            typer.echo(f"{column}: {count} re-sealed")
        try:
            typer.echo(f"court seal keys: {CourtSeals.from_settings(settings).reseal()} re-sealed")
        except SealKeyError as exc:
            message = f"rotation stopped: {exc}; put every old key back in SONGDA_DATA_KEYS"
            raise fail(message) from None
        left = {key: n for key, n in keys_in_use(session).items() if key != ring.current}
    typer.echo(f"every sealed value now uses key {ring.current!r}" if not left else f"left: {left}")


@keys_app.command("status")
def status() -> None:
    """Counts the stored sealed values per key id; an old key may go once it counts none."""
    settings = load_settings()
    with open_session(settings) as session:
        counts = keys_in_use(session)
    typer.echo(f"current key: {settings.key_ring.current}")
    for key, count in sorted(counts.items()):
        typer.echo(f"{key}: {count}")
