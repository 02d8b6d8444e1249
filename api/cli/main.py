"""The `songda` command line: database administration and the API's main operations."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

import typer

from api.cli import accounts, admin, backup, ops, seals, what_if
from api.cli.audit import audit_app
from api.cli.calendar import calendar_app
from api.cli.common import TokenOption, api_call, checked, fail, table
from api.cli.follow import follow
from api.cli.keys import keys_app

app = typer.Typer(help="songda: service of process for courts.", no_args_is_help=True)
# Every command is registered here, explicitly: importing a module never adds a command.
accounts.register(admin.user_app, admin.token_app)
app.add_typer(admin.user_app, name="user")
app.add_typer(admin.token_app, name="token")
app.add_typer(audit_app, name="audit")
app.add_typer(calendar_app, name="calendar")
keys_app.add_typer(seals.court_seal_app, name="court-seal")
app.add_typer(keys_app, name="keys")
app.command("migrate")(admin.migrate)
app.command("bootstrap-demo")(admin.bootstrap_demo)
app.command("verify")(seals.verify)
app.command("backup")(backup.backup)
app.command("restore")(backup.restore)
app.command("what-if")(what_if.what_if)
ops.register(app)


WaitOption = Annotated[
    bool, typer.Option("--wait", help="follow the request live until its archive is filed")
]
TimeoutOption = Annotated[
    float, typer.Option(help="give up following after this many seconds (0: never)")
]


def _request_path(request_id: str) -> str:
    return f"/v1/service-requests/{quote(request_id, safe='')}"


def _follow(request_id: str, token: str | None, *, need_archive: bool, timeout: float) -> None:
    view = follow(
        lambda: checked(api_call("GET", _request_path(request_id), token)),
        need_archive=need_archive, timeout=timeout,
    )  # fmt: skip
    if view is None:
        hint = "see `songda stuck` with an ops token (docs: README, Logging in)"
        raise fail(f"request {request_id} not finished after {timeout:g}s; {hint}")
    if view.get("archive"):
        typer.echo(f"archive sha256 {view['archive']['sha256']}")


@app.command()
def submit(
    file: Path, wait: WaitOption = False, timeout: TimeoutOption = 0.0, token: TokenOption = None
) -> None:
    """Submits the service request in FILE.json and prints its id (--wait: follows it live)."""
    try:
        body = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise fail(f"{file}: not a readable JSON file ({type(exc).__name__})") from None
    request_id = checked(api_call("POST", "/v1/service-requests", token, body))["id"]
    typer.echo(request_id)
    if wait:
        _follow(request_id, token, need_archive=True, timeout=timeout)


@app.command()
def status(
    request_id: str,
    watch: Annotated[bool, typer.Option("--watch", help="redraw live until it ends")] = False,
    timeout: TimeoutOption = 0.0,
    token: TokenOption = None,
) -> None:
    """Shows the request and each party's status, step, method, date served and attempts."""
    if watch:
        _follow(request_id, token, need_archive=False, timeout=timeout)
        return
    view = checked(api_call("GET", _request_path(request_id), token))
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
    for line in table(rows):
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
    view = checked(
        api_call(
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
    checked(
        api_call("POST", f"/v1/tasks/{quote(task_id, safe='')}/retry", token, {"reason": reason})
    )
    typer.echo(f"retry sent for task {task_id}")


def main() -> None:
    """Runs the songda command line."""
    app()


if __name__ == "__main__":
    main()
