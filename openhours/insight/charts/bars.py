"""Horizontal bars: values (single or paired) and the E-I index of each group."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.safestring import SafeString

from ..network import EIScore
from ..privacy import Cell
from ..values import Bar, display
from .svg import GRID, HATCH, INK, MUTED, PALETTE, WIDTH, clip, empty, rect, svg, text


def bar_chart(
    key: str, title: str, bars: Sequence[Bar], *, unit: str, legend: tuple[str, str] | None = None
) -> SafeString:
    """Horizontal bars, the value written at the end of each; paired bars when ``legend``."""
    if not bars:
        return empty(key, title)
    label_w, row_h = 210, 34 if legend else 26
    top = 30 if legend else 8
    values = [b.cell.value for b in bars if not b.cell.suppressed]
    values += [b.second.value for b in bars if b.second is not None and not b.second.suppressed]
    biggest = max(values, default=0) or 1
    span = WIDTH - label_w - 110
    body: list[str] = []
    if legend:
        body += [
            f'<rect x="{label_w}" y="6" width="14" height="14" fill="{PALETTE[0]}"/>',
            text(label_w + 20, 18, legend[0]),
            rect(label_w + 150, 6, 14, 14, f"url(#{key}-{HATCH})", f' stroke="{INK}"'),
            text(label_w + 170, 18, legend[1]),
        ]
    for i, bar in enumerate(bars):
        y = top + i * row_h
        body.append(text(label_w - 8, y + 15, clip(bar.label), anchor="end"))
        parts = [(bar.cell, PALETTE[0])]
        if bar.second is not None:
            parts.append((bar.second, f"url(#{key}-{HATCH})"))
        h = 12 if legend else 18
        for j, (cell, fill) in enumerate(parts):
            yy = y + 2 + j * (h + 2)
            if cell.suppressed:
                body.append(f'<rect x="{label_w}" y="{yy}" width="6" height="{h}" fill="{GRID}"/>')
                body.append(text(label_w + 12, yy + h - 2, "fewer than 5", fill=MUTED, size=12))
                continue
            w = max(1.0, span * cell.value / biggest) if cell.value else 0
            stroke = f' stroke="{INK}" stroke-width="1"' if "url" in fill else ""
            body.append(
                f'<rect x="{label_w}" y="{yy}" width="{w:.1f}" height="{h}" fill="{fill}"{stroke}/>'
            )
            body.append(
                text(label_w + w + 6, yy + h - 3, f"{display(cell)} {unit}".strip(), size=12)
            )
    shown = [b for b in bars if not b.cell.suppressed]
    desc = "; ".join(f"{b.label}: {display(b.cell)} {unit}" for b in shown[:5])
    return svg(
        key, top + len(bars) * row_h + 6, title, f"Largest: {desc}." if desc else title, body
    )


def ei_chart(
    key: str,
    title: str,
    rows: Sequence[tuple[str, EIScore, float | None, Cell]],
    *,
    limit: int = 12,
) -> SafeString:
    """E-I from -1 (every exchange inside) to +1 (every exchange across), a bar from 0."""
    shown = [r for r in rows if not r[3].suppressed and r[1].index is not None]
    shown = sorted(shown, key=lambda r: -r[1].ties)[:limit]
    shown.sort(key=lambda r: r[1].index or 0)
    if not shown:
        return empty(key, title)
    label_w, row_h, top = 210, 24, 26
    span = (WIDTH - label_w - 60) / 2
    zero = label_w + span
    body = [
        text(label_w, 16, "\u22121 inward", fill=MUTED, size=11),
        text(zero, 16, "0", anchor="middle", fill=MUTED, size=11),
        text(label_w + 2 * span, 16, "+1 outward", anchor="end", fill=MUTED, size=11),
    ]
    for i, (label, score, _previous, _cell) in enumerate(shown):
        y = top + i * row_h
        value = score.index or 0
        w = abs(value) * span
        x = zero - w if value < 0 else zero
        fill = PALETTE[5] if value < 0 else PALETTE[0]
        body.append(text(label_w - 8, y + 14, clip(label), anchor="end", size=12))
        body.append(
            f'<rect x="{x:.1f}" y="{y + 2}" width="{max(w, 1):.1f}" height="15" fill="{fill}"/>'
        )
        tx = x - 4 if value < 0 else x + w + 4
        body.append(
            text(
                tx,
                y + 14,
                f"{value:+.2f} ({score.ties})",
                anchor="end" if value < 0 else "start",
                size=11,
            )
        )
    body.append(
        f'<line x1="{zero:.1f}" x2="{zero:.1f}" y1="{top - 4}" '
        f'y2="{top + len(shown) * row_h}" stroke="{INK}"/>'
    )
    desc = "; ".join(f"{label}: {score.index:+.2f}" for label, score, _p, _c in shown[:4])
    return svg(key, top + len(shown) * row_h + 6, title, f"Most inward first: {desc}.", body)
