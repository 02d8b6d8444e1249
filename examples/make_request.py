"""Rebuilds the example documents (one-page PDFs) and request.json from them, byte for byte.

Run from anywhere: `.venv/bin/python examples/make_request.py`.
"""

from __future__ import annotations

import base64
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CASE_NUMBER = "(2026)津0103民初1234号"

# (file, kind, title, text lines). The standard PDF fonts carry no Chinese glyphs, so the
# documents' own text is ASCII; titles and case data in request.json are Chinese.
DOCUMENTS = [
    ("summons.pdf", "summons", "传票", ["SUMMONS", "(2026) Jin 0103 Min Chu No. 1234"]),
    (
        "complaint_copy.pdf",
        "complaint_copy",
        "起诉状副本",
        ["COPY OF THE COMPLAINT", "(2026) Jin 0103 Min Chu No. 1234"],
    ),
]


def minimal_pdf(lines: list[str]) -> bytes:
    """Returns a valid one-page A4 PDF showing the lines in Helvetica, with a correct xref."""
    escaped = (line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for line in lines)
    text = "".join(f"({line}) Tj 0 -28 Td " for line in escaped)
    stream = f"BT /F1 18 Tf 72 760 Td {text}ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def party(
    ref: str, name: str, id_number: str, phone: str, address: dict[str, str]
) -> dict[str, Any]:
    """Returns one natural-person defendant as the API expects it."""
    return {
        "ref": ref,
        "name": name,
        "kind": "person",
        "role": "defendant",
        "id_number": id_number,
        "phones": [phone],
        "emails": [],
        "addresses": [address],
        "consent_electronic": False,
        "address_confirmed": False,
    }


def parties() -> list[dict[str, Any]]:
    """Returns the three parties; the sandbox decides their fates from this data."""
    # P1: consented mobile, served electronically.
    p1 = party("P1", "张三", "110101199003078515", "13800000002", {"text": "天津市河西区友谊路1号"})
    p1["consent_electronic"] = True
    # P2: dead number (ends in 0), ordinary address: mail signed for after two legal days.
    p2_address = {"text": "天津市河西区围堤道2号", "postcode": "300202"}
    p2 = party("P2", "李四", "120103198506120025", "13800000010", p2_address)
    # P3: dead number, an address the post office cannot find, and the telecom operators know
    # no number for someone born in 2001: ends in public notice.
    p3 = party(
        "P3", "王五", "120103200111200039", "13800000020", {"text": "天津市河西区查无此人路3号"}
    )
    return [p1, p2, p3]


def request(documents: list[dict[str, str]]) -> dict[str, Any]:
    """Returns the example service request."""
    return {
        "external_id": "HX-2026-000123",
        "court": {"code": "J12", "name": "天津市河西区人民法院"},
        "case": {
            "number": CASE_NUMBER,
            "cause": "民间借贷纠纷",
            "procedure": "ordinary",
            "handler": "judge-zhang",
        },
        "documents": documents,
        "parties": parties(),
        "callback_url": None,
        "plan": {"clock": {"mode": "accelerated", "seconds_per_day": 2}},
    }


def main() -> None:
    """Writes the PDFs and request.json next to this script."""
    documents = []
    for filename, kind, title, lines in DOCUMENTS:
        pdf = minimal_pdf(lines)
        (HERE / filename).write_bytes(pdf)
        content = base64.b64encode(pdf).decode("ascii")
        documents.append(
            {
                "kind": kind,
                "title": title,
                "media_type": "application/pdf",
                "content_base64": content,
            }
        )
    body = json.dumps(request(documents), ensure_ascii=False, indent=2) + "\n"
    (HERE / "request.json").write_text(body, encoding="utf-8")
    sys.stdout.write(f"wrote {HERE / 'request.json'}\n")


if __name__ == "__main__":
    main()
