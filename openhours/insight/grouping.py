"""The numpy grouping engine behind every heat map: pairs as arrays (``PairArrays``),
hours and the people behind them per key (``group_arrays``), matrices with their totals
(``full_matrix``) and their relations for secondary suppression.

At 10,000 pairs of organisations, dictionaries of lists per cell, row and column cost
several times more than the rest of the page (docs/insight.md, "Speed"); these functions
keep the pairs as arrays and make a ``Cell`` only for what is shown."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .names import UNKNOWN
from .privacy import Cell, Sums
from .values import TOP, CellArrays, Matrix, Pair


@dataclass
class PairArrays:
    """Pairs as columns: minutes, and for ``people_by`` each side's group (as a code shared
    by both sides) and its most givers and receivers in one month."""

    minutes: Any
    giver_group: Any
    receiver_group: Any
    givers: Any
    receivers: Any
    groups: int

    @classmethod
    def of(cls, pairs: list[Pair]) -> PairArrays:
        return cls.of_columns(
            [p.key[0] for p in pairs],
            [p.key[1] for p in pairs],
            [p.minutes for p in pairs],
            [p.givers for p in pairs],
            [p.receivers for p in pairs],
        )

    @classmethod
    def of_columns(
        cls,
        giver_group: Sequence[int],
        receiver_group: Sequence[int],
        minutes: Sequence[int],
        givers: Sequence[int],
        receivers: Sequence[int],
    ) -> PairArrays:
        """Groups are ids (organisations or professions), coded 0.. on both sides alike."""
        ids = np.array([*giver_group, *receiver_group], np.int64)
        unique, codes = np.unique(ids, return_inverse=True)
        count = len(giver_group)
        return cls(
            minutes=np.array(minutes, np.float64),
            giver_group=codes[:count].astype(np.int64),
            receiver_group=codes[count:].astype(np.int64),
            givers=np.array(givers, np.int64),
            receivers=np.array(receivers, np.int64),
            groups=max(len(unique), 1),
        )

    def take(self, which: Any) -> PairArrays:
        """Some entries (an index or mask), keeping the codes of the groups."""
        return PairArrays(
            self.minutes[which],
            self.giver_group[which],
            self.receiver_group[which],
            self.givers[which],
            self.receivers[which],
            self.groups,
        )

    def concatenate(self, other: PairArrays) -> PairArrays:
        return PairArrays(
            np.concatenate([self.minutes, other.minutes]),
            np.concatenate([self.giver_group, other.giver_group]),
            np.concatenate([self.receiver_group, other.receiver_group]),
            np.concatenate([self.givers, other.givers]),
            np.concatenate([self.receivers, other.receivers]),
            self.groups,
        )


def group_cells(keys: Any, arrays: PairArrays | None, *, suppress: bool) -> dict[int, Cell]:
    """Hours and people per key (``group_arrays``), a ``Cell`` each."""
    if arrays is None or not len(keys):
        return {}
    unique, hours, people = group_arrays(keys, arrays, suppress=suppress)
    return {
        key: Cell(h, p)
        for key, h, p in zip(unique.tolist(), hours.tolist(), people.tolist(), strict=True)
    }


# Keys below this are grouped by counting (``np.bincount``) rather than by sorting.
DENSE_KEYS = 2_000_000


def group_arrays(keys: Any, arrays: PairArrays, *, suppress: bool) -> tuple[Any, Any, Any]:
    """Hours per key, and (when suppressing) ``privacy.people_by`` per key, vectorised:
    per key, the sum over giver groups of their largest count of givers, likewise
    receivers; added when no group is on both sides, else the larger. Returns the keys
    (sorted), hours and people."""
    unique, index = _unique(keys)
    minutes = np.bincount(index, weights=arrays.minutes, minlength=len(unique))
    people = np.zeros(len(unique), np.int64)
    if not suppress:
        return unique, minutes / 60, people
    groups = arrays.groups
    if len(unique) == len(keys):
        # One pair per key (a table of every pair of organisations): its givers and
        # receivers, or the larger where both sides are the same group.
        same = arrays.giver_group == arrays.receiver_group
        larger = np.maximum(arrays.givers, arrays.receivers)
        people[index] = np.where(same, larger, arrays.givers + arrays.receivers)
    elif len(unique) * groups <= DENSE_KEYS:
        # A table of key by group for each side: the largest count, and who is there.
        size = len(unique) * groups
        sides = []
        for group, count in (
            (arrays.giver_group, arrays.givers),
            (arrays.receiver_group, arrays.receivers),
        ):
            at = index * groups + group
            largest = np.zeros(size, np.int64)
            np.maximum.at(largest, at, count)
            present = np.zeros(size, bool)
            present[at] = True
            sides.append((largest.reshape(-1, groups).sum(axis=1), present))
        (givers, giving), (receivers, receiving) = sides
        both = (giving & receiving).reshape(-1, groups).any(axis=1)
        people = np.where(both, np.maximum(givers, receivers), givers + receivers)
    else:
        sides = []
        for group, count in (
            (arrays.giver_group, arrays.givers),
            (arrays.receiver_group, arrays.receivers),
        ):
            keyed = index * groups + group
            pairs, where = np.unique(keyed, return_inverse=True)
            largest = np.zeros(len(pairs), np.int64)
            np.maximum.at(largest, where, count)
            total = np.bincount(pairs // groups, weights=largest, minlength=len(unique))
            sides.append((pairs, total.astype(np.int64)))
        (giver_keys, givers), (receiver_keys, receivers) = sides
        both = np.zeros(len(unique), bool)
        both[np.intersect1d(giver_keys, receiver_keys) // groups] = True
        people = np.where(both, np.maximum(givers, receivers), givers + receivers)
    return unique, minutes / 60, people


def _unique(keys: Any) -> tuple[Any, Any]:
    """``np.unique(keys, return_inverse=True)``; by counting when the keys are small
    non-negative integers (codes of groups, or of pairs of them), which needs no sort."""
    keys = np.asarray(keys)
    if len(keys) and keys.dtype.kind in "iu" and keys.min() >= 0 and keys.max() < DENSE_KEYS:
        present = np.bincount(keys) > 0
        return np.flatnonzero(present), (np.cumsum(present) - 1)[keys]
    return np.unique(keys, return_inverse=True)


def full_matrix(
    row_labels: Sequence[Any],
    column_labels: Sequence[Any],
    arrays: PairArrays,
    suppress: bool,
    *,
    top_cells_only: bool = False,
    as_arrays: bool = False,
) -> Matrix:
    """Hours from row groups to column groups, with totals; nothing suppressed yet. Each
    pair (an entry of ``arrays``) goes in the row and column of its labels.

    Grouped with numpy: at 10,000 pairs of organisations, dictionaries of lists per cell,
    row and column cost several times more than the rest of the page.
    """
    count = len(row_labels)
    order = sorted(set(row_labels) | set(column_labels), key=lambda s: (s in (UNKNOWN, 0), str(s)))
    code = {label: i for i, label in enumerate(order)}
    n = max(len(order), 1)
    rows = np.array(list(map(code.__getitem__, row_labels)), np.int64).reshape(count)
    columns = np.array(list(map(code.__getitem__, column_labels)), np.int64).reshape(count)
    row_cells = group_cells(rows, arrays, suppress=suppress)
    column_cells = group_cells(columns, arrays, suppress=suppress)
    if top_cells_only:
        # Only the cells of the block the page shows (``top_block``), all of each.
        top = top_keys(
            {order[k]: cell for k, cell in row_cells.items()},
            {order[k]: cell for k, cell in column_cells.items()},
        )
        codes = [code[label] for label in top]
        within = np.isin(rows, codes) & np.isin(columns, codes)
        cells = group_cells((rows * n + columns)[within], arrays.take(within), suppress=suppress)
    elif as_arrays and count:
        keys, hours, people = group_arrays(rows * n + columns, arrays, suppress=suppress)
        cell_arrays = CellArrays(order, n, keys, hours, people, np.zeros(len(keys), bool))
        cells = {}
    else:
        cells = group_cells(rows * n + columns, arrays, suppress=suppress)
    totals = group_cells(np.zeros(count, np.int64), arrays, suppress=suppress)
    matrix = Matrix(
        rows=[order[r] for r in sorted(row_cells)],
        columns=[order[c] for c in sorted(column_cells)],
        cells={(order[k // n], order[k % n]): cell for k, cell in cells.items()},
        row_totals={order[k]: cell for k, cell in row_cells.items()},
        column_totals={order[k]: cell for k, cell in column_cells.items()},
        total=totals.get(0, Cell(0, 0)),
    )
    if as_arrays and count:
        matrix.arrays = cell_arrays
    return matrix


def top_keys(row_totals: Mapping[Any, Cell], column_totals: Mapping[Any, Cell]) -> list[Any]:
    """The ten groups with most hours given plus received (not "not recorded")."""
    hours: dict[Any, float] = defaultdict(float)
    for key, cell in row_totals.items():
        hours[key] += cell.value
    for key, cell in column_totals.items():
        hours[key] += cell.value
    return [k for k, _ in sorted(hours.items(), key=lambda kv: -kv[1]) if k][:TOP]


def add_array_relations(sums: Sums, matrix: Matrix, arrays: CellArrays) -> None:
    """``matrix_relations`` of a matrix whose cells are arrays, in the same order: each
    row's cells (in key order) and its total, each column's likewise, then the totals."""
    first = sums.block(arrays.hours, arrays.hidden)
    for codes, totals in (
        (arrays.keys // arrays.n, matrix.row_totals),
        (arrays.keys % arrays.n, matrix.column_totals),
    ):
        # Totals are keyed in code order, and every row (column) with a total has cells.
        grouped = np.argsort(codes, kind="stable")
        sizes = np.bincount(codes)
        sizes = sizes[sizes > 0]
        assert len(sizes) == len(totals)
        lengths = sizes + 1
        ends = np.cumsum(lengths)
        members = np.empty(int(ends[-1]) if len(ends) else 0, np.int64)
        is_total = np.zeros(len(members), bool)
        is_total[ends - 1] = True
        members[is_total] = [sums.cell_index(cell) for cell in totals.values()]
        members[~is_total] = first + grouped
        sums.add_indexes(members, lengths)
    sums.add([*matrix.row_totals.values(), matrix.total])
    sums.add([*matrix.column_totals.values(), matrix.total])


def matrix_relations(matrix: Matrix) -> list[list[Cell]]:
    """Each row with its total, each column with its total, and the totals with the total."""
    by_row: dict[Any, list[Cell]] = defaultdict(list)
    by_column: dict[Any, list[Cell]] = defaultdict(list)
    for (r, c), cell in matrix.cells.items():
        by_row[r].append(cell)
        by_column[c].append(cell)
    relations = [by_row[r] + [total] for r, total in matrix.row_totals.items()]
    relations += [by_column[c] + [total] for c, total in matrix.column_totals.items()]
    relations.append([*matrix.row_totals.values(), matrix.total])
    relations.append([*matrix.column_totals.values(), matrix.total])
    return relations
