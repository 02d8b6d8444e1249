"""`songda backup` and `songda restore`: the database, the document store and Temporal's db file.

Taken in this order: Temporal's file first, then the database, then the documents. A restored
Temporal that is older than the database only re-runs activities, which are idempotent by key
and find their work done; the documents are content-addressed, so the later copy holds every
file the database names.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy import inspect

from api.cli.common import fail
from domain.settings import Settings, get_settings
from domain.store.db import make_engine

MANIFEST = "backup.json"
DATABASE_SQLITE = "database.sqlite"
DATABASE_DUMP = "database.dump"
DOCUMENTS = "documents"
TEMPORAL = "temporal.db"


def _sqlite_path(url: str) -> Path:
    return Path(url.split(":///", 1)[1])


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def sqlite_copy(source: Path, target: Path) -> None:
    """Copies a live SQLite database consistently (the online backup API; WAL included)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def _run(cmd: list[str]) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode:
        raise fail(f"{cmd[0]} failed (exit {done.returncode}): {done.stderr.strip()[-500:]}")


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def _files(root: Path) -> list[dict[str, Any]]:
    paths = sorted(p for p in root.rglob("*") if p.is_file() and p.name != MANIFEST)
    return [
        {"path": str(p.relative_to(root)), "sha256": _digest(p), "bytes": p.stat().st_size}
        for p in paths
    ]


def backup(
    folder: Annotated[Path, typer.Argument(help="where to create the backup's own folder")],
) -> None:
    """Backs up the database, the document store and the Temporal dev server's db file."""
    settings = get_settings()
    target = folder / f"songda-backup-{datetime.now(UTC):%Y%m%dT%H%M%SZ}"
    if target.exists():
        raise fail(f"{target} exists already: wait a second or choose another folder")
    target.mkdir(parents=True)
    temporal = settings.state_dir / TEMPORAL
    # The file exists only where the launcher runs the dev server (a cluster keeps its own).
    if temporal.exists():
        sqlite_copy(temporal, target / TEMPORAL)
    url = settings.effective_database_url
    if url.startswith("sqlite"):
        sqlite_copy(_sqlite_path(url), target / DATABASE_SQLITE)
    else:
        dump = ["pg_dump", "--format=custom", "--no-owner", f"--file={target / DATABASE_DUMP}"]
        _run([*dump, f"--dbname={_libpq(url)}"])
    if settings.document_dir.exists():
        shutil.copytree(settings.document_dir, target / DOCUMENTS)
    files = _files(target)
    manifest: dict[str, Any] = {
        "created_at": datetime.now(UTC).isoformat(),
        "database": "sqlite" if url.startswith("sqlite") else "postgresql",
        "temporal": (target / TEMPORAL).exists(),
        "files": files,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    typer.echo(f"backup {target}: {len(files)} files, database {manifest['database']}")
    if not manifest["temporal"]:
        typer.echo("Temporal is not in it: a cluster keeps its own (docs/runbook.md)")


def _checked_manifest(source: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise fail(f"{source} holds no readable {MANIFEST}: not a songda backup") from None
    for entry in manifest["files"]:
        path = source / entry["path"]
        if not path.is_file() or _digest(path) != entry["sha256"]:
            raise fail(f"{entry['path']} is missing or altered in the backup; nothing restored")
    return manifest


def _refuse_existing(settings: Settings, manifest: dict[str, Any]) -> None:
    url = settings.effective_database_url
    if url.startswith("sqlite"):
        if _sqlite_path(url).exists():
            raise fail(f"{_sqlite_path(url)} exists: restore into a fresh state folder")
    else:
        engine = make_engine(url)
        try:
            tables = inspect(engine).get_table_names()
        finally:
            engine.dispose()
        if tables:
            raise fail("the database is not empty: restore into a freshly created database")
    if settings.document_dir.exists() and any(settings.document_dir.iterdir()):
        raise fail(f"{settings.document_dir} is not empty: restore into a fresh state folder")
    if manifest["temporal"] and (settings.state_dir / TEMPORAL).exists():
        raise fail(f"{settings.state_dir / TEMPORAL} exists: restore into a fresh state folder")


def restore(
    source: Annotated[Path, typer.Argument(help="a folder made by `songda backup`")],
) -> None:
    """Restores a backup into a fresh database and state folder (never over existing data)."""
    settings = get_settings()
    manifest = _checked_manifest(source)
    url = settings.effective_database_url
    if manifest["database"] != ("sqlite" if url.startswith("sqlite") else "postgresql"):
        raise fail(f"the backup holds a {manifest['database']} database; DATABASE_URL differs")
    _refuse_existing(settings, manifest)
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    if url.startswith("sqlite"):
        sqlite_copy(source / DATABASE_SQLITE, _sqlite_path(url))
    else:
        _run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={_libpq(url)}",
              str(source / DATABASE_DUMP)])  # fmt: skip
    if (source / DOCUMENTS).exists():
        shutil.copytree(source / DOCUMENTS, settings.document_dir, dirs_exist_ok=True)
    if manifest["temporal"]:
        sqlite_copy(source / TEMPORAL, settings.state_dir / TEMPORAL)
    typer.echo(f"restored {source}; start the stack, then run `songda audit verify`")
