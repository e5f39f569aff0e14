"""Notional value (docs/insight.md, section 1): hours given priced at the giver's staff
group's hourly unit cost (``UnitCost``), as a headline and by staff group.

Read only: the hours by staff group are ``flows.HoursTables.value_groups``, suppressed with
every other table of hours; unit costs are seeded by a migration and edited in the admin.
"""

from __future__ import annotations

from typing import Any

from ..models import UnitCost
from ..names import Names
from ..privacy import Cell
from ..values import Dataset, Pair
from .flows import HoursTables


def unit_costs() -> dict[str, int | None]:
    return dict(UnitCost.objects.values_list("role_group", "pence_per_hour"))


def notional_value(
    pairs: list[Pair], names: Names, costs: dict[str, int | None]
) -> tuple[float, float]:
    value = 0.0
    unvalued = 0.0
    for pair in pairs:
        pence = costs.get(names.cost_group(pair.key[0]))
        if pence:
            value += pair.minutes / 60 * pence / 100
        else:
            unvalued += pair.minutes / 60
    return value, unvalued


def value_table(hours: HoursTables, costs: dict[str, int | None]) -> Dataset:
    rows: list[list[Any]] = []
    for group, cell in sorted(hours.value_groups.items()):
        pence = costs.get(group)
        value = Cell(cell.value * pence / 100 if pence else 0, cell.people, cell.suppressed)
        rows.append([group, cell, f"£{pence / 100:,.2f}" if pence else "no unit cost", value])
    total_value = sum(row[3].value for row in rows)
    total = hours.total
    rows.append(["All staff groups", total, "", Cell(total_value, total.people, total.suppressed)])
    return Dataset(
        "value",
        "Notional value by staff group (hours given \u00d7 hourly unit cost, £)",
        ["staff group", "hours given", "hourly cost", "notional value (£)"],
        rows,
        note=(
            "Unit costs: PSSRU Unit Costs of Health and Social Care 2024 "
            "(Open Government Licence v3.0)."
        ),
    )
