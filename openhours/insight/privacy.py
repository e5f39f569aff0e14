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
    only when no part is left).
    """
    if not apply:
        return
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
