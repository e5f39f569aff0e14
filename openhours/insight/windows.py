"""The standard windows of whole months that the refresh sums in advance.

The dashboard's usual ranges end with the current month: this month, and the last 3, 6 and
12 months (the default view): ``current``. The pairs, betweenness and skills of those are
kept (``OrgFlowWindow``, ``ProfessionFlowWindow``, ``OrgBetweenness``, ``SkillWindow``). The
silo index compares each with the same number of months just before it: ``previous``, of
which only each group's exchanges inside and across are kept (``SiloWindow``). Any other
range is grouped from the monthly rows when a page asks for it, with the same result.
"""

from __future__ import annotations

from datetime import date

LENGTHS = (1, 3, 6, 12)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def current(last_month: date) -> list[tuple[date, date]]:
    """(first month, last month) of each window ending with ``last_month``."""
    return [(add_months(last_month, -(length - 1)), last_month) for length in LENGTHS]


def previous(last_month: date) -> list[tuple[date, date]]:
    """The period just before each of ``current(last_month)``, as long as it."""
    return [
        (add_months(first, -length), add_months(first, -1))
        for length, (first, _last) in zip(LENGTHS, current(last_month), strict=True)
    ]
