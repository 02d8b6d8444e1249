"""Charts as inline SVG, drawn on the server: the court network is offline, so no chart library.

Each chart is a figure with a title, an accessible description and a data table fallback is the
page's job; labels are escaped here because they come from the database.
"""

from __future__ import annotations

from markupsafe import Markup, escape

BAR = "#0b5cad"
ACCENT = "#1a7f37"
MUTED = "#57606a"
ROW = 26  # height of one horizontal bar row, px


def _format(value: float, percent: bool) -> str:
    return f"{value * 100:.1f}%" if percent else f"{value:g}"


def _svg(width: int, height: int, title: str, body: list[str]) -> Markup:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" style="max-width:{width}px" font-size="12" '
        f'font-family="Noto Sans CJK SC, WenQuanYi Zen Hei, sans-serif">'
        f"<title>{escape(title)}</title>"
    )
    return Markup(head + "".join(body) + "</svg>")


def hbars(items: list[tuple[str, float]], title: str, *, percent: bool = False) -> Markup:
    """Returns horizontal bars, one per (label, value), scaled to the largest value."""
    if not items:
        return Markup(f'<p class="hint">{escape(title)}：暂无数据</p>')
    width, left, right = 560, 130, 70
    top = max((v for _, v in items), default=0.0) or 1.0
    scale = 1.0 if percent else top
    body = []
    for i, (label, value) in enumerate(items):
        y = i * ROW + 4
        length = (width - left - right) * min(value / scale, 1.0)
        body.append(
            f'<text x="{left - 6}" y="{y + 15}" text-anchor="end" fill="{MUTED}">'
            f"{escape(label)}</text>"
            f'<rect x="{left}" y="{y}" width="{length:.1f}" height="{ROW - 8}" fill="{BAR}"/>'
            f'<text x="{left + length + 6:.1f}" y="{y + 15}">{_format(value, percent)}</text>'
        )
    return _svg(width, len(items) * ROW + 8, title, body)


def columns(items: list[tuple[str, float]], title: str, *, percent: bool = False) -> Markup:
    """Returns vertical columns over time or buckets, labelled below, values on top."""
    if not items:
        return Markup(f'<p class="hint">{escape(title)}：暂无数据</p>')
    width, height, bottom, top_pad = 560, 220, 40, 20
    top = 1.0 if percent else (max(v for _, v in items) or 1.0)
    slot = (width - 20) / len(items)
    plot = height - bottom - top_pad
    body = [f'<line x1="10" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" '
            f'stroke="{MUTED}"/>']  # fmt: skip
    for i, (label, value) in enumerate(items):
        bar = plot * min(value / top, 1.0)
        x = 10 + i * slot + slot * 0.15
        y = height - bottom - bar
        mid = x + slot * 0.35
        body.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{bar:.1f}" '
            f'fill="{ACCENT if percent else BAR}"/>'
            f'<text x="{mid:.1f}" y="{y - 4:.1f}" text-anchor="middle">'
            f"{_format(value, percent)}</text>"
            f'<text x="{mid:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
            f'fill="{MUTED}">{escape(label)}</text>'
        )
    return _svg(width, height, title, body)


def day_buckets(histogram: dict[str, int]) -> list[tuple[str, float]]:
    """Groups days to serve into the buckets a leader reads: 0, 1, 2, 3, 4–7, 8–14, 15–30, 31+."""
    edges = [(0, 0, "当天"), (1, 1, "1天"), (2, 2, "2天"), (3, 3, "3天"), (4, 7, "4–7天"),
             (8, 14, "8–14天"), (15, 30, "15–30天"), (31, 10**6, "31天+")]  # fmt: skip
    counts = dict.fromkeys([label for _, _, label in edges], 0)
    for days, count in histogram.items():
        for low, high, label in edges:
            if low <= int(days) <= high:
                counts[label] += count
    return [(label, float(n)) for label, n in counts.items()]
