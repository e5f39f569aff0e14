"""The fast paths for the dashboard's HTML write exactly what the slow ones did.

Tables escape their cells in one piece and figures are built in Python rather than by
including ``insight/_figure.html``: both must give the same bytes, quotes and all.
"""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape as django_escape
from django.utils.safestring import mark_safe

from openhours.insight import charts, rendering
from openhours.insight.privacy import Cell
from openhours.insight.values import Bar, Dataset

AWKWARD = ["A & B <Trust>", 'say "hi"', "it's", "plain", "", "x\x1fy", "r\x1es", "&amp;"]


def _table_as_before(dataset: Dataset, figure: str) -> str:
    """The table as it was written before: every cell through Django's escape."""
    rows = dataset.display_rows()
    caption = f"{dataset.key}-{figure}-table"
    numeric = ' class="num"'
    head = "".join(
        f'<th scope="col"{numeric if i else ""}>{django_escape(c)}</th>'
        for i, c in enumerate(dataset.columns)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{django_escape(v)}</td>'
            if i
            else f'<th scope="row">{django_escape(v)}</th>'
            for i, v in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    note = f'<p class="meta">{django_escape(dataset.note)}</p>' if dataset.note else ""
    return (
        f'<div class="table-scroll" role="region" aria-labelledby="{caption}" tabindex="0">'
        f'<table class="ledger-table insight-table"><caption id="{caption}">'
        f"{django_escape(dataset.title)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table></div>{note}"
    )


@pytest.mark.parametrize(
    "rows",
    [
        [["North & <South>", Cell(1234.5, 9), 3.0, None], ['"Quoted"', Cell(2, 1, True), 1.5, 7]],
        [[label, label, Cell(5, 5)] for label in AWKWARD],  # the separators take the slow path
        [["only a label"], ["<b>"], ["two", "cells"]],
        [[], ["after an empty row", Cell(1, 1)]],
    ],
)
def test_a_table_escapes_every_cell_exactly_as_django_does(rows: list[list[object]]) -> None:
    dataset = Dataset(
        "by_kind", "Hours by <kind> & 'place'", ["Kind & co", "Hours", "x"], rows, note="a < b"
    )
    html = charts.table(dataset, "figure")
    assert html == _table_as_before(dataset, "figure")
    assert "&lt;" in html and "&amp;" in html
    assert "<b>" not in html and "<South>" not in html


def test_chart_text_is_escaped_as_django_does() -> None:
    for text in AWKWARD:
        assert charts.escape(text) == django_escape(text)
    svg = charts.bar_chart("k", "A <title> & 'more'", [Bar('"x" & <y>', Cell(3, 5))], unit="h")
    assert '<title id="k-title">A &lt;title&gt; &amp; &#x27;more&#x27;</title>' in svg
    assert "&quot;x&quot; &amp; &lt;y&gt;" in svg
    assert '"x" &' not in svg


def _figures() -> list[rendering.Figure]:
    plain = Dataset("by_kind", "Hours & <kinds>", ["Kind", "Hours"], [["A & B", Cell(3, 5)]])
    second = Dataset("flow_org_all", "Every 'pair'", ["Giver's org", "Hours"], [["x", 1.0]])
    pairs = Dataset("flow_org", "All pairs", ["Org", "Hours"], [], csv_only=True)
    noted = Dataset("value", 'The "value"', ["Group", "£"], [["a", 2.5]], note="PSSRU & co")
    chart = mark_safe("<svg>chart</svg>")
    return [
        rendering.Figure("by_kind", "Hours & <kinds>", chart, [plain]),
        rendering.Figure("flow_org", "Flows", chart, [plain, second, pairs], "Rows <give>."),
        rendering.Figure("flow_two", "Two tables, no chart", None, [plain, noted]),
        rendering.Figure("value", "No chart", None, [noted], "An 'explanation'"),
        rendering.Figure("pairs", "Only a CSV", None, [pairs]),
        rendering.Figure("empty", "Nothing", chart, []),
        rendering.Figure("no_columns", "Several", chart, [Dataset("a", "A", [], []), second]),
    ]


@pytest.mark.parametrize("index", range(len(_figures())))
def test_a_figure_built_in_python_is_what_the_figure_template_renders(index: int) -> None:
    figure = _figures()[index]
    query = "start=2025-01-01&end=2025-12-31&kind=gp_practice"
    template = render_to_string("insight/_figure.html", {"figure": figure, "query": query})
    assert rendering.figure_markup(figure, query) == template


def test_export_addresses_are_what_reverse_gives() -> None:
    url = rendering.export_urls()
    for key in ("headline", "flow_org", "silo-profession", "key", "k3y_2"):
        assert url(key) == reverse("insight:export", args=[key])
    with pytest.raises(NoReverseMatch):
        url("not a slug")
