"""Small-number suppression, including figures that could be recovered by subtraction."""

from __future__ import annotations

import random

import numpy as np
import pytest

from openhours.insight import grouping
from openhours.insight.privacy import (
    Cell,
    Part,
    Sums,
    people_by,
    people_lower_bound,
    primary,
    protect_sums,
    share_hidden,
    suppress_list,
    suppress_matrix,
)


def test_a_figure_resting_on_fewer_than_five_people_is_suppressed() -> None:
    small, big = Cell(3, people=4), Cell(40, people=12)
    total = Cell(43, people=16)
    suppress_list([small, big], total, apply=True)
    assert small.suppressed
    # Otherwise 43 - 40 would give the hidden 3 away: the other part is hidden too.
    assert big.suppressed
    assert not total.suppressed


def test_subtraction_picks_the_smallest_other_part_to_hide() -> None:
    parts = [Cell(2, 3), Cell(30, 9), Cell(10, 6), Cell(50, 20)]
    total = Cell(92, 38)
    suppress_list(parts, total, apply=True)
    assert [p.suppressed for p in parts] == [True, False, True, False]
    # No sum has exactly one hidden part, so nothing can be worked out.
    assert sum(p.suppressed for p in parts) != 1


def test_when_only_the_total_is_left_the_total_is_hidden() -> None:
    small, empty = Cell(3, 2), Cell(0, 0)
    total = Cell(3, 7)
    suppress_list([small, empty], total, apply=True)
    assert small.suppressed and total.suppressed
    assert not empty.suppressed  # a zero is no one's secret


def test_coordinators_see_every_figure() -> None:
    small, total = Cell(3, 2), Cell(3, 2)
    suppress_list([small], total, apply=False)
    assert not small.suppressed and not total.suppressed


def test_a_matrix_hides_a_second_cell_in_the_row_and_the_column() -> None:
    cells = {
        ("a", "a"): Cell(2, 3),
        ("a", "b"): Cell(10, 8),
        ("b", "a"): Cell(12, 9),
        ("b", "b"): Cell(20, 10),
    }
    rows = {"a": Cell(12, 11), "b": Cell(32, 19)}
    columns = {"a": Cell(14, 12), "b": Cell(30, 18)}
    total = Cell(44, 30)
    suppress_matrix(cells, rows, columns, total, apply=True)
    hidden = {k for k, c in cells.items() if c.suppressed}
    assert ("a", "a") in hidden
    for r in rows:
        assert (
            sum(1 for (a, _), c in cells.items() if a == r and c.suppressed) != 1
            or rows[r].suppressed
        )
    for k in columns:
        assert (
            sum(1 for (_, b), c in cells.items() if b == k and c.suppressed) != 1
            or columns[k].suppressed
        )


def test_a_share_is_hidden_when_the_part_or_the_rest_is_fewer_than_five() -> None:
    assert share_hidden(3, 100, apply=True)
    assert share_hidden(97, 100, apply=True)  # 100 - 97 = 3 people
    assert not share_hidden(50, 100, apply=True)
    assert not share_hidden(0, 100, apply=True)
    assert not share_hidden(3, 100, apply=False)


def test_people_in_different_groups_are_counted_as_different_people() -> None:
    # Org 1 gave to org 2 in two months (3 then 4 givers), org 3 gave to org 2 (2 givers).
    parts = [Part(1, 2, 3, 1), Part(1, 2, 4, 2), Part(3, 2, 2, 1)]
    # Givers: at least 4 from org 1 and 2 from org 3; receivers at least 2, all in org 2.
    assert people_lower_bound(parts) == 8
    # Inside one organisation givers and receivers may be the same people.
    assert people_lower_bound([Part(1, 1, 3, 3)]) == 3


def reference_protect_sums(relations: list[list[Cell]]) -> None:
    """``protect_sums`` as it was before ``protect_arrays``: one look at every cell of every
    relation in every pass. The reference the vectorised one must agree with exactly."""
    changed = True
    while changed:
        changed = False
        for relation in relations:
            hidden = [c for c in relation if c.suppressed]
            if len(hidden) != 1:
                continue
            parts = [c for c in relation[:-1] if not c.suppressed and c.value]
            if parts:
                min(parts, key=lambda c: c.value).suppressed = True
            elif not relation[-1].suppressed and relation[-1].value:
                relation[-1].suppressed = True
            else:
                continue
            changed = True


def random_tables(rng: random.Random) -> tuple[list[Cell], list[list[Cell]]]:
    """Matrices sharing their grand total, with equal values, zeros, small cells, a cell
    twice in one relation and relations across tables, like ``flows.hours_tables``."""
    cells: list[Cell] = []

    def cell(value: float, people: int) -> Cell:
        made = Cell(value, people)
        cells.append(made)
        return made

    total = cell(rng.choice([0, 50.0, 1000.5]), rng.randint(0, 40))
    relations: list[list[Cell]] = []
    row_totals_all: list[Cell] = []
    for _ in range(rng.randint(1, 4)):
        size_r, size_c = rng.randint(1, 12), rng.randint(1, 12)
        grid = [
            [
                cell(rng.choice([0, 0, 1.5, 2.0, 2.0, rng.uniform(0, 100)]), rng.randint(0, 9))
                for _ in range(size_c)
            ]
            for _ in range(size_r)
        ]
        rows = [cell(rng.uniform(0, 300), rng.randint(0, 30)) for _ in range(size_r)]
        columns = [cell(rng.uniform(0, 300), rng.randint(0, 30)) for _ in range(size_c)]
        relations += [grid[i] + [rows[i]] for i in range(size_r)]
        relations += [[grid[i][j] for i in range(size_r)] + [columns[j]] for j in range(size_c)]
        relations += [[*rows, total], [*columns, total]]
        row_totals_all += rows
    if rng.random() < 0.3:
        twice = rng.choice(cells)
        relations.append([twice, twice, rng.choice(cells)])
    group = cell(rng.uniform(0, 500), rng.randint(0, 30))
    relations.append(rng.sample(row_totals_all, min(3, len(row_totals_all))) + [group])
    relations.append([group, total])
    rng.shuffle(relations)
    return cells, relations


def test_protect_sums_hides_exactly_the_cells_the_reference_does() -> None:
    rng = random.Random(20261123)
    for _ in range(2000):
        seed = rng.random()
        results = []
        for protect in (reference_protect_sums, lambda r: protect_sums(r, apply=True)):
            cells, relations = random_tables(random.Random(seed))
            primary(cells, apply=True)
            protect(relations)
            results.append([c.suppressed for c in cells])
        assert results[0] == results[1], seed


def test_a_matrix_kept_as_arrays_hides_exactly_the_cells_of_one_made_of_cells() -> None:
    """A system leader's table of every pair of organisations is suppressed as arrays
    (``grouping.add_array_relations``); the same table of ``Cell``s, protected by the
    reference, must hide the same cells."""
    rng = random.Random(7)
    for _ in range(300):
        count = rng.randint(1, 60)
        groups = rng.randint(1, 9)
        columns = [
            [rng.randrange(groups) for _ in range(count)],
            [rng.randrange(groups) for _ in range(count)],
            [rng.choice([0, 15, 30, rng.randint(1, 600)]) for _ in range(count)],
            [rng.randint(1, 7) for _ in range(count)],
            [rng.randint(1, 7) for _ in range(count)],
        ]
        pairs = grouping.PairArrays.of_columns(*columns)
        labels = columns[0], columns[1]
        reference = grouping.full_matrix(*labels, pairs, True)
        cells = [*reference.cells.values(), *reference.row_totals.values()]
        primary([*cells, *reference.column_totals.values(), reference.total], apply=True)
        reference_protect_sums(grouping.matrix_relations(reference))

        kept = grouping.full_matrix(*labels, pairs, True, as_arrays=True)
        assert kept.arrays is not None and not kept.cells
        totals = [*kept.row_totals.values(), *kept.column_totals.values(), kept.total]
        primary(totals, apply=True)
        kept.arrays.hidden[:] = (kept.arrays.hours != 0) & (kept.arrays.people < 5)
        sums = Sums()
        grouping.add_array_relations(sums, kept, kept.arrays)
        sums.protect()
        assert kept.arrays.cells() == reference.cells
        assert kept.row_totals == reference.row_totals
        assert kept.column_totals == reference.column_totals
        assert kept.total == reference.total


@pytest.mark.parametrize("dense_keys", [grouping.DENSE_KEYS, 0], ids=["counting", "sorting"])
def test_people_per_key_with_numpy_are_those_of_people_by(
    dense_keys: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``grouping.group_arrays`` (the heat maps' cells and totals) gives every key the
    lower bound ``people_by`` gives, whether keys repeat or not, grouped by counting or by
    sorting."""
    monkeypatch.setattr(grouping, "DENSE_KEYS", dense_keys)
    rng = random.Random(11)
    for _ in range(300):
        n = rng.randint(1, 40)
        giver = [rng.randint(1, 6) for _ in range(n)]
        receiver = [rng.randint(1, 6) for _ in range(n)]
        givers = [rng.randint(1, 9) for _ in range(n)]
        receivers = [rng.randint(1, 9) for _ in range(n)]
        arrays = grouping.PairArrays.of_columns(
            giver, receiver, [rng.randint(1, 300) for _ in range(n)], givers, receivers
        )
        unique_keys = rng.random() < 0.3
        keys = rng.sample(range(1000), n) if unique_keys else [rng.randint(0, 4) for _ in range(n)]
        found, hours, people = grouping.group_arrays(np.array(keys), arrays, suppress=True)
        expected = people_by(
            (key, Part(g, r, gs, rs))
            for key, g, r, gs, rs in zip(keys, giver, receiver, givers, receivers, strict=True)
        )
        assert found.tolist() == sorted(expected)
        assert dict(zip(found.tolist(), people.tolist(), strict=True)) == expected
        minutes = {key: 0.0 for key in expected}
        for key, m in zip(keys, arrays.minutes.tolist(), strict=True):
            minutes[key] += m
        assert hours.tolist() == pytest.approx([minutes[k] / 60 for k in sorted(minutes)])
