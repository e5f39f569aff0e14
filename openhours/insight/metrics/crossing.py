"""Crossing a boundary, by month (docs/insight.md, section 2): per month, the exchanges and
the shares that cross an organisation and a profession, protected against the headline
count of exchanges they add up to.

Read paths: ``MonthFlow`` (one row per month and scope, kept by the refresh) or, before a
refresh has built it, grouped from ``OrgFlow``. Refresh step: ``refresh_months``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import connection
from django.db.models import Max, Sum

from ..filters import Filters, flow_q
from ..models import MonthFlow, OrgFlow
from ..privacy import Cell, primary, protect_sums
from ..sql import SCOPES, date_param, empty_table
from ..values import Dataset


def exchange_family(
    filters: Filters, exchanges: Cell, *, suppress: bool, summary: bool = False
) -> tuple[Cell, list[tuple[date, Cell, Cell | None, Cell | None]]]:
    """Exchanges in the period and by month: the months sum to the headline, so a hidden
    month is protected against subtraction from it, and its shares are hidden with it.

    The months come from the refresh's ``MonthFlow`` (one row per month for the filters'
    scope), or before a refresh has built it, are grouped from ``OrgFlow``."""
    if summary:
        summed = MonthFlow.objects.filter(
            scope_place=filters.place or 0,
            scope_kind=filters.org_kind or "",
            month__gte=filters.first_month,
            month__lte=filters.last_month,
        ).values_list("month", "exchanges", "cross_org", "cross_profession", "givers")
        return exchanges, _protected_series(
            [(m, [(n, xo, xp, g)]) for m, n, xo, xp, g in summed.order_by("month")],
            exchanges,
            suppress=suppress,
        )
    rows = (
        OrgFlow.objects.filter(month__gte=filters.first_month, month__lte=filters.last_month)
        .filter(flow_q(filters))
        .values_list("month", "giver_org")
        .annotate(
            n=Sum("exchanges"), xo=Sum("cross_org"), xp=Sum("cross_profession"), g=Max("givers")
        )
        .order_by("month")
    )
    months: dict[date, list[tuple[int, int, int, int]]] = defaultdict(list)
    for month, _org, n, xo, xp, g in rows:
        months[month].append((n, xo, xp, g))
    return exchanges, _protected_series(sorted(months.items()), exchanges, suppress=suppress)


def _protected_series(
    months: list[tuple[date, list[tuple[int, int, int, int]]]], exchanges: Cell, *, suppress: bool
) -> list[tuple[date, Cell, Cell | None, Cell | None]]:
    """Per month, from its (exchanges, crossing an organisation, crossing a profession,
    givers) parts: the count and the two shares, protected against the headline."""
    series = []
    for month, items in months:
        n = sum(i[0] for i in items)
        people = sum(i[3] for i in items)  # givers in different organisations are different
        cross_org = Cell(round(100 * sum(i[1] for i in items) / n, 1), people) if n else None
        cross_prof = Cell(round(100 * sum(i[2] for i in items) / n, 1), people) if n else None
        series.append((month, Cell(n, people), cross_org, cross_prof))
    totals = [total for _m, total, _o, _p in series]
    primary([*totals, exchanges], apply=suppress)
    protect_sums([[*totals, exchanges]], apply=suppress)
    for _month, total, cross_org, cross_prof in series:
        for share in (cross_org, cross_prof):
            if share is not None and total.suppressed:
                share.suppressed = True
    return series


def _aggregate_months(months: list[date] | None) -> None:
    """``MonthFlow`` from ``OrgFlow``: per month and scope, the exchanges and, per giver
    organisation, its largest count of givers in one cell, summed."""
    flow = OrgFlow._meta.db_table
    where = "1=1"
    params: list[date | str] = []
    if months is not None:
        where = f"month IN ({', '.join(['%s'] * len(months))})"
    sides = " UNION ALL ".join(
        # Fixed text from SCOPES and the models; values are parameters.
        f"SELECT month, {place} AS scope_place, {kind} AS scope_kind, giver_org, "  # noqa: S608
        f"exchanges, cross_org, cross_profession, givers FROM {flow} "
        f"WHERE {condition} AND {where}"
        for place, kind, condition in SCOPES
    )
    if months is not None:
        params = [date_param(m) for _ in SCOPES for m in months]
    sql = (
        f"INSERT INTO {MonthFlow._meta.db_table} (month, scope_place, scope_kind, "  # noqa: S608
        "exchanges, cross_org, cross_profession, givers) "
        "SELECT month, scope_place, scope_kind, SUM(n), SUM(xo), SUM(xp), SUM(g) FROM ("
        "SELECT month, scope_place, scope_kind, giver_org, SUM(exchanges) AS n, "
        "SUM(cross_org) AS xo, SUM(cross_profession) AS xp, MAX(givers) AS g "
        f"FROM ({sides}) scoped GROUP BY month, scope_place, scope_kind, giver_org) by_org "
        "GROUP BY month, scope_place, scope_kind"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


Series = list[tuple[date, Cell, Cell | None, Cell | None]]


def crossing_dataset(series: Series) -> Dataset:
    return Dataset(
        "crossing",
        "Share of exchanges that cross a boundary, by month",
        ["month", "exchanges", "cross an organisation (%)", "cross a profession (%)"],
        [[m.strftime("%Y-%m"), n, o, p] for m, n, o, p in series],
    )


def refresh_months(months: set[date] | None) -> None:
    """``MonthFlow`` for the months whose ``OrgFlow`` rows changed (None: all of them)."""
    if months is None:
        empty_table(MonthFlow)
        _aggregate_months(None)
    elif months:
        MonthFlow.objects.filter(month__in=sorted(months)).delete()
        _aggregate_months(sorted(months))
