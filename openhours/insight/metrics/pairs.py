"""The pairs every flow figure starts from: organisations and professions, giver to
receiver, summed over the filters' months.

Read paths: the refresh's sums for a standard window (``OrgFlowWindow``,
``ProfessionFlowWindow``), or grouped from the monthly rows (``OrgFlow``,
``ProfessionFlow``) for any other range; both give the same pairs (test_summaries.py).
Refresh step: ``refresh_windows``. The heat maps, silo index, betweenness of organisations
and notional value are all built from these pairs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Max, QuerySet, Sum

from ..facts.flows import ORG_KEYS
from ..filters import Filters, flow_q, window_of
from ..grouping import PairArrays
from ..models import OrgFlow, OrgFlowWindow, ProfessionFlow, ProfessionFlowWindow
from ..sql import as_columns, empty_table, fetch_rows, sum_over_windows
from ..values import Pair


@dataclass
class OrgPairs:
    """Pairs of organisations summed over the range, as columns (one entry per pair).

    At 10,000 pairs an object per pair costs more than everything the page does with
    them; the heat maps, totals and silo index work on these columns with numpy.
    """

    giver_org: list[int]
    receiver_org: list[int]
    giver_kind: list[str]
    receiver_kind: list[str]
    giver_place: list[int]
    receiver_place: list[int]
    exchanges: list[int]
    minutes: list[int]
    arrays: PairArrays

    @classmethod
    def of(cls, rows: list[tuple[Any, ...]]) -> OrgPairs:
        """From rows of (giver org, receiver org, giver kind, receiver kind, giver place,
        receiver place, exchanges, minutes, givers, receivers)."""
        go, ro, gk, rk, gp, rp, n, m, g, r = as_columns(rows, 10)
        return cls(go, ro, gk, rk, gp, rp, n, m, PairArrays.of_columns(go, ro, m, g, r))

    def __len__(self) -> int:
        return len(self.giver_org)


def read_org_pairs(filters: Filters, windows_month: date | None = None) -> OrgPairs:
    # Plain SQL: at 10,000 pairs the ORM's per-value converters cost more than the query.
    window = window_of(filters, windows_month)
    if window is not None:
        # Summed by the refresh: one row per pair, nothing to group.
        summed = (
            OrgFlowWindow.objects.filter(first_month=window[0], last_month=window[1])
            .filter(flow_q(filters))
            .values_list(
                *ORG_KEYS,
                "exchanges",
                "minutes",
                "givers",
                "receivers",
            )
            .order_by()
        )
        return _pairs_from_sql(summed)
    # Grouped by the two organisations only: their kinds and places come along (one each).
    query = (
        OrgFlow.objects.filter(month__gte=filters.first_month, month__lte=filters.last_month)
        .filter(flow_q(filters))
        .values_list("giver_org", "receiver_org")
        .annotate(
            gk=Max("giver_kind"),
            rk=Max("receiver_kind"),
            gp=Max("giver_place"),
            rp=Max("receiver_place"),
            n=Sum("exchanges"),
            m=Sum("minutes"),
            g=Max("givers"),
            r=Max("receivers"),
        )
        .order_by()
    )
    return _pairs_from_sql(query)


def _pairs_from_sql(query: QuerySet[Any]) -> OrgPairs:
    return OrgPairs.of(fetch_rows(query))


def read_profession_pairs(filters: Filters, windows_month: date | None = None) -> list[Pair]:
    scope = {"scope_place": filters.place or 0, "scope_kind": filters.org_kind or ""}
    window = window_of(filters, windows_month)
    rows: QuerySet[Any, Any]
    if window is not None:
        # Summed by the refresh: one row per pair, nothing to group.
        rows = ProfessionFlowWindow.objects.filter(
            first_month=window[0], last_month=window[1], **scope
        ).values_list(
            "giver_profession", "receiver_profession", "exchanges", "minutes", "givers", "receivers"
        )
    else:
        rows = (
            ProfessionFlow.objects.filter(
                month__gte=filters.first_month, month__lte=filters.last_month, **scope
            )
            .values_list("giver_profession", "receiver_profession")
            .annotate(n=Sum("exchanges"), m=Sum("minutes"), g=Max("givers"), r=Max("receivers"))
        )
    # In order of the pair, so that nothing downstream depends on the order rows come in.
    return [
        Pair((giver, receiver), exchanges=n, minutes=m, givers=g, receivers=r)
        for giver, receiver, n, m, g, r in sorted(fetch_rows(rows.order_by()))
    ]


def _aggregate_windows(wanted: list[tuple[date, date]]) -> None:
    sum_over_windows(
        wanted,
        OrgFlow,
        OrgFlowWindow,
        keys=["giver_org", "receiver_org"],
        totals={
            "giver_kind": "MAX",
            "receiver_kind": "MAX",
            "giver_place": "MAX",
            "receiver_place": "MAX",
            "exchanges": "SUM",
            "minutes": "SUM",
            "cross_org": "SUM",
            "cross_profession": "SUM",
            "givers": "MAX",
            "receivers": "MAX",
        },
    )


def _aggregate_profession_windows(wanted: list[tuple[date, date]]) -> None:
    sum_over_windows(
        wanted,
        ProfessionFlow,
        ProfessionFlowWindow,
        keys=["scope_place", "scope_kind", "giver_profession", "receiver_profession"],
        totals={"exchanges": "SUM", "minutes": "SUM", "givers": "MAX", "receivers": "MAX"},
    )


def refresh_windows(wanted: list[tuple[date, date]], *, afresh: bool) -> None:
    """``OrgFlowWindow`` and ``ProfessionFlowWindow`` for the windows in ``wanted``: all of
    them emptied first (``afresh``), or just those windows' rows replaced."""
    if afresh:
        empty_table(OrgFlowWindow)
        empty_table(ProfessionFlowWindow)
    else:
        for first, last in wanted:
            OrgFlowWindow.objects.filter(first_month=first, last_month=last).delete()
            ProfessionFlowWindow.objects.filter(first_month=first, last_month=last).delete()
    _aggregate_windows(wanted)
    _aggregate_profession_windows(wanted)
