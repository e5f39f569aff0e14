"""The value types the dashboard is made of: ``Dataset`` (one chart's rows, shared by the
chart, its table and its CSV), ``Bar``, ``Matrix`` (a heat map, optionally backed by
``CellArrays``), ``Headline``, ``Pair`` and the whole ``Dashboard``; and ``display``, the one
rule for writing a figure as text. No queries here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from . import network
from .filters import Filters
from .privacy import SUPPRESSED_TEXT, Cell, Part

TOP = 10


@dataclass
class Dataset:
    """One chart's rows. ``cells`` hold the numbers with their suppression state."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    note: str = ""
    csv_only: bool = False  # too long for the page; a download only

    def display_rows(self) -> list[list[str]]:
        return [[display(value) for value in row] for row in self.rows]


def display(value: Any) -> str:
    if isinstance(value, Cell):
        if value.suppressed:
            return SUPPRESSED_TEXT
        return _number(value.value)
    if value is None:
        return "\u2013"
    if isinstance(value, float):
        return _number(value)
    return str(value)


def _number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


@dataclass
class Bar:
    label: str
    cell: Cell
    second: Cell | None = None  # a paired bar (offered beside requested)


@dataclass
class Matrix:
    """Rows give, columns receive. Keys are labels once named (ids before)."""

    rows: list[Any]
    columns: list[Any]
    cells: dict[tuple[Any, Any], Cell]
    row_totals: dict[Any, Cell]
    column_totals: dict[Any, Cell]
    total: Cell
    # A system leader's table of every pair of organisations keeps its cells as arrays
    # (``cells`` empty) until a block of them is shown: see ``CellArrays``.
    arrays: CellArrays | None = field(default=None, compare=False, repr=False)


@dataclass
class CellArrays:
    """A matrix's cells as arrays, in the order of their keys (row code * n + column code):
    hours, people and whether each is hidden, instead of a ``Cell`` each."""

    order: list[Any]  # labels by code
    n: int
    keys: Any
    hours: Any
    people: Any
    hidden: Any

    def cells(self, within: Any = None) -> dict[tuple[Any, Any], Cell]:
        """``Cell``s of the entries ``within`` (a mask; all when None), in key order."""
        keys, hours, people, hidden = self.keys, self.hours, self.people, self.hidden
        if within is not None:
            keys, hours, people, hidden = (
                keys[within],
                hours[within],
                people[within],
                hidden[within],
            )
        order, n = self.order, self.n
        return {
            (order[k // n], order[k % n]): Cell(h, p, s)
            for k, h, p, s in zip(
                keys.tolist(), hours.tolist(), people.tolist(), hidden.tolist(), strict=True
            )
        }


def all_cells(matrix: Matrix) -> dict[tuple[Any, Any], Cell]:
    return matrix.arrays.cells() if matrix.arrays is not None else matrix.cells


@dataclass
class Headline:
    label: str
    value: str
    hint: str = ""


@dataclass
class Dashboard:
    filters: Filters
    suppressed: bool
    refreshed_at: datetime | None
    headlines: list[Headline]
    datasets: dict[str, Dataset]
    bars: dict[str, list[Bar]]
    matrices: dict[str, Matrix]
    series: list[tuple[date, Cell, Cell | None, Cell | None]]
    ei: dict[str, list[tuple[str, network.EIScore, float | None, Cell]]]
    org_betweenness: list[tuple[str, float]]


@dataclass
class Pair:
    """Flows from one group to another summed over the range's months.

    ``key`` starts with the giver's and the receiver's group (an organisation or a
    profession): a member is in exactly one of each, which is what ``people_lower_bound``
    relies on.
    """

    key: tuple[Any, ...]
    exchanges: int
    minutes: int
    givers: int
    receivers: int
    cross_org: int = 0
    cross_profession: int = 0

    @property
    def part(self) -> Part:
        return Part(self.key[0], self.key[1], self.givers, self.receivers)
