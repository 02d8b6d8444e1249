"""What every `songda` command shares: settings, a database session, errors and the API client."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import httpx
import typer
from sqlalchemy.orm import Session

from domain.crypto.sealed_types import install_ring
from domain.settings import Settings
from domain.store.db import make_engine, make_session_factory


def load_settings() -> Settings:
    """Returns settings read from the environment now (not cached: tests change it)."""
    # Commands that open the database need the real keys outside development (fail closed).
    settings = Settings().require_secrets()
    install_ring(settings.key_ring)  # sealed columns need the data keys before any query
    return settings


def client_settings() -> Settings:
    """Returns settings for commands that only call the API: they hold no secret or key."""
    return Settings()


@contextmanager
def open_session(settings: Settings) -> Iterator[Session]:
    """Yields a session on the configured database, disposing of the engine afterwards."""
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.effective_database_url)
    try:
        with make_session_factory(engine)() as session:
            yield session
    finally:
        engine.dispose()


def fail(message: str, code: int = 1) -> typer.Exit:
    """Writes message to stderr and returns the Exit to raise."""
    typer.echo(message, err=True)
    return typer.Exit(code)


TokenOption = Annotated[
    str | None,
    typer.Option(help="bearer token (else SONGDA_TOKEN, else the state folder's demo-token)"),
]


def _token(option: str | None) -> str:
    settings = client_settings()
    if option:
        return option
    if settings.cli_token:
        return settings.cli_token
    if settings.token_file.is_file():
        return settings.token_file.read_text().strip()
    raise fail("no token: pass --token, set SONGDA_TOKEN, or run songda bootstrap-demo", 2)


def api_call(method: str, path: str, token: str | None, body: Any = None) -> httpx.Response:
    """Calls the API with the bearer token; a connection failure exits with a clear message."""
    url = client_settings().effective_api_url.rstrip("/") + path
    headers = {"Authorization": f"Bearer {_token(token)}"}
    try:
        return httpx.request(method, url, json=body, headers=headers, timeout=60.0)
    except httpx.HTTPError as exc:
        raise fail(f"cannot reach the API at {url} ({type(exc).__name__})") from None


def _detail_lines(response: httpx.Response) -> list[str]:
    try:
        detail = response.json().get("detail")
    except ValueError:
        return [response.text[:200]]
    if isinstance(detail, list):
        return [f"{item.get('field', item.get('loc'))}: {item.get('msg')}" for item in detail]
    return [str(detail)]


def checked(response: httpx.Response) -> dict[str, Any]:
    """Returns the JSON body of a success; prints the refusal's details and exits otherwise."""
    if response.is_success:
        body: dict[str, Any] = response.json()
        return body
    for line in _detail_lines(response):
        typer.echo(line, err=True)
    raise fail(f"refused: HTTP {response.status_code}")


def _row(cells: list[str], widths: list[int]) -> str:
    return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))


def table(rows: list[list[str]]) -> list[str]:
    """Formats rows as aligned columns."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [_row(row, widths).rstrip() for row in rows]
