"""The `songda` command line: database administration and the API's main operations."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

import httpx
import typer

from api import cli_accounts  # noqa: F401  (registers user disable, token revoke)
from api.cli_admin import bootstrap_demo, fail, load_settings, migrate, token_app, user_app
from api.cli_audit import audit_app
from api.cli_keys import keys_app
from api.cli_ops import register as register_ops

app = typer.Typer(help="songda: service of process for courts.", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")
app.add_typer(audit_app, name="audit")
app.add_typer(keys_app, name="keys")
app.command("migrate")(migrate)
app.command("bootstrap-demo")(bootstrap_demo)

TokenOption = Annotated[
    str | None,
    typer.Option(help="bearer token (else SONGDA_TOKEN, else the state folder's demo-token)"),
]


def _token(option: str | None) -> str:
    settings = load_settings()
    if option:
        return option
    if settings.cli_token:
        return settings.cli_token
    if settings.token_file.is_file():
        return settings.token_file.read_text().strip()
    raise fail("no token: pass --token, set SONGDA_TOKEN, or run songda bootstrap-demo", 2)


def _call(method: str, path: str, token: str | None, body: Any = None) -> httpx.Response:
    url = load_settings().effective_api_url.rstrip("/") + path
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


def _checked(response: httpx.Response) -> dict[str, Any]:
    if response.is_success:
        body: dict[str, Any] = response.json()
        return body
    for line in _detail_lines(response):
        typer.echo(line, err=True)
    raise fail(f"refused: HTTP {response.status_code}")


@app.command()
def submit(file: Path, token: TokenOption = None) -> None:
    """Submits the service request in FILE.json and prints its id."""
    try:
        body = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise fail(f"{file}: not a readable JSON file ({type(exc).__name__})") from None
    typer.echo(_checked(_call("POST", "/v1/service-requests", token, body))["id"])


def _row(cells: list[str], widths: list[int]) -> str:
    return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [_row(row, widths).rstrip() for row in rows]


@app.command()
def status(request_id: str, token: TokenOption = None) -> None:
    """Shows the request and each party's status, step, method, date served and attempts."""
    view = _checked(_call("GET", f"/v1/service-requests/{quote(request_id, safe='')}", token))
    typer.echo(f"request {view['id']}  {view['status']}  case {view['case_number']}")
    rows = [["party", "status", "step", "method", "served_on", "attempts"]]
    for task in view["tasks"]:
        cells = [
            task["party_ref"],
            task["status"],
            task.get("step"),
            task.get("method"),
            task.get("served_on"),
            task.get("attempts", 0),
        ]
        rows.append(["-" if cell in (None, "") else str(cell) for cell in cells])
    for line in _table(rows):
        typer.echo(line)
    if view.get("archive"):
        typer.echo(f"archive {view['archive']['sha256']}  {view['archive']['url']}")


@app.command()
def cancel(
    request_id: str,
    reason: Annotated[str, typer.Option(help="why")] = "",
    token: TokenOption = None,
) -> None:
    """Cancels a request and every party still being served."""
    view = _checked(
        _call(
            "POST",
            f"/v1/service-requests/{quote(request_id, safe='')}/cancel",
            token,
            {"reason": reason},
        )
    )
    typer.echo(f"cancel sent for request {view['id']}")


@app.command()
def retry(
    task_id: str,
    reason: Annotated[str, typer.Option(help="why")] = "",
    token: TokenOption = None,
) -> None:
    """Tries the task's current step again now."""
    _checked(_call("POST", f"/v1/tasks/{quote(task_id, safe='')}/retry", token, {"reason": reason}))
    typer.echo(f"retry sent for task {task_id}")


register_ops(app, _call, _checked, _table)


def main() -> None:
    """Runs the songda command line."""
    app()


if __name__ == "__main__":
    main()
