"""`songda stuck`, `songda skip-step` and `songda stats`: the ops and figures commands."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import quote, urlencode

import typer

from api.cli.common import TokenOption, api_call, checked, load_settings, open_session, table
from api.cli.progress import progress_bar
from api.stats.rollup import refresh


def _cell(value: Any) -> str:
    return "-" if value in (None, "") else str(value)


def stuck_rows(items: list[dict[str, Any]]) -> list[list[str]]:
    """Returns the table of stuck tasks: since, task, step, kind, reason."""
    rows = [["since", "task_id", "step", "kind", "reason"]]
    for item in items:
        since = str(item["since"])[:19].replace("T", " ")
        cells = [
            since,
            item.get("task_id") or item.get("request_id"),
            item.get("step"),
            item.get("kind"),
            item["reason"],
        ]
        rows.append([_cell(c) for c in cells])
    return rows


def stats_rows(figures: dict[str, Any]) -> list[list[str]]:
    """Returns the table of the figures, one per line, methods after the totals."""
    rows = [["figure", "value"]]
    for name in ("requests", "parties", "served", "completion_rate", "electronic_share"):
        rows.append([name, _cell(figures.get(name))])
    rows.append(["median_days_to_serve", _cell(figures.get("median_days_to_serve"))])
    for method, count in figures.get("by_method", {}).items():
        rows.append([f"served by {method}", str(count)])
    repair = figures.get("repair", {})
    if repair.get("queries"):
        rows.append(["repair hit rate", _cell(repair.get("hit_rate"))])
    return rows


def register(app: typer.Typer) -> None:
    """Adds the ops commands to the songda app."""

    @app.command()
    def stuck(token: TokenOption = None) -> None:
        """Lists stuck tasks with the reason and since when (exit 0 even when none)."""
        items = checked(api_call("GET", "/v1/ops/stuck", token))["items"]
        if not items:
            typer.echo("nothing stuck")
            return
        for line in table(stuck_rows(items)):
            typer.echo(line)

    @app.command("skip-step")
    def skip_step(
        task_id: str,
        reason: Annotated[str, typer.Option(help="why")] = "",
        token: TokenOption = None,
    ) -> None:
        """Gives up the task's current step and goes on with the ladder."""
        path = f"/v1/tasks/{quote(task_id, safe='')}/skip-step"
        checked(api_call("POST", path, token, {"reason": reason}))
        typer.echo(f"skip sent for task {task_id}")

    @app.command()
    def stats(
        date_from: Annotated[date | None, typer.Option("--from", formats=["%Y-%m-%d"])] = None,
        date_to: Annotated[date | None, typer.Option("--to", formats=["%Y-%m-%d"])] = None,
        court: Annotated[str | None, typer.Option(help="court code")] = None,
        token: TokenOption = None,
    ) -> None:
        """Prints the centre's figures (the stats endpoint) as a table."""
        query = {"from": date_from, "to": date_to, "court": court}
        params = urlencode({k: str(v)[:10] for k, v in query.items() if v is not None})
        figures = checked(api_call("GET", f"/v1/stats?{params}" if params else "/v1/stats", token))
        for line in table(stats_rows(figures)):
            typer.echo(line)

    @app.command("stats-rebuild")
    def stats_rebuild() -> None:
        """Rebuilds the stats rollup from the legal record (after a restore or bulk import)."""
        with open_session(load_settings()) as session, progress_bar() as bar:
            bar.add_task("rebuilding the stats rollup", total=None)
            refresh(session, full=True)
        typer.echo("stats rollup rebuilt")
