"""Small-number suppression, including figures that could be recovered by subtraction."""

from __future__ import annotations

from openhours.insight.privacy import (
    Cell,
    Part,
    people_lower_bound,
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
