"""`songda calendar import YEAR FILE`: the State Council's holidays for a year the library lacks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import fail, load_settings, open_session
from domain.store.calendar_store import import_year, read_year

calendar_app = typer.Typer(help="The legal calendar's holidays and make-up workdays.")


def import_calendar(
    year: Annotated[int, typer.Argument(min=2000, max=2100)],
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
) -> None:
    """Enters a year's holidays and make-up workdays from a JSON file; provisional dates clear."""
    try:
        override = read_year(year, file)
    except (ValueError, KeyError) as error:
        raise fail(f"the file does not hold {year}'s notice: {error}") from None
    with open_session(load_settings()) as session:
        import_year(session, override, source=file.name)
    typer.echo(
        f"{year}: {len(override.holidays)} holidays, {len(override.workdays)} make-up workdays"
    )


calendar_app.command("import")(import_calendar)
