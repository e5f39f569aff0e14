"""Small-number suppression for viewers who are not coordinators (docs/insight.md, "Privacy").

A figure that rests on fewer than ``MIN_PEOPLE`` people is shown as "fewer than 5". Where
figures add up to a shown total (a bar chart and its total, a matrix and its row and column
totals), suppressing one figure alone would let anyone recover it by subtraction, so more
figures are suppressed until every such sum has none or at least two hidden parts
(complementary suppression, the usual rule for published statistics).

People are rarely known exactly for a sum over months: see ``people_lower_bound``. A lower
bound is safe: when in doubt, a figure is hidden.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

MIN_PEOPLE = 5
SUPPRESSED_TEXT = "fewer than 5"


@dataclass(slots=True)
class Cell:
    """A figure and the number of people it rests on."""

    value: float
    people: int
    suppressed: bool = False

    @property
    def shown(self) -> float | None:
        return None if self.suppressed else self.value


class Part(NamedTuple):
    """An aggregate cell: its two groups, and its most distinct givers and receivers in
    any one month."""

    giver_group: Hashable
    receiver_group: Hashable
    givers: int
    receivers: int


def people_lower_bound(parts: Iterable[Part]) -> int:
    """At least how many different people a sum of aggregate cells rests on.

    Every member belongs to exactly one group (organisation, or profession with kind and
    place), so givers in different groups are different people: the givers number at least
    the sum, over giver groups, of the largest count of that group's givers in any one cell.
    Likewise receivers. When no group appears on both sides, givers and receivers are
    different people too and the two bounds add up.
    """
    return people_by((None, part) for part in parts).get(None, 0)


def people_by(keyed_parts: Iterable[tuple[Hashable, Part]]) -> dict[Hashable, int]:
    """``people_lower_bound`` for many sums at once, in one pass: parts arrive with the key
    of the sum they belong to (a part may arrive under several keys)."""
    givers: dict[Hashable, dict[Hashable, int]] = {}
    receivers: dict[Hashable, dict[Hashable, int]] = {}
    for key, (giver_group, receiver_group, g, r) in keyed_parts:
        gd = givers.get(key)
        if gd is None:
            gd = givers[key] = {}
            receivers[key] = {}
        rd = receivers[key]
        if g > gd.get(giver_group, 0):
            gd[giver_group] = g
        if r > rd.get(receiver_group, 0):
            rd[receiver_group] = r
    result: dict[Hashable, int] = {}
    for key, gd in givers.items():
        rd = receivers[key]
        g_total, r_total = sum(gd.values()), sum(rd.values())
        result[key] = g_total + r_total if gd.keys().isdisjoint(rd) else max(g_total, r_total)
    return result


def primary(cells: Iterable[Cell], *, apply: bool) -> None:
    if not apply:
        return
    for cell in cells:
        if cell.value and cell.people < MIN_PEOPLE:
            cell.suppressed = True


def protect_sums(relations: Sequence[Sequence[Cell]], *, apply: bool) -> None:
    """Complementary suppression: no sum may have exactly one hidden part.

    Each relation is the parts of a sum followed by the sum itself. While some relation
    has exactly one hidden member, hide its smallest other non-zero part (the sum itself
    only when no part is left). Relations are visited in order, pass after pass, until a
    pass changes nothing; a cell may be in several relations (``protect_arrays`` does the
    work).
    """
    if not apply:
        return
    sums = Sums()
    for relation in relations:
        sums.add(relation)
    sums.protect()


class Sums:
    """Relations for ``protect_arrays``, in order: lists of ``Cell``s (``add``), and blocks
    of cells kept as arrays rather than a ``Cell`` each (``block``, ``add_indexes``), such
    as the 10,000 pairs of organisations of a system leader's heat map."""

    def __init__(self) -> None:
        self._index: dict[int, int] = {}
        self._cells: list[Cell] = []
        self._members: list[Any] = []
        self._lengths: list[Any] = []
        self._pending: list[int] = []
        self._pending_lengths: list[int] = []
        self._blocks: list[tuple[int, Any, Any]] = []  # (first index, values, hidden)
        self._size = 0

    def add(self, relation: Sequence[Cell]) -> None:
        index = self._index
        for cell in relation:
            i = index.get(id(cell))
            if i is None:
                i = index[id(cell)] = self._new(1)
                self._cells.append(cell)
            self._pending.append(i)
        self._pending_lengths.append(len(relation))

    def cell_index(self, cell: Cell) -> int:
        """Where a cell is, to name it in ``add_indexes`` (added if new)."""
        i = self._index.get(id(cell))
        if i is None:
            i = self._index[id(cell)] = self._new(1)
            self._cells.append(cell)
        return i

    def block(self, values: Any, hidden: Any) -> int:
        """Cells as arrays (``hidden`` is updated in place by ``protect``); returns the
        index of the first."""
        first = self._new(len(values))
        self._blocks.append((first, values, hidden))
        return first

    def add_indexes(self, members: Any, lengths: Any) -> None:
        """Relations given as indexes (``block`` and ``cell_index``), ``lengths[r]`` each."""
        self._flush()
        self._members.append(np.asarray(members, np.int64))
        self._lengths.append(np.asarray(lengths, np.int64))

    def protect(self) -> None:
        self._flush()
        size = self._size
        values = np.zeros(size, np.float64)
        hidden = np.zeros(size, bool)
        # Cells and blocks interleave: positions of single cells, then each block's range.
        singles = np.array([self._index[id(c)] for c in self._cells], np.int64)
        values[singles] = [c.value for c in self._cells]
        hidden[singles] = [c.suppressed for c in self._cells]
        for first, block_values, block_hidden in self._blocks:
            values[first : first + len(block_values)] = block_values
            hidden[first : first + len(block_values)] = block_hidden
        before = hidden.copy()
        protect_arrays(
            values,
            hidden,
            np.concatenate(self._members) if self._members else np.zeros(0, np.int64),
            np.concatenate(self._lengths) if self._lengths else np.zeros(0, np.int64),
        )
        for i in np.flatnonzero(hidden[singles] & ~before[singles]).tolist():
            self._cells[i].suppressed = True
        for first, block_values, block_hidden in self._blocks:
            block_hidden[:] = hidden[first : first + len(block_values)]

    def _new(self, count: int) -> int:
        first = self._size
        self._size += count
        return first

    def _flush(self) -> None:
        if self._pending_lengths:
            self._members.append(np.array(self._pending, np.int64))
            self._lengths.append(np.array(self._pending_lengths, np.int64))
            self._pending, self._pending_lengths = [], []


def protect_arrays(values: Any, hidden: Any, members: Any, lengths: Any) -> None:
    """``protect_sums`` on arrays: the cells' values and whether each is hidden (updated in
    place); each relation is ``lengths[r]`` consecutive cell indexes of ``members``, the
    parts and then the sum.

    The same walk as visiting each relation's cells in turn, cell by cell, but a relation's
    hidden members are counted once and kept up to date as cells are hidden, so a pass
    costs one look per relation rather than one per cell (10,000 cells of organisation
    pairs on a system leader's page).
    """
    relation_count = len(lengths)
    if not relation_count:
        return
    ends = np.cumsum(lengths)
    starts = ends - lengths
    relation_of = np.repeat(np.arange(relation_count), lengths)
    hidden_members = hidden[members].astype(np.int64)
    count = np.bincount(relation_of, weights=hidden_members, minlength=relation_count)
    counts: list[int] = count.astype(np.int64).tolist()
    # Where each cell occurs: the relations of its occurrences, grouped by cell.
    order = np.argsort(members, kind="stable")
    by_cell = relation_of[order]
    cell_starts = np.searchsorted(members[order], np.arange(len(values) + 1))
    start_list, end_list = starts.tolist(), ends.tolist()
    changed = True
    while changed:
        changed = False
        for r in range(relation_count):
            if counts[r] != 1:
                continue
            start, end = start_list[r], end_list[r]
            parts = members[start : end - 1]
            open_parts = parts[~hidden[parts] & (values[parts] != 0)]
            if len(open_parts):
                target = int(open_parts[np.argmin(values[open_parts])])
            else:
                whole = int(members[end - 1])
                if hidden[whole] or not values[whole]:
                    continue
                target = whole
            hidden[target] = True
            for s in by_cell[cell_starts[target] : cell_starts[target + 1]].tolist():
                counts[s] += 1
            changed = True


def suppress_list(items: Sequence[Cell], total: Cell, *, apply: bool) -> None:
    """A list of figures that sum to a shown total."""
    primary([*items, total], apply=apply)
    protect_sums([[*items, total]], apply=apply)


def suppress_matrix(
    cells: Mapping[tuple[Any, Any], Cell],
    rows: Mapping[Any, Cell],
    columns: Mapping[Any, Cell],
    total: Cell,
    *,
    apply: bool,
) -> None:
    """A table of figures with row totals, column totals and a grand total."""
    primary([*cells.values(), *rows.values(), *columns.values(), total], apply=apply)
    relations: list[list[Cell]] = []
    for r, row_total in rows.items():
        relations.append([c for (a, _), c in cells.items() if a == r] + [row_total])
    for k, column_total in columns.items():
        relations.append([c for (_, b), c in cells.items() if b == k] + [column_total])
    relations.append([*rows.values(), total])
    relations.append([*columns.values(), total])
    protect_sums(relations, apply=apply)


def share_hidden(part_people: int, whole_people: int, *, apply: bool) -> bool:
    """A share of people is hidden when the part or the rest is fewer than 5 people."""
    if not apply or whole_people == 0:
        return False
    rest = whole_people - part_people
    return 0 < part_people < MIN_PEOPLE or 0 < rest < MIN_PEOPLE
