"""The table beside every chart, with the same rows."""

from __future__ import annotations

from html import escape as _html_escape

from django.utils.safestring import SafeString, mark_safe

from ..values import Dataset
from .svg import escape

_NUM_CELLS = '</td><td class="num">'
# Between the cells and the rows of a table while it is escaped in one piece (``table``).
_CELL, _ROW = "\x1f", "\x1e"


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
