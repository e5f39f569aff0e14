"""The charts of a matrix of flows between groups: the heatmap and the sankey."""

from __future__ import annotations

from django.utils.safestring import SafeString

from ..values import Matrix, display
from .svg import HATCH, INK, MUTED, PALETTE, WIDTH, clip, empty, escape, rect, svg, text


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
        return empty(key, title)
    label_w = 190
    cell_w = max(44, min(70, (WIDTH - label_w) // max(1, len(matrix.columns))))
    cell_h = 30
    head_h = 120
    width = max(WIDTH, label_w + cell_w * len(matrix.columns) + 100)
    values = [c.value for c in matrix.cells.values() if not c.suppressed]
    biggest = max(values, default=0)
    body: list[str] = [
        text(
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
            f"{escape(clip(column, 24))}</text>"
        )
    for i, row in enumerate(matrix.rows):
        y = head_h + i * cell_h
        body.append(text(label_w - 8, y + 20, clip(row, 28), anchor="end", size=12))
        for j, column in enumerate(matrix.columns):
            x = label_w + j * cell_w
            cell = matrix.cells.get((row, column))
            if cell is None:
                body.append(rect(x, y, cell_w - 2, cell_h - 2, "#f4f6f7"))
                continue
            if cell.suppressed:
                body.append(
                    rect(x, y, cell_w - 2, cell_h - 2, f"url(#{key}-{HATCH})", ' opacity="0.35"')
                )
                body.append(
                    text(x + cell_w / 2 - 1, y + 19, "<5", anchor="middle", size=12, weight="700")
                )
                continue
            fill, ink = _shade(cell.value, biggest)
            body.append(
                f'<rect x="{x}" y="{y}" width="{cell_w - 2}" height="{cell_h - 2}" fill="{fill}"/>'
            )
            body.append(
                text(
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
    return svg(
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
        return empty(key, title)
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
            body.append(rect(x, pos[name], node_w, max(h, 1), fill))
            body.append(
                text(
                    x + dx,
                    pos[name] + max(h, 12) / 2 + 4,
                    f"{clip(name, 26)} ({_short(h / scale)})",
                    anchor=anchor,
                    size=12,
                )
            )
    body.append(text(x_left, height + 14, "gives", anchor="middle", fill=MUTED, size=12))
    body.append(
        text(x_right + node_w / 2, height + 14, "receives", anchor="middle", fill=MUTED, size=12)
    )
    top = sorted(flows, key=lambda f: -f[1])[:3]
    desc = "; ".join(f"{a} to {b}: {_short(v)} {unit}" for (a, b), v in top)
    return svg(key, height + 22, title, f"Largest flows: {desc}.", body)
