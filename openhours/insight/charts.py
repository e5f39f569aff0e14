"""Charts drawn on the server as SVG: no JavaScript, no CDN, nothing to download.

Every chart has a ``<title>`` and a ``<desc>`` (its text alternative, naming the largest
figures), is scaled by its ``viewBox`` to the width of the screen, and stays readable in
greyscale: values are written on the bars and cells, the two series of a line chart differ
by dash and marker shape, and paired bars by a hatch pattern. Colours are from the
Okabe-Ito palette, which colour-blind readers can tell apart. A table with the same rows
sits beside every chart (templates), so nothing is only in the picture.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape as _html_escape

from django.utils.safestring import SafeString, mark_safe

from .network import EIScore
from .privacy import Cell
from .values import Bar, Dataset, Matrix, display

PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#444444"]
INK = "#212b32"
MUTED = "#4c6272"
GRID = "#d8dde0"
HATCH = "hatch"
WIDTH = 640
FONT = 'font-family="inherit" font-size="13"'
_NUM_CELLS = '</td><td class="num">'
# Between the cells and the rows of a table while it is escaped in one piece (``table``).
_CELL, _ROW = "\x1f", "\x1e"


def escape(text: object) -> str:
    """What ``django.utils.html.escape`` writes (``&<>"'`` as entities), without its lazy-string
    wrapper, which costs several times the escaping itself: a dashboard escapes a few thousand
    strings. The result is plain ``str``: only the finished chart or table is marked safe."""
    return _html_escape(str(text))


def _svg(
    key: str, height: float, title: str, desc: str, body: list[str], width: int = WIDTH
) -> SafeString:
    # Never narrower than 85% of its drawn size, so 12-13px text stays readable on a
    # phone: the chart scrolls sideways in its own region instead of shrinking.
    head = (
        f'<svg class="chart" viewBox="0 0 {width} {height:.0f}" role="img" '
        f'style="min-width: {round(width * 0.85)}px" '
        f'aria-labelledby="{key}-title {key}-desc" xmlns="http://www.w3.org/2000/svg" {FONT}>'
        f'<title id="{key}-title">{escape(title)}</title>'
        f'<desc id="{key}-desc">{escape(desc)}</desc>'
        f'<defs><pattern id="{key}-{HATCH}" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{INK}" stroke-width="2.5"/></pattern></defs>'
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 (every text is escaped)


def _text(
    x: float,
    y: float,
    text: str,
    *,
    anchor: str = "start",
    fill: str = INK,
    weight: str = "400",
    size: int = 13,
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}" '
        f'font-weight="{weight}" font-size="{size}">{escape(text)}</text>'
    )


def _rect(x: float, y: float, w: float, h: float, fill: str, extra: str = "") -> str:
    return f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{fill}"{extra}/>'


def _clip(label: str, length: int = 30) -> str:
    return label if len(label) <= length else label[: length - 1] + "\u2026"


def _empty(key: str, title: str) -> SafeString:
    return _svg(
        key,
        40,
        title,
        "No data for the chosen filters.",
        [_text(8, 26, "No data for these filters yet.", fill=MUTED)],
    )


def bar_chart(
    key: str, title: str, bars: Sequence[Bar], *, unit: str, legend: tuple[str, str] | None = None
) -> SafeString:
    """Horizontal bars, the value written at the end of each; paired bars when ``legend``."""
    if not bars:
        return _empty(key, title)
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
            _text(label_w + 20, 18, legend[0]),
            _rect(label_w + 150, 6, 14, 14, f"url(#{key}-{HATCH})", f' stroke="{INK}"'),
            _text(label_w + 170, 18, legend[1]),
        ]
    for i, bar in enumerate(bars):
        y = top + i * row_h
        body.append(_text(label_w - 8, y + 15, _clip(bar.label), anchor="end"))
        parts = [(bar.cell, PALETTE[0])]
        if bar.second is not None:
            parts.append((bar.second, f"url(#{key}-{HATCH})"))
        h = 12 if legend else 18
        for j, (cell, fill) in enumerate(parts):
            yy = y + 2 + j * (h + 2)
            if cell.suppressed:
                body.append(f'<rect x="{label_w}" y="{yy}" width="6" height="{h}" fill="{GRID}"/>')
                body.append(_text(label_w + 12, yy + h - 2, "fewer than 5", fill=MUTED, size=12))
                continue
            w = max(1.0, span * cell.value / biggest) if cell.value else 0
            stroke = f' stroke="{INK}" stroke-width="1"' if "url" in fill else ""
            body.append(
                f'<rect x="{label_w}" y="{yy}" width="{w:.1f}" height="{h}" fill="{fill}"{stroke}/>'
            )
            body.append(
                _text(label_w + w + 6, yy + h - 3, f"{display(cell)} {unit}".strip(), size=12)
            )
    shown = [b for b in bars if not b.cell.suppressed]
    desc = "; ".join(f"{b.label}: {display(b.cell)} {unit}" for b in shown[:5])
    return _svg(
        key, top + len(bars) * row_h + 6, title, f"Largest: {desc}." if desc else title, body
    )


def _shade(value: float, biggest: float) -> tuple[str, str]:
    """A sequential blue, light to dark, and a text colour that contrasts with it."""
    if biggest <= 0 or value <= 0:
        return "#f4f6f7", INK
    t = (value / biggest) ** 0.5
    # From light (232, 241, 250) towards dark (0, 48, 135): light + (dark - light) * t.
    red, green, blue = round(232 - 232 * t), round(241 - 193 * t), round(250 - 115 * t)
    return f"#{red:02x}{green:02x}{blue:02x}", ("#ffffff" if t > 0.45 else INK)


def heatmap(key: str, title: str, matrix: Matrix, *, unit: str = "hours") -> SafeString:
    """Rows give, columns receive; every cell carries its number (or "<5")."""
    # Long on purpose: one picture drawn top to bottom; its parts (grid, labels, marks,
    # legend) share the layout computed at the top. Speed: tests/test_charts_speed.py.
    if not matrix.rows:
        return _empty(key, title)
    label_w = 190
    cell_w = max(44, min(70, (WIDTH - label_w) // max(1, len(matrix.columns))))
    cell_h = 30
    head_h = 120
    width = max(WIDTH, label_w + cell_w * len(matrix.columns) + 100)
    values = [c.value for c in matrix.cells.values() if not c.suppressed]
    biggest = max(values, default=0)
    body: list[str] = [
        _text(
            label_w - 8,
            head_h - 8,
            "gives \u2193 / receives \u2192",
            anchor="end",
            fill=MUTED,
            size=12,
        )
    ]
    for j, column in enumerate(matrix.columns):
        x = label_w + j * cell_w + cell_w / 2
        body.append(
            f'<text transform="translate({x + 4:.1f},{head_h - 6}) rotate(-50)" '
            f'font-size="12" fill="{INK}">'
            f"{escape(_clip(column, 24))}</text>"
        )
    for i, row in enumerate(matrix.rows):
        y = head_h + i * cell_h
        body.append(_text(label_w - 8, y + 20, _clip(row, 28), anchor="end", size=12))
        for j, column in enumerate(matrix.columns):
            x = label_w + j * cell_w
            cell = matrix.cells.get((row, column))
            if cell is None:
                body.append(_rect(x, y, cell_w - 2, cell_h - 2, "#f4f6f7"))
                continue
            if cell.suppressed:
                body.append(
                    _rect(x, y, cell_w - 2, cell_h - 2, f"url(#{key}-{HATCH})", ' opacity="0.35"')
                )
                body.append(
                    _text(x + cell_w / 2 - 1, y + 19, "<5", anchor="middle", size=12, weight="700")
                )
                continue
            fill, ink = _shade(cell.value, biggest)
            body.append(
                f'<rect x="{x}" y="{y}" width="{cell_w - 2}" height="{cell_h - 2}" fill="{fill}"/>'
            )
            body.append(
                _text(
                    x + cell_w / 2 - 1,
                    y + 19,
                    _short(cell.value),
                    anchor="middle",
                    fill=ink,
                    size=12,
                )
            )
    top = sorted(
        ((k, c) for k, c in matrix.cells.items() if not c.suppressed), key=lambda kv: -kv[1].value
    )[:3]
    desc = "; ".join(f"{a} to {b}: {display(c)} {unit}" for (a, b), c in top)
    return _svg(
        key,
        head_h + len(matrix.rows) * cell_h + 8,
        title,
        f"Largest flows: {desc}." if desc else title,
        body,
        width,
    )


def _short(value: float) -> str:
    if value >= 10000:
        return f"{value / 1000:.0f}k"
    if value >= 1000:
        return f"{value / 1000:.1f}k"
    return f"{value:.0f}" if value >= 10 or float(value).is_integer() else f"{value:.1f}"


def sankey(key: str, title: str, matrix: Matrix, *, unit: str = "hours") -> SafeString:
    """Givers' groups on the left, receivers' on the right, bands as wide as the hours.

    Suppressed flows are left out of the drawing (and their nodes' heights) altogether.
    """
    # Long on purpose: one picture drawn top to bottom; its parts (grid, labels, marks,
    # legend) share the layout computed at the top. Speed: tests/test_charts_speed.py.
    flows = [
        ((a, b), c.value) for (a, b), c in matrix.cells.items() if not c.suppressed and c.value > 0
    ]
    if not flows:
        return _empty(key, title)
    # Largest first; equal hours in order of name (not the order of a set of strings,
    # which changes from one process to the next).
    left = sorted(
        {a for (a, _), _ in flows},
        key=lambda s: (-sum(v for (a, _), v in flows if a == s), str(s)),
    )
    right = sorted(
        {b for (_, b), _ in flows},
        key=lambda s: (-sum(v for (_, b), v in flows if b == s), str(s)),
    )
    total = sum(v for _, v in flows)
    gap, height = 10, 360
    usable = height - gap * (max(len(left), len(right)) - 1) - 20
    scale = usable / total
    node_w, x_left, x_right = 14, 200, WIDTH - 214
    colour = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(left)}

    def positions(names: list[str], side: int) -> dict[str, float]:
        y, out = 10.0, {}
        for name in names:
            out[name] = y
            y += sum(v for ab, v in flows if ab[side] == name) * scale + gap
        return out

    ly, ry = positions(left, 0), positions(right, 1)
    body: list[str] = []
    lcur, rcur = dict(ly), dict(ry)
    for (a, b), v in sorted(flows, key=lambda f: (left.index(f[0][0]), right.index(f[0][1]))):
        h = v * scale
        y0, y1 = lcur[a], rcur[b]
        lcur[a] += h
        rcur[b] += h
        x0, x1 = x_left + node_w, x_right
        mid = (x0 + x1) / 2
        body.append(
            f'<path d="M{x0},{y0:.1f} C{mid},{y0:.1f} {mid},{y1:.1f} {x1},{y1:.1f} '
            f'L{x1},{y1 + h:.1f} C{mid},{y1 + h:.1f} {mid},{y0 + h:.1f} {x0},{y0 + h:.1f} Z" '
            f'fill="{colour[a]}" fill-opacity="0.45" stroke="{colour[a]}" stroke-width="0.5">'
            f"<title>{escape(f'{a} to {b}: {_short(v)} {unit}')}</title></path>"
        )
    for names, pos, x, anchor, dx in (
        (left, ly, x_left, "end", -6),
        (right, ry, x_right, "start", node_w + 6),
    ):
        for name in names:
            side = 0 if names is left else 1
            h = sum(v for ab, v in flows if ab[side] == name) * scale
            fill = colour.get(name, INK) if side == 0 else INK
            body.append(_rect(x, pos[name], node_w, max(h, 1), fill))
            body.append(
                _text(
                    x + dx,
                    pos[name] + max(h, 12) / 2 + 4,
                    f"{_clip(name, 26)} ({_short(h / scale)})",
                    anchor=anchor,
                    size=12,
                )
            )
    body.append(_text(x_left, height + 14, "gives", anchor="middle", fill=MUTED, size=12))
    body.append(
        _text(x_right + node_w / 2, height + 14, "receives", anchor="middle", fill=MUTED, size=12)
    )
    top = sorted(flows, key=lambda f: -f[1])[:3]
    desc = "; ".join(f"{a} to {b}: {_short(v)} {unit}" for (a, b), v in top)
    return _svg(key, height + 22, title, f"Largest flows: {desc}.", body)


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
        return _empty(key, title)
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
        body.append(_text(left - 6, y + 4, f"{pct}%", anchor="end", fill=MUTED, size=11))
    every = max(1, len(points) // 6)
    for i, (month, _o, _p) in enumerate(points):
        if i % every == 0 or i == len(points) - 1:
            body.append(
                _text(
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
            body.append(_rect(lx + 13, 10, 8, 8, colour))
        last_month = points[coords[-1][0]][0]
        body.append(
            _text(lx + 42, 18, f"{name}: {coords[-1][1]:.0f}% in {last_month:%b %Y}", size=12)
        )
    shown = [(m, o) for m, o, _p in points if o is not None and not o.suppressed]
    desc = (
        f"From {shown[0][0]:%B %Y} to {shown[-1][0]:%B %Y} the share crossing an organisation went "
        f"from {shown[0][1].value:.0f}% to {shown[-1][1].value:.0f}%."
        if shown
        else title
    )
    return _svg(key, height, title, desc, body)


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
        return _empty(key, title)
    label_w, row_h, top = 210, 24, 26
    span = (WIDTH - label_w - 60) / 2
    zero = label_w + span
    body = [
        _text(label_w, 16, "\u22121 inward", fill=MUTED, size=11),
        _text(zero, 16, "0", anchor="middle", fill=MUTED, size=11),
        _text(label_w + 2 * span, 16, "+1 outward", anchor="end", fill=MUTED, size=11),
    ]
    for i, (label, score, _previous, _cell) in enumerate(shown):
        y = top + i * row_h
        value = score.index or 0
        w = abs(value) * span
        x = zero - w if value < 0 else zero
        fill = PALETTE[5] if value < 0 else PALETTE[0]
        body.append(_text(label_w - 8, y + 14, _clip(label), anchor="end", size=12))
        body.append(
            f'<rect x="{x:.1f}" y="{y + 2}" width="{max(w, 1):.1f}" height="15" fill="{fill}"/>'
        )
        tx = x - 4 if value < 0 else x + w + 4
        body.append(
            _text(
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
    return _svg(key, top + len(shown) * row_h + 6, title, f"Most inward first: {desc}.", body)


def table(dataset: Dataset, figure: str) -> SafeString:
    """The table view of a chart (built here rather than in a template: the dashboard has a
    few thousand cells and this is several times faster)."""
    rows = dataset.display_rows()
    if not rows:
        return mark_safe('<p class="empty">Nothing to show for these filters yet.</p>')
    caption = f"{dataset.key}-{figure}-table"
    numeric = ' class="num"'
    head = "".join(
        f'<th scope="col"{numeric if i else ""}>{escape(c)}</th>'
        for i, c in enumerate(dataset.columns)
    )
    note = f'<p class="meta">{escape(dataset.note)}</p>' if dataset.note else ""
    return mark_safe(  # noqa: S308 (every text is escaped)
        f'<div class="table-scroll" role="region" aria-labelledby="{caption}" tabindex="0">'
        f'<table class="ledger-table insight-table"><caption id="{caption}">'
        f"{escape(dataset.title)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{_table_body(rows)}</tbody></table></div>{note}"
    )


def _table_body(rows: list[list[str]]) -> str:
    """Each row its label as a header cell, then the numbers, every text escaped.

    A dashboard's tables have a few thousand cells. Rather than escape each, the cells are
    joined with control characters that escaping leaves alone, escaped as one string, and
    the separators then become the tags. Should a separator occur in a text itself (the
    counts disagree), each cell is escaped on its own instead: the same HTML either way.
    """
    joined = _ROW.join([_CELL.join(row) for row in rows])
    separators = sum(len(row) - 1 for row in rows if row)
    if joined.count(_CELL) != separators or joined.count(_ROW) != len(rows) - 1:
        return "".join([_row(list(map(_html_escape, row))) for row in rows])
    out = []
    for row, text in zip(rows, _html_escape(joined).split(_ROW), strict=True):
        if len(row) > 1:
            text = text.replace(_CELL, '</th><td class="num">', 1).replace(_CELL, _NUM_CELLS)
            out.append(f'<tr><th scope="row">{text}</td></tr>')
        else:
            out.append(_row([text] if row else []))
    return "".join(out)


def _row(cells: list[str]) -> str:
    """One row of already escaped texts: the first a header cell, the rest numbers."""
    if not cells:
        return "<tr></tr>"
    if len(cells) == 1:
        return f'<tr><th scope="row">{cells[0]}</th></tr>'
    return (
        f'<tr><th scope="row">{cells[0]}</th><td class="num">{_NUM_CELLS.join(cells[1:])}</td></tr>'
    )
