"""`songda calendar import YEAR FILE`: the State Council's holidays for a year the library lacks."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer

from api.access.accounts import CLI_ACTOR, CLI_ROLE
from api.admin.calendar import enter_year, tell_running
from api.cli.common import fail, load_settings, open_session
from api.errors import Unavailable
from api.temporal import TemporalHolder
from domain.settings import Settings
from domain.store.audit import record_audit
from domain.store.calendar_recompute import Recomputed
from domain.store.calendar_store import read_year

calendar_app = typer.Typer(help="The legal calendar's holidays and make-up workdays.")


def import_calendar(
    year: Annotated[int, typer.Argument(min=2000, max=2100)],
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
) -> None:
    """Enters a year's holidays and make-up workdays from a JSON file; provisional dates clear.

    Tasks served on a provisional notice date get the recomputed date (timeline and audit);
    notices still running are told to recompute theirs.
    """
    try:
        override = read_year(year, file)
    except (ValueError, KeyError) as error:
        raise fail(f"the file does not hold {year}'s notice: {error}") from None
    settings = load_settings()
    with open_session(settings) as session:
        record_audit(session, actor=CLI_ACTOR, role=CLI_ROLE, action="calendar.import",
                     target=f"calendar:{year}", detail={"holidays": len(override.holidays),
                     "workdays": len(override.workdays), "source": file.name})  # fmt: skip
        done = enter_year(session, override, source=file.name, actor=CLI_ACTOR, role=CLI_ROLE)
    typer.echo(
        f"{year}: {len(override.holidays)} holidays, {len(override.workdays)} make-up workdays"
    )
    _report(done)
    if done.running:
        told = _tell(settings, done, year, file.name)
        typer.echo(f"running notices told to recompute: {told} of {len(done.running)}")


def _report(done: Recomputed) -> None:
    typer.echo(f"served dates recomputed: {len(done.moved)} moved, {len(done.confirmed)} stood")
    for task_id, old, new in done.moved:
        typer.echo(f"  task {task_id}: served on {old} -> {new}")
    if done.still_provisional:
        typer.echo(f"still provisional (another year lacks data): {done.still_provisional}")


def _tell(settings: Settings, done: Recomputed, year: int, source: str) -> int:
    async def tell() -> int:
        client = await TemporalHolder(settings).client()
        return await tell_running(client, done.running, year, source)

    try:
        return asyncio.run(tell())
    except Unavailable:
        typer.echo(
            "Temporal cannot be reached: each running notice reads the calendar again when its "
            "provisional date comes; run the import again to tell them now",
            err=True,
        )
        return 0


calendar_app.command("import")(import_calendar)
