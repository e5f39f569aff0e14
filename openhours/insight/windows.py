"""The standard windows of whole months that the refresh sums in advance (``OrgFlowWindow``).

The dashboard's usual ranges end with the current month: this month, and the last 3, 6 and
12 months (the default view). The silo index compares each with the same number of months
just before it, so those windows are kept too. Any other range is grouped from ``OrgFlow``
when a page asks for it, with the same result.
"""

from __future__ import annotations

from datetime import date

LENGTHS = (1, 3, 6, 12)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def standard(last_month: date) -> list[tuple[date, date]]:
    """(first month, last month) of every window kept when the current month is
    ``last_month``: each length ending with it, and the period just before each."""
    windows = []
    for length in LENGTHS:
        first = add_months(last_month, -(length - 1))
        windows.append((first, last_month))
        windows.append((add_months(first, -length), add_months(first, -1)))
    return windows
