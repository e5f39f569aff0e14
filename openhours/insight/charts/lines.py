"""The line chart of two shares over months."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.utils.safestring import SafeString

from ..privacy import Cell
from .svg import GRID, MUTED, PALETTE, WIDTH, empty, rect, svg, text


def line_chart(
    key: str, title: str, series: Sequence[tuple[date, Cell, Cell | None, Cell | None]]
) -> SafeString:
    """Two shares over months, 0-100 %.

    Crossing an organisation is solid with circles; crossing a profession dashed with squares.
    """
    # Long on purpose: one picture drawn top to bottom; its parts (grid, labels, marks,
    # legend) share the layout computed at the top. Speed: tests/test_charts_speed.py.
    points = [(m, o, p) for m, _n, o, p in series]
    if not points:
        return empty(key, title)
    left, right, top, bottom, height = 48, 24, 44, 40, 290
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    step = plot_w / max(1, len(points) - 1)

    def xy(i: int, value: float) -> tuple[float, float]:
        return left + i * step if len(points) > 1 else left + plot_w / 2, top + plot_h * (
            1 - value / 100
        )

    body: list[str] = []
    for pct in (0, 25, 50, 75, 100):
        y = top + plot_h * (1 - pct / 100)
        body.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
        )
        body.append(text(left - 6, y + 4, f"{pct}%", anchor="end", fill=MUTED, size=11))
    every = max(1, len(points) // 6)
    for i, (month, _o, _p) in enumerate(points):
        if i % every == 0 or i == len(points) - 1:
            body.append(
                text(
                    xy(i, 0)[0],
                    height - bottom + 18,
                    month.strftime("%b %Y"),
                    anchor="middle",
                    fill=MUTED,
                    size=11,
                )
            )
    styles = [
        ("Cross an organisation", 1, PALETTE[0], "", "circle"),
        ("Cross a profession", 2, PALETTE[5], ' stroke-dasharray="7 4"', "square"),
    ]
    for name, index, colour, dash, marker in styles:
        coords = []
        for i, (_month, by_org, by_profession) in enumerate(points):
            cell = by_org if index == 1 else by_profession
            if cell is not None and not cell.suppressed:
                coords.append((i, cell.value))
        if not coords:
            continue
        path = " ".join(
            f"{'M' if n == 0 else 'L'}{xy(i, v)[0]:.1f},{xy(i, v)[1]:.1f}"
            for n, (i, v) in enumerate(coords)
        )
        body.append(f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="3"{dash}/>')
        for i, v in coords:
            x, y = xy(i, v)
            if marker == "circle":
                body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{colour}"/>')
            else:
                body.append(
                    f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
                )
        # A legend above the plot: the line's dash and marker, its name and latest value.
        lx = left + (index - 1) * 290
        body.append(
            f'<line x1="{lx}" x2="{lx + 34}" y1="14" y2="14" stroke="{colour}" '
            f'stroke-width="3"{dash}/>'
        )
        if marker == "circle":
            body.append(f'<circle cx="{lx + 17}" cy="14" r="4.5" fill="{colour}"/>')
        else:
            body.append(rect(lx + 13, 10, 8, 8, colour))
        last_month = points[coords[-1][0]][0]
        body.append(
            text(lx + 42, 18, f"{name}: {coords[-1][1]:.0f}% in {last_month:%b %Y}", size=12)
        )
    shown = [(m, o) for m, o, _p in points if o is not None and not o.suppressed]
    desc = (
        f"From {shown[0][0]:%B %Y} to {shown[-1][0]:%B %Y} the share crossing an organisation went "
        f"from {shown[0][1].value:.0f}% to {shown[-1][1].value:.0f}%."
        if shown
        else title
    )
    return svg(key, height, title, desc, body)
