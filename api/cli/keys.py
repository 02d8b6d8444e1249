"""`songda keys`: data key rotation (re-seal every sealed column and court seal key)."""

from __future__ import annotations

from collections import Counter

import typer
from sqlalchemy.orm import Session

from api.cli.common import fail, load_settings, open_session
from api.cli.progress import progress_bar
from domain.crypto.court_seal import CourtSeals, SealKeyError
from domain.crypto.keyring import KeyRing, SealError
from domain.crypto.rotation import SEALED_COLUMNS, keys_in_use, rotate_column, rotate_portal_targets
from domain.store.documents import DocumentIntegrityError, DocumentStore, files_by_key
from domain.store.portal import current_portal_keys

keys_app = typer.Typer(help="Data keys: rotation and what each key still seals.")


def _rotate_columns(session: Session, ring: KeyRing) -> Counter[str]:
    # rotate_all's loop, column by column under a progress bar; each column commits.
    changes: Counter[str] = Counter()
    with progress_bar() as bar:
        step = bar.add_task("re-sealing columns", total=len(SEALED_COLUMNS))
        for table, column, is_json in SEALED_COLUMNS:
            changes[f"{table}.{column}"] = rotate_column(session, ring, table, column, is_json)
            session.commit()
            bar.advance(step)
    return changes


def _rotate_files(store: DocumentStore) -> int:
    digests = list(store.digests())
    done = 0
    with progress_bar() as bar:
        step = bar.add_task("re-encrypting files", total=len(digests))
        for digest in digests:
            done += store.reencrypt(digest)
            bar.advance(step)
    return done


@keys_app.command("rotate")
def rotate() -> None:
    """Re-seals every sealed value with the current key (the first of SONGDA_DATA_KEYS)."""
    settings = load_settings()
    ring = settings.key_ring
    with open_session(settings) as session:
        try:
            changes = _rotate_columns(session, ring)
        except SealError as exc:
            raise fail(
                f"rotation stopped: {exc}; put every old key back in SONGDA_DATA_KEYS"
            ) from None
        for column, count in changes.items():
            typer.echo(f"{column}: {count} re-sealed")
        portal = current_portal_keys().ring()
        try:
            moved = rotate_portal_targets(session, ring, portal)
        except SealError as exc:
            raise fail(f"rotation stopped: {exc}; put every old key back") from None
        typer.echo(f"portal_publications.otp_target: {moved} re-sealed with the portal key")
        try:
            typer.echo(f"court seal keys: {CourtSeals.from_settings(settings).reseal()} re-sealed")
        except SealKeyError as exc:
            message = f"rotation stopped: {exc}; put every old key back in SONGDA_DATA_KEYS"
            raise fail(message) from None
        store = DocumentStore(settings.document_dir, ring)
        try:
            typer.echo(f"document store files: {_rotate_files(store)} re-encrypted")
        except DocumentIntegrityError as exc:
            message = f"rotation stopped: {exc}; restore the file or put every old key back"
            raise fail(message) from None
        current = {ring.current, f"portal:{portal.current}"}
        left = {key: n for key, n in keys_in_use(session).items() if key not in current}
        for key, count in files_by_key(store).items():
            if key != ring.current:
                left[f"files:{key}"] = count
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
    store = DocumentStore(settings.document_dir, settings.key_ring)
    for key, count in sorted(files_by_key(store).items()):
        typer.echo(f"files under {key}: {count}")
