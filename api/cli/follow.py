"""`songda submit --wait` and `songda status --watch`: a live table per party until the end."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.live import Live
from rich.table import Table

ENDED = ("completed", "cancelled")
STATUS_STYLES = {
    "served": "green",
    "failed": "red",
    "cancelled": "dim",
    "waiting_human": "yellow",
    "stuck": "red",
}

View = dict[str, Any]


def _cell(value: Any) -> str:
    return "-" if value in (None, "") else str(value)


def request_table(view: View) -> Table:
    """Returns the request's table: one row per party with step, status, method and date."""
    archive = view.get("archive") or {}
    caption = f"archive {archive['sha256']}" if archive else _caption(view)
    table = Table(
        title=f"request {view['id']} · {view['status']} · case {view.get('case_number', '')}",
        caption=caption,
    )
    for column in ("party", "step", "status", "method", "served_on", "attempts"):
        table.add_column(column)
    for task in view.get("tasks", []):
        status = str(task.get("status", ""))
        table.add_row(
            _cell(task.get("party_ref")), _cell(task.get("step")),
            f"[{STATUS_STYLES.get(status, 'cyan')}]{status}[/]", _cell(task.get("method")),
            _cell(task.get("served_on")), _cell(task.get("attempts", 0)),
        )  # fmt: skip
    return table


def _caption(view: View) -> str:
    if view["status"] == "completed":
        return "every party has ended; filing the archive…"
    return "serving… (Ctrl-C stops watching, not the service)"


def finished(view: View, *, need_archive: bool) -> bool:
    """Tells whether following may stop: the request ended (and, if asked, has its archive)."""
    if view["status"] not in ENDED:
        return False
    return not need_archive or view["status"] == "cancelled" or bool(view.get("archive"))


def follow(
    fetch: Callable[[], View],
    *,
    need_archive: bool,
    interval: float = 1.0,
    timeout: float = 0.0,
    console: Console | None = None,
) -> View | None:
    """Redraws the table from `fetch` until the request is finished; None on timeout."""
    deadline = time.monotonic() + timeout if timeout else None
    console = console or Console()
    view = fetch()
    timed_out = False
    with Live(request_table(view), console=console, refresh_per_second=4) as live:
        while not finished(view, need_archive=need_archive):
            if deadline is not None and time.monotonic() > deadline:
                timed_out = True
                break
            time.sleep(interval)
            view = fetch()
            live.update(request_table(view))
    if not console.is_terminal:
        console.line()  # off a terminal the last render ends without a newline
    return None if timed_out else view
