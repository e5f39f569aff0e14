"""The charts drawn on the server: what they show, in an order that doesn't change."""

from __future__ import annotations

import re

from openhours.insight import charts
from openhours.insight.privacy import Cell
from openhours.insight.values import Matrix


def _matrix(hours: dict[tuple[str, str], float]) -> Matrix:
    cells = {pair: Cell(value, 10) for pair, value in hours.items()}
    return Matrix(
        rows=sorted({a for a, _ in hours}),
        columns=sorted({b for _, b in hours}),
        cells=cells,
        row_totals={},
        column_totals={},
        total=Cell(sum(hours.values()), 10),
    )


def _labels(svg: str) -> list[str]:
    return re.findall(r">([^<>]+) \(\d[^<>]*\)</text>", svg)


def test_the_flow_diagram_puts_the_largest_first_and_equal_hours_in_order_of_name() -> None:
    svg = charts.sankey(
        "flows",
        "Hours between kinds",
        _matrix(
            {
                ("Voluntary", "NHS trust"): 5,
                ("GP practice", "NHS trust"): 5,
                ("Hospice", "GP practice"): 5,
                ("NHS trust", "Voluntary"): 9,
            }
        ),
    )
    # Givers: NHS trust (9) first, then the three with 5 hours by name; then receivers.
    assert _labels(svg) == [
        "NHS trust",
        "GP practice",
        "Hospice",
        "Voluntary",
        "NHS trust",
        "Voluntary",
        "GP practice",
    ]
