"""What every chart is drawn with: the palette, the SVG wrapper and its text and shapes."""

from __future__ import annotations

from html import escape as _html_escape

from django.utils.safestring import SafeString, mark_safe

PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#444444"]
INK = "#212b32"
MUTED = "#4c6272"
GRID = "#d8dde0"
HATCH = "hatch"
WIDTH = 640
FONT = 'font-family="inherit" font-size="13"'


def escape(text: object) -> str:
    """What ``django.utils.html.escape`` writes (``&<>"'`` as entities), without its lazy-string
    wrapper, which costs several times the escaping itself: a dashboard escapes a few thousand
    strings. The result is plain ``str``: only the finished chart or table is marked safe."""
    return _html_escape(str(text))


def svg(
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


def text(
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


def rect(x: float, y: float, w: float, h: float, fill: str, extra: str = "") -> str:
    return f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{fill}"{extra}/>'


def clip(label: str, length: int = 30) -> str:
    return label if len(label) <= length else label[: length - 1] + "\u2026"


def empty(key: str, title: str) -> SafeString:
    return svg(
        key,
        40,
        title,
        "No data for the chosen filters.",
        [text(8, 26, "No data for these filters yet.", fill=MUTED)],
    )
