"""The `songda` command line: database administration and the API's main operations."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

import typer

from api.cli import accounts, admin, ops, seals
from api.cli.audit import audit_app
from api.cli.common import TokenOption, api_call, checked, fail, table
from api.cli.keys import keys_app

app = typer.Typer(help="songda: service of process for courts.", no_args_is_help=True)
# Every command is registered here, explicitly: importing a module never adds a command.
accounts.register(admin.user_app, admin.token_app)
app.add_typer(admin.user_app, name="user")
app.add_typer(admin.token_app, name="token")
app.add_typer(audit_app, name="audit")
keys_app.add_typer(seals.court_seal_app, name="court-seal")
app.add_typer(keys_app, name="keys")
app.command("migrate")(admin.migrate)
app.command("bootstrap-demo")(admin.bootstrap_demo)
app.command("verify")(seals.verify)
ops.register(app)


@app.command()
def submit(file: Path, token: TokenOption = None) -> None:
    """Submits the service request in FILE.json and prints its id."""
    try:
        body = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise fail(f"{file}: not a readable JSON file ({type(exc).__name__})") from None
    typer.echo(checked(api_call("POST", "/v1/service-requests", token, body))["id"])


@app.command()
def status(request_id: str, token: TokenOption = None) -> None:
    """Shows the request and each party's status, step, method, date served and attempts."""
    view = checked(api_call("GET", f"/v1/service-requests/{quote(request_id, safe='')}", token))
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
