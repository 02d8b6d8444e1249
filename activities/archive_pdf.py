"""The archive's PDFs in Chinese: the service report (送达情况报告) and proofs (送达回证)."""

from __future__ import annotations

import io
import json
import threading
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from activities.archive_facts import PartyFact, RequestFacts

FONT = "SongdaCJK"
METHODS = {
    "electronic": "电子送达",
    "phone": "简便方式（电话）",
    "mail": "邮寄送达（法院专递）",
    "direct": "直接送达",
    "public_notice": "公告送达",
}
STATUSES = {"served": "已送达", "failed": "未能送达", "cancelled": "已撤回", "serving": "送达中"}
PROCEDURES = {"simplified": "简易程序", "ordinary": "普通程序", "small_claims": "小额诉讼程序"}
_lock = threading.Lock()


class FontMissing(RuntimeError):
    """The CJK font the PDFs embed is not installed where the settings say."""


def register_font(path: Path) -> None:
    """Registers the TrueType font (first face of a .ttc) once per process."""
    if not path.is_file():
        raise FontMissing(
            f"PDF font not found at {path}: install fonts-wqy-zenhei (make fonts) "
            "or point SONGDA_PDF_FONT at a TrueType font with Chinese glyphs"
        )
    with _lock:
        if FONT in pdfmetrics.getRegisteredFontNames():
            return
        font = TTFont(FONT, str(path), subfontIndex=0)
        _glyphs_without_copy(font.face)
        pdfmetrics.registerFont(font)


class _TableView:
    """A font table read in place: a slice of it is a slice of the font file's bytes."""

    def __init__(self, data: bytes, offset: int, length: int) -> None:
        self.data, self.offset, self.length = data, offset, length

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, key: slice) -> bytes:
        start, stop, _ = key.indices(self.length)
        return self.data[self.offset + start : self.offset + max(start, stop)]


def _glyphs_without_copy(face: Any) -> None:
    """Makes the face's subsetting read glyphs where they lie in the font file.

    reportlab (5.1) copies the whole `glyf` table, 10 MB and more for a CJK font, each time it
    embeds a subset, only to slice the few glyphs the document uses out of it: a tenth of an
    archive's CPU (issue 16). The subset's bytes are the same.
    """
    data = getattr(face, "_ttf_data", None)
    table = getattr(face, "table", {}).get("glyf")
    if not isinstance(data, bytes) or not table:
        return  # another reportlab: left as it is
    view = _TableView(data, table["offset"], table["length"])
    read = face.get_table

    def get_table(tag: str) -> Any:
        return view if tag == "glyf" else read(tag)

    face.get_table = get_table


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=15, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=18, leading=26, alignment=1),
        "h2": ParagraphStyle("h2", parent=base, fontSize=12, leading=18, spaceBefore=8),
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=11),
    }


def _p(text: object, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def _table(rows: list[list[object]], style: ParagraphStyle, widths: list[float]) -> Table:
    table = Table([[_p(cell, style) for cell in row] for row in rows], colWidths=widths)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (0, -1), colors.whitesmoke),
            ]
        )
    )
    return table


def _render(title: str, story: list[Flowable]) -> bytes:
    buffer = io.BytesIO()
    # invariant: no creation date and a fixed document id, so the same facts give the same bytes.
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        author="songda",
        creator="songda",
        invariant=1,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
    )
    doc.build(story)
    return buffer.getvalue()


def _head(facts: RequestFacts) -> list[list[object]]:
    return [
        ["法院", f"{facts.court_name}（{facts.court_code}）"],
        ["案号", facts.case_number],
        ["案由", facts.cause or "—"],
        ["程序", PROCEDURES.get(facts.procedure, facts.procedure)],
    ]


def _documents(facts: RequestFacts, s: dict[str, ParagraphStyle]) -> Table:
    rows: list[list[object]] = [["文书", "SHA-256", "字节"]]
    rows += [[d.title, d.sha256, d.bytes] for d in facts.documents]
    return _table(rows, s["small"], [40 * mm, 118 * mm, 16 * mm])


def report_pdf(facts: RequestFacts) -> bytes:
    """Returns the request's service report: court, case, documents, each party's outcome."""
    s = _styles()
    rows: list[list[object]] = [["当事人", "送达方式", "送达日期", "尝试次数", "结果"]]
    for party in facts.parties:
        rows.append(
            [
                f"{party.ref} {party.name}",
                METHODS.get(party.method, party.method or "—"),
                _served_on(party),
                party.attempts,
                STATUSES.get(party.status, party.status)
                + (f"：{party.reason}" if party.reason else ""),
            ]
        )
    story: list[Flowable] = [
        _p("送达情况报告", s["title"]),
        Spacer(1, 4 * mm),
        _table(
            [*_head(facts), ["完成时间", facts.completed_at or "—"]], s["body"], [30 * mm, 144 * mm]
        ),
        _p("送达文书", s["h2"]),
        _documents(facts, s),
        _p("各当事人送达情况", s["h2"]),
        _table(rows, s["body"], [38 * mm, 36 * mm, 26 * mm, 18 * mm, 56 * mm]),
        Spacer(1, 6 * mm),
        _p(
            f"本报告由{facts.court_name}集约送达平台生成；各当事人送达回证及送达记录附后。",
            s["small"],
        ),
    ]
    return _render(f"送达情况报告 {facts.case_number}", story)


def _event_line(event: dict[str, Any]) -> str:
    detail = json.dumps(event["detail"], ensure_ascii=False, sort_keys=True)
    if event["kind"] == "plan":
        # The plan reads as its rule version and its steps with their reasons.
        plan = event["detail"]
        steps = "；".join(
            f"{i}. {s.get('step')}: {s.get('reason')}"
            for i, s in enumerate(plan.get("steps", []), 1)
        )
        detail = f"rules {plan.get('rule_version', '?')} · {steps}"
    day = f" [{event['legal_date']}]" if event.get("legal_date") else ""
    return f"{event['at']}{day} {event.get('step') or '—'} · {event['kind']} · {detail}"


def _served_on(party: PartyFact) -> str:
    """Returns the served-on date, marked 暂定 with its reason while it is provisional."""
    if not party.served_on:
        return "—"
    return f"{party.served_on}（{party.provisional}）" if party.provisional else party.served_on


def _method(party: PartyFact) -> str:
    label = METHODS.get(party.method, party.method or "—")
    return f"{label}（留置送达）" if party.left_at_address else label


def proof_pdf(facts: RequestFacts, party: PartyFact) -> bytes:
    """Returns a party's proof of service (送达回证) with the full event trail."""
    s = _styles()
    rows: list[list[object]] = [
        *_head(facts)[:2],
        ["送达文书", "、".join(f"《{d.title}》" for d in facts.documents)],
        ["受送达人", f"{party.name}（{party.ref}）"],
        ["签收人及关系", f"{party.signer} {party.relation}".strip() or "—"],
        ["送达方式", _method(party)],
        ["送达地址 / 电子地址", party.target or "—"],
        ["送达日期", _served_on(party)],
        [
            "送达结果",
            STATUSES.get(party.status, party.status)
            + (f"：{party.reason}" if party.reason else ""),
        ],
        ["送达人", party.server],
        ["拒收 / 见证 / 影像记录", "；".join(party.references) or "无"],
    ]
    if party.basis:
        # The consent or confirmation the method rests on, its evidence and scope.
        rows.insert(6, ["同意 / 确认依据", party.basis])
    story: list[Flowable] = [
        _p("送达回证", s["title"]),
        Spacer(1, 4 * mm),
        _table(rows, s["body"], [40 * mm, 134 * mm]),
        _p("送达记录（全部事件）", s["h2"]),
        *[_p(_event_line(e), s["small"]) for e in party.events],
    ]
    return _render(f"送达回证 {facts.case_number} {party.ref}", story)
