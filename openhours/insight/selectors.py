"""Reads for the insight dashboard: every figure from insight's own aggregate tables.

An orchestrator: each metric family (``metrics/``) owns its read paths, the rules they
share with its refresh step, and its datasets; this module reads the refresh's state once,
builds the inputs several families share (the pairs, the tables of hours, the counts of
members) and puts every family's figures into one ``Dashboard``.

Each section returns ``Dataset`` objects: the rows behind one chart, used by the chart, its
table view and its CSV alike, so the three can never disagree. Small-number suppression
(``privacy``) is applied in the families, before anything reaches a template or a CSV,
whenever ``suppress`` is true (viewers who are not coordinators). Metric definitions are in
docs/insight.md; the module map is in its "Where the code lives".
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from .filters import Filters, default_filters
from .metrics import balances, crossing, flows, headlines, pairs, silo, skills, spanners, value
from .metrics.spanners import spanner_members_dataset
from .metrics.stale_requests import stale_requests
from .models import RefreshState
from .names import Names
from .privacy import Cell
from .values import Bar, Dashboard, Dataset, Matrix

# What other code imports from here: the entry points and the types of their results.
__all__ = [
    "Dashboard",
    "Dataset",
    "Filters",
    "dashboard",
    "default_filters",
    "spanner_members_dataset",
]


def dashboard(
    filters: Filters, *, suppress: bool, now: datetime | None = None, every_pair: bool = False
) -> Dashboard:
    """Every figure for these filters, suppressed (for non-coordinators) or not.

    The CSV-only tables of every pair (``flow_org_all``, ``flow_profession_all``) get their
    rows only with ``every_pair``: the page links to them but never shows them, and at
    10,000 pairs of organisations building them costs more than a chart. No member is
    named here: see ``spanner_members_dataset``.
    """
    state = RefreshState.objects.first()
    return _figures(
        filters, suppress=suppress, now=now or timezone.now(), state=state, every_pair=every_pair
    )


def _figures(
    filters: Filters,
    *,
    suppress: bool,
    now: datetime,
    state: RefreshState | None,
    every_pair: bool = False,
) -> Dashboard:
    # Long because it is the page's table of contents: each family's figures in the order
    # the page has always built them (the shared inputs first), one call each.
    names = Names()
    datasets: dict[str, Dataset] = {}
    bars: dict[str, list[Bar]] = {}
    matrices: dict[str, Matrix] = {}
    # The refresh's summaries (OrgFlowWindow, MonthFlow, MemberCount) exist once a refresh
    # has built them; until then every figure is grouped from the monthly rows.
    summarised = state is not None and state.windows_month is not None
    windows_month = state.windows_month if state is not None else None

    org_pairs = pairs.read_org_pairs(filters, windows_month)
    prof_pairs = pairs.read_profession_pairs(filters, windows_month)
    costs = value.unit_costs()
    hours = flows.hours_tables(
        org_pairs, prof_pairs, names, costs, suppress=suppress, every_pair=every_pair
    )
    # The people behind every organisation pair are the organisation table's (unsuppressed
    # grand total's) people: the same lower bound.
    exchanges, series = crossing.exchange_family(
        filters,
        Cell(sum(org_pairs.exchanges), hours.org_people),
        suppress=suppress,
        summary=summarised,
    )
    members = balances.member_figures(filters, now, summary=summarised)
    headline_list = headlines.headline_figures(
        filters,
        exchanges,
        hours,
        prof_pairs,
        costs,
        members,
        suppress=suppress,
        names=names,
        summarised=summarised,
    )
    datasets["headline"] = headlines.headline_dataset(headline_list)

    # Hours given by profession and by kind of organisation, and notional value.
    given_bars, given = flows.hours_given_figures(hours, names)
    bars.update(given_bars)
    datasets.update(given)
    datasets["value"] = value.value_table(hours, costs)

    # Knowledge flows.
    flow_matrices, flow_datasets = flows.flow_figures(hours, names, every_pair=every_pair)
    matrices.update(flow_matrices)
    datasets.update(flow_datasets)
    datasets["crossing"] = crossing.crossing_dataset(series)

    # Silo index.
    ei, silo_datasets = silo.silo_figures(
        filters, org_pairs, prof_pairs, names, suppress=suppress, windows_month=windows_month
    )
    datasets.update(silo_datasets)

    # Boundary spanners.
    org_betweenness, datasets["spanner_orgs"] = spanners.spanner_org_figures(
        org_pairs, names, filters, windows_month
    )

    # Unmet demand.
    bars["skills"], datasets["skills"] = skills.skill_figures(
        filters, names, suppress=suppress, windows_month=windows_month
    )
    datasets["stale_by_skill"], datasets["stale_by_kind"] = stale_requests(
        filters, names, suppress=suppress, now=now, state=state
    )

    # Balance health.
    bars["balances"], datasets["balances"], datasets["balance_groups"] = balances.balance_figures(
        members, suppress=suppress
    )

    return Dashboard(
        filters=filters,
        suppressed=suppress,
        refreshed_at=state.last_run_at if state else None,
        headlines=headline_list,
        datasets=datasets,
        bars=bars,
        matrices=matrices,
        series=series,
        ei=ei,
        org_betweenness=org_betweenness,
    )
