"""`--wait` and `--watch` redraw a table per party until the request ends."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from rich.console import Console

from api.cli.follow import finished, follow

SHA = "ab" * 32


def _view(status: str, served: int, archive: bool = False) -> dict[str, Any]:
    tasks = [
        {"party_ref": f"P{i}", "status": "served" if i <= served else "serving",
         "step": "electronic", "method": "electronic" if i <= served else None,
         "served_on": "2026-12-09" if i <= served else None, "attempts": 1}
        for i in (1, 2, 3)
    ]  # fmt: skip
    found = {"sha256": SHA, "url": "/x"} if archive else None
    return {"id": "r1", "status": status, "case_number": "（2026）津0103民初1234号",
            "tasks": tasks, "archive": found}  # fmt: skip


def test_wait_follows_until_the_archive_is_filed() -> None:
    views: Iterator[dict[str, Any]] = iter(
        [_view("in_progress", 1), _view("completed", 3), _view("completed", 3, archive=True)]
    )
    out = io.StringIO()
    console = Console(file=out, width=120, force_terminal=False)
    last = follow(lambda: next(views), need_archive=True, interval=0, console=console)
    assert last is not None and last["archive"]["sha256"] == SHA
    assert "P3" in out.getvalue() and "2026-12-09" in out.getvalue()


def test_watch_stops_when_the_request_ends_and_a_timeout_gives_up() -> None:
    assert finished(_view("completed", 3), need_archive=False)
    assert not finished(_view("completed", 3), need_archive=True)
    assert finished(_view("cancelled", 0), need_archive=True)
    never = follow(
        lambda: _view("in_progress", 0), need_archive=False, interval=0.01, timeout=0.05,
        console=Console(file=io.StringIO()),
    )  # fmt: skip
    assert never is None
