"""The archive's PDFs render Chinese text with the embedded font (poppler reads them back)."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from activities.archive_facts import gather
from activities.archive_pack import pack
from activities.archive_pdf import FontMissing, register_font
from tests.archive.conftest import CASE_NUMBER, Seeded

pytestmark = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="poppler-utils is not installed (make browser)"
)


def _pdfs(seeded: Seeded, folder: Path) -> dict[str, Path]:
    register_font(seeded.settings.pdf_font)
    with seeded.sessions() as session:
        content = pack(gather(session, seeded.request_id), seeded.store).content
    paths = {}
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in ("report.pdf", "proofs/P2.pdf"):
            path = folder / name.replace("/", "-")
            path.write_bytes(archive.read(name))
            paths[name] = path
    return paths


def _text(pdf: Path) -> str:
    done = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True)
    return done.stdout.decode()


def test_report_and_proof_carry_chinese_text(seeded: Seeded, tmp_path: Path) -> None:
    pdfs = _pdfs(seeded, tmp_path)
    report = _text(pdfs["report.pdf"])
    proof = _text(pdfs["proofs/P2.pdf"])
    assert "送达情况报告" in report
    assert "天津市河西区人民法院" in report
    assert "民间借贷纠纷" in report
    assert "送达回证" in proof
    assert "直接送达" in proof
    assert "张**" in proof  # the recipient, masked
    assert "张P2" not in proof
    # The case number may wrap inside a table cell: compare without whitespace.
    assert CASE_NUMBER in "".join(proof.split())


def test_the_first_page_renders_not_blank(seeded: Seeded, tmp_path: Path) -> None:
    pdf = _pdfs(seeded, tmp_path)["report.pdf"]
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    page = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    dark = sum(page.histogram()[:128])
    assert dark > 1000, "the rendered page is (nearly) blank"


def test_a_missing_font_is_named(tmp_path: Path) -> None:
    with pytest.raises(FontMissing, match="SONGDA_PDF_FONT"):
        register_font(tmp_path / "none.ttc")
