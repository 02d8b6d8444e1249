"""Progress bars for the long commands (keys rotate, stats-rebuild), on stderr."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn


def progress_bar() -> Progress:
    """Returns a progress display on stderr, so stdout keeps the command's plain results."""
    return Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
        console=Console(stderr=True), transient=True,
    )  # fmt: skip
