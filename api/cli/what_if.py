"""`songda what-if`: finished tasks replayed under another rule version, writing nothing."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import fail, load_settings, open_session, table
from domain.pure.legal_calendar import LegalCalendar
from domain.pure.what_if import RULESETS, Replayed, replay_all, with_settings
from domain.store.what_if_record import finished_tasks, read_only

HEADER = ["case", "party", "task", "method_recorded", "method_replayed", "served_on_recorded",
          "served_on_replayed", "days_saved", "note"]  # fmt: skip


def rows(found: list[Replayed]) -> list[list[str]]:
    """Returns a row per party that would have been served differently (ids and dates only)."""
    lines = []
    for one in found:
        if not one.differs:
            continue
        saved = one.days_saved
        lines.append([
            one.task.case_number, one.task.party_ref, one.task.task_id,
            one.task.method or "-", one.method or "-",
            str(one.task.served_on or "-"), str(one.served_on or "-"),
            "-" if saved is None else f"{saved:+d}", one.note,
        ])  # fmt: skip
    return lines


def _changes(pairs: list[str]) -> dict[str, str]:
    found = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise fail(f"--set takes name=value, got {pair!r}")
        found[name.strip()] = value.strip()
    return found


def what_if(
    rules: Annotated[str, typer.Option("--rules", help="rule version to replay under")],
    since: Annotated[date | None, typer.Option("--from", formats=["%Y-%m-%d"])] = None,
    until: Annotated[date | None, typer.Option("--to", formats=["%Y-%m-%d"])] = None,
    court: Annotated[str | None, typer.Option("--court", help="court code")] = None,
    changes: Annotated[
        list[str] | None, typer.Option("--set", help="a changed setting, e.g. notice_days=60")
    ] = None,
    csv_file: Annotated[Path | None, typer.Option("--csv", help="also write the rows here")] = None,
) -> None:
    """Replays finished tasks under another rule version; reads the legal record, writes nothing."""
    base = RULESETS.get(rules)
    if base is None:
        raise fail(f"unknown rule version {rules}; known: {', '.join(RULESETS)}")
    try:
        ruleset = with_settings(base, _changes(changes or []))
    except ValueError as error:
        raise fail(str(error)) from error
    settings = load_settings()
    with open_session(settings) as session, read_only(session):
        tasks = finished_tasks(session, since=since, until=until, court=court)
        found = replay_all(tasks, ruleset, LegalCalendar())
    lines = rows(found)
    typer.echo(f"{len(tasks)} finished tasks replayed under {ruleset.version}; "
               f"{len(lines)} would have been served differently")  # fmt: skip
    if lines:
        for line in table([HEADER, *lines]):
            typer.echo(line)
    if csv_file is not None:
        with csv_file.open("w", newline="", encoding="utf-8") as out:
            csv.writer(out).writerows([HEADER, *lines])
        typer.echo(f"written to {csv_file}")
