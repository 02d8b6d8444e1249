"""The launcher's prerequisite check names what is missing and how to get it."""

from __future__ import annotations

from pathlib import Path

from domain.settings import Settings
from prerequisites import missing_prerequisites


def test_nothing_missing_with_the_font(tmp_path: Path) -> None:
    font = tmp_path / "font.ttf"
    font.write_bytes(b"font")
    settings = Settings(SONGDA_PDF_FONT=font, SONGDA_STATE_DIR=tmp_path / "state")
    assert missing_prerequisites(settings) == []


def test_a_missing_font_is_named_with_how_to_get_it(tmp_path: Path) -> None:
    settings = Settings(SONGDA_PDF_FONT=tmp_path / "none.ttc", SONGDA_STATE_DIR=tmp_path)
    (found,) = missing_prerequisites(settings)
    assert str(tmp_path / "none.ttc") in found.line()
    assert "make fonts" in found.line() and "SONGDA_PDF_FONT" in found.line()
