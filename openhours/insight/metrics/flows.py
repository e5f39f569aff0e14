"""Knowledge flows (docs/insight.md, sections 1 and 2): hours between kinds of
organisation, places, organisations and professions, the bars of hours given by
profession and by kind (the heat maps' row totals), and the hours by staff group that
notional value prices.

Every table of hours is built and suppressed together (``hours_tables``), so a figure
hidden in one can't be worked out from another. Read only: the pairs come from
``pairs``, which owns their refresh step.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

from ..grouping import PairArrays, add_array_relations, full_matrix, matrix_relations, top_keys
from ..names import UNKNOWN, Names, kind_label
from ..privacy import MIN_PEOPLE, Cell, Sums, people_by, primary
from ..values import Bar, Dataset, Matrix, Pair, all_cells
from .pairs import OrgPairs

K = TypeVar("K")


@dataclass
class HoursTables:
    """Every table of hours on the page, suppressed together.

    They share cells: the bars by kind are the kind heat map's row totals, the bars by
    profession the profession heat map's, and one grand total serves them all. Their sums
    are protected together, so a figure hidden in one table can't be worked out from
    another.
    """

    kind: Matrix
    place: Matrix
    org: Matrix  # keyed by organisation id
    profession: Matrix  # keyed by profession id
    value_groups: dict[str, Cell]
    total: Cell
    org_people: int  # behind every pair of organisations (when suppressing; else 0)


def hours_tables(
    org_pairs: OrgPairs,
    prof_pairs: list[Pair],
    names: Names,
    costs: dict[str, int | None],
    *,
    suppress: bool,
    every_pair: bool = True,
) -> HoursTables:
    """``every_pair`` False: the organisation table keeps only the cells of its top block
    when nothing is suppressed (a coordinator's page; the rest are for the CSV)."""
    # Long on purpose: the four tables share one total and are suppressed together (a
    # cell hidden in one must stay hidden in the others), so they are built side by side.
    o = org_pairs
    kinds = {k: kind_label(k) for k in {*o.giver_kind, *o.receiver_kind}}
    kind = full_matrix(
        [kinds[k] for k in o.giver_kind], [kinds[k] for k in o.receiver_kind], o.arrays, suppress
    )
    places = {p: names.place(p) for p in {*o.giver_place, *o.receiver_place}}
    place = full_matrix(
        [places[p] for p in o.giver_place],
        [places[p] for p in o.receiver_place],
        o.arrays,
        suppress,
    )
    # A system leader's 10,000 pairs stay arrays through suppression (``CellArrays``).
    org = full_matrix(
        o.giver_org,
        o.receiver_org,
        o.arrays,
        suppress,
        top_cells_only=not (suppress or every_pair),
        as_arrays=suppress,
    )
    profession = full_matrix(
        [p.key[0] for p in prof_pairs],
        [p.key[1] for p in prof_pairs],
        PairArrays.of(prof_pairs),
        suppress,
    )
    org_people = org.total.people
    # Every lower bound of the people behind all hours is valid; the largest is the best.
    total = Cell(
        sum(o.minutes) / 60,
        max(m.total.people for m in (kind, place, org, profession)),
    )
    for matrix in (kind, place, org, profession):
        matrix.total = total
    by_group: dict[str, list[Pair]] = defaultdict(list)
    for pair in prof_pairs:
        by_group[names.cost_group(pair.key[0]) or UNKNOWN].append(pair)
    value_groups = _cells(by_group, suppress=suppress)

    matrices = (kind, place, org, profession)
    primary(
        [
            *(c for m in matrices for c in (*m.cells.values(), *m.row_totals.values())),
            *(c for m in matrices for c in m.column_totals.values()),
            *value_groups.values(),
            total,
        ],
        apply=suppress,
    )
    if suppress:
        _protect_sums(matrices, profession, by_group, value_groups, total)
    return HoursTables(kind, place, org, profession, value_groups, total, org_people)


def _protect_sums(
    matrices: tuple[Matrix, ...],
    profession: Matrix,
    by_group: Mapping[str, list[Pair]],
    value_groups: dict[str, Cell],
    total: Cell,
) -> None:
    """Secondary suppression across every table of hours at once: each row and column with
    its total, each staff group with its professions' rows, the groups with the total."""
    sums = Sums()
    for m in matrices:
        if m.arrays is not None:
            m.arrays.hidden[:] = (m.arrays.hours != 0) & (m.arrays.people < MIN_PEOPLE)
            add_array_relations(sums, m, m.arrays)
        else:
            for relation in matrix_relations(m):
                sums.add(relation)
    for group, group_pairs in by_group.items():
        members = {p.key[0] for p in group_pairs}
        sums.add(
            [c for k, c in profession.row_totals.items() if k in members] + [value_groups[group]]
        )
    sums.add([*value_groups.values(), total])
    sums.protect()


def _cells(groups: Mapping[K, list[Pair]], *, suppress: bool) -> dict[K, Cell]:
    """Hours in each group of pairs, with the people behind each (one pass for all)."""
    people: dict[Any, int] = {}
    if suppress:
        many = {key: items for key, items in groups.items() if len(items) > 1}
        people = people_by((key, p.part) for key, items in many.items() for p in items)
        for key, items in groups.items():
            if len(items) == 1:  # most cells of a big table: no dictionaries needed
                g_group, r_group, g, r = items[0].part
                people[key] = max(g, r) if g_group == r_group else g + r
    return {
        key: Cell(sum(p.minutes for p in items) / 60, people.get(key, 0))
        for key, items in groups.items()
    }


def hours_by(
    key: str, title: str, what: str, cells: Mapping[str, Cell], total: Cell
) -> tuple[list[Bar], Dataset]:
    """Bars from a heat map's row totals: the same cells, so the same suppression.

    Hidden figures go last: ranked by their true size, they would tell how big they are.
    """
    ordered = sorted(cells.items(), key=lambda kv: (kv[1].suppressed, -kv[1].value))
    bars = [Bar(name, cell) for name, cell in ordered]
    dataset = Dataset(
        key,
        title,
        [what, "hours given"],
        [[name, cell] for name, cell in ordered] + [["All", total]],
    )
    return bars, dataset


def top_block(matrix: Matrix, name: Callable[[int], str]) -> Matrix:
    """The part of a suppressed matrix between its ten groups with most hours, named.

    A block of the full table, not a regrouping, so its cells keep their suppression; the
    totals are the full rows' and columns'.
    """
    top = top_keys(matrix.row_totals, matrix.column_totals)
    if matrix.arrays is not None:
        a = matrix.arrays
        codes = [i for i, label in enumerate(a.order) if label in top]
        cells = a.cells(np.isin(a.keys // a.n, codes) & np.isin(a.keys % a.n, codes))
    else:
        cells = {k: c for k, c in matrix.cells.items() if k[0] in top and k[1] in top}
    return named(
        Matrix(
            rows=[r for r in matrix.rows if r in top],
            columns=[c for c in matrix.columns if c in top],
            cells=cells,
            row_totals={k: c for k, c in matrix.row_totals.items() if k in top},
            column_totals={k: c for k, c in matrix.column_totals.items() if k in top},
            total=matrix.total,
        ),
        name,
    )


def named(matrix: Matrix, name: Callable[[int], str]) -> Matrix:
    return Matrix(
        rows=[name(r) for r in matrix.rows],
        columns=[name(c) for c in matrix.columns],
        cells={(name(r), name(c)): cell for (r, c), cell in all_cells(matrix).items()},
        row_totals={name(k): c for k, c in matrix.row_totals.items()},
        column_totals={name(k): c for k, c in matrix.column_totals.items()},
        total=matrix.total,
    )


def matrix_dataset(
    key: str, title: str, what: str, matrix: Matrix | None, *, csv_only: bool = False
) -> Dataset:
    """A heat map's cells and totals as rows; without a matrix, the dataset's name only
    (a CSV link on the page, filled when the CSV itself is asked for)."""
    rows: list[list[Any]] = []
    columns = [f"giver's {what}", f"receiver's {what}", "hours"]
    if matrix is None:
        return Dataset(key, title, columns, rows, csv_only=csv_only)
    for r in matrix.rows:
        for c in matrix.columns:
            cell = matrix.cells.get((r, c))
            if cell is not None:
                rows.append([r, c, cell])
    for r in matrix.rows:
        rows.append([r, "All", matrix.row_totals[r]])
    for c in matrix.columns:
        rows.append(["All", c, matrix.column_totals[c]])
    rows.append(["All", "All", matrix.total])
    return Dataset(key, title, columns, rows, csv_only=csv_only)


def hours_given_figures(
    hours: HoursTables, names: Names
) -> tuple[dict[str, list[Bar]], dict[str, Dataset]]:
    """Hours given, by the giver's profession and by their kind of organisation."""
    bars: dict[str, list[Bar]] = {}
    datasets: dict[str, Dataset] = {}
    bars["by_profession"], datasets["by_profession"] = hours_by(
        "by_profession",
        "Hours given, by the giver's profession (the chart shows the 15 largest)",
        "profession",
        {names.profession(k): c for k, c in hours.profession.row_totals.items()},
        hours.total,
    )
    bars["by_kind"], datasets["by_kind"] = hours_by(
        "by_kind",
        "Hours given, by the giver's kind of organisation",
        "kind of organisation",
        hours.kind.row_totals,
        hours.total,
    )
    return bars, datasets


def flow_figures(
    hours: HoursTables, names: Names, *, every_pair: bool
) -> tuple[dict[str, Matrix], dict[str, Dataset]]:
    """The four heat maps (organisations and professions as their top blocks, named) and
    their tables; the every-pair tables get rows only with ``every_pair`` (the CSVs)."""
    matrices: dict[str, Matrix] = {}
    datasets: dict[str, Dataset] = {}
    matrices["kind"] = hours.kind
    matrices["place"] = hours.place
    matrices["org"] = top_block(hours.org, names.organisation)
    matrices["profession"] = top_block(hours.profession, names.profession)
    for key, title, what in (
        ("kind", "Hours between kinds of organisation", "kind of organisation"),
        ("org", "Hours between the ten organisations with most hours", "organisation"),
        ("profession", "Hours between the ten professions with most hours", "profession"),
        ("place", "Hours between places", "place"),
    ):
        datasets[f"flow_{key}"] = matrix_dataset(f"flow_{key}", title, what, matrices[key])
    for key, what, full, name in (
        ("org", "organisation", hours.org, names.organisation),
        ("profession", "profession", hours.profession, names.profession),
    ):
        datasets[f"flow_{key}_all"] = matrix_dataset(
            f"flow_{key}_all",
            f"Hours between every pair of {what}s",
            what,
            named(full, name) if every_pair else None,
            csv_only=True,
        )
    return matrices, datasets
