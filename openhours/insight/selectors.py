"""Reads for the insight dashboard: every figure from insight's own aggregate tables.

Each section returns ``Dataset`` objects: the rows behind one chart, used by the chart, its
table view and its CSV alike, so the three can never disagree. Small-number suppression
(``privacy``) is applied here, before anything reaches a template or a CSV, whenever
``suppress`` is true (viewers who are not coordinators). Metric definitions are in
docs/insight.md.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar

import numpy as np
from django.db import connection
from django.db.models import Count, F, Max, Q, QuerySet, Sum
from django.utils import timezone

from openhours.accounts.models import User
from openhours.ledger import limits
from openhours.members.models import Profession, Skill
from openhours.organisations.models import Organisation, OrganisationKind, Place

from . import network, windows
from .models import (
    MemberCount,
    MemberFact,
    MonthFlow,
    NamingPreference,
    OrgBetweenness,
    OrgFlow,
    OrgFlowWindow,
    ProfessionFlow,
    ProfessionFlowWindow,
    RefreshState,
    RequestFact,
    RequestWindow,
    SiloWindow,
    SkillMonth,
    SkillWindow,
    SpannerScore,
    StaleRequest,
    UnitCost,
    split_ids,
)
from .privacy import (
    MIN_PEOPLE,
    SUPPRESSED_TEXT,
    Cell,
    Part,
    Sums,
    people_by,
    primary,
    protect_sums,
    share_hidden,
    suppress_list,
)

K = TypeVar("K")
ACTIVE_DAYS = 90
STALE_REQUEST_DAYS = 14
TOP = 10
UNKNOWN = "Not recorded"
KIND_LABELS = dict(OrganisationKind.choices)


@dataclass(frozen=True)
class Filters:
    """What the dashboard is narrowed to. Flow figures use whole months in the range.

    A campaign filter will join these once campaigns exist: a ``campaign`` field here and a
    campaign column on the fact tables, applied in ``_flow_q`` like place and kind.
    """

    start: date
    end: date
    place: int | None = None
    org_kind: str | None = None

    @property
    def first_month(self) -> date:
        return self.start.replace(day=1)

    @property
    def last_month(self) -> date:
        return self.end.replace(day=1)

    def previous(self) -> Filters:
        """The same number of whole months just before this range."""
        months = _months_between(self.first_month, self.last_month) + 1
        first = _add_months(self.first_month, -months)
        last = _add_months(self.first_month, -1)
        return Filters(start=first, end=_month_end(last), place=self.place, org_kind=self.org_kind)

    def start_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    def end_before(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))


def default_filters(today: date | None = None) -> Filters:
    """The last twelve months, this one included."""
    today = today or timezone.localdate()
    return Filters(start=_add_months(today.replace(day=1), -11), end=today)


@dataclass
class Dataset:
    """One chart's rows. ``cells`` hold the numbers with their suppression state."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    note: str = ""
    csv_only: bool = False  # too long for the page; a download only

    def display_rows(self) -> list[list[str]]:
        return [[display(value) for value in row] for row in self.rows]


def display(value: Any) -> str:
    if isinstance(value, Cell):
        if value.suppressed:
            return SUPPRESSED_TEXT
        return _number(value.value)
    if value is None:
        return "\u2013"
    if isinstance(value, float):
        return _number(value)
    return str(value)


def _number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


@dataclass
class Bar:
    label: str
    cell: Cell
    second: Cell | None = None  # a paired bar (offered beside requested)


@dataclass
class Matrix:
    """Rows give, columns receive. Keys are labels once named (ids before)."""

    rows: list[Any]
    columns: list[Any]
    cells: dict[tuple[Any, Any], Cell]
    row_totals: dict[Any, Cell]
    column_totals: dict[Any, Cell]
    total: Cell
    # A system leader's table of every pair of organisations keeps its cells as arrays
    # (``cells`` empty) until a block of them is shown: see ``_CellArrays``.
    arrays: _CellArrays | None = field(default=None, compare=False, repr=False)


@dataclass
class _CellArrays:
    """A matrix's cells as arrays, in the order of their keys (row code * n + column code):
    hours, people and whether each is hidden, instead of a ``Cell`` each."""

    order: list[Any]  # labels by code
    n: int
    keys: Any
    hours: Any
    people: Any
    hidden: Any

    def cells(self, within: Any = None) -> dict[tuple[Any, Any], Cell]:
        """``Cell``s of the entries ``within`` (a mask; all when None), in key order."""
        keys, hours, people, hidden = self.keys, self.hours, self.people, self.hidden
        if within is not None:
            keys, hours, people, hidden = (
                keys[within],
                hours[within],
                people[within],
                hidden[within],
            )
        order, n = self.order, self.n
        return {
            (order[k // n], order[k % n]): Cell(h, p, s)
            for k, h, p, s in zip(
                keys.tolist(), hours.tolist(), people.tolist(), hidden.tolist(), strict=True
            )
        }


def _all_cells(matrix: Matrix) -> dict[tuple[Any, Any], Cell]:
    return matrix.arrays.cells() if matrix.arrays is not None else matrix.cells


@dataclass
class Headline:
    label: str
    value: str
    hint: str = ""


@dataclass
class Dashboard:
    filters: Filters
    suppressed: bool
    refreshed_at: datetime | None
    headlines: list[Headline]
    datasets: dict[str, Dataset]
    bars: dict[str, list[Bar]]
    matrices: dict[str, Matrix]
    series: list[tuple[date, Cell, Cell | None, Cell | None]]
    ei: dict[str, list[tuple[str, network.EIScore, float | None, Cell]]]
    org_betweenness: list[tuple[str, float]]


# Entry point --------------------------------------------------------------------------------


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


def spanner_members_dataset() -> Dataset:
    """The members with the highest betweenness, named unless they opted out (coordinators
    only; read afresh on every request)."""
    spanners = _member_spanners()
    return Dataset(
        "spanner_members",
        "Members who connect otherwise separate groups (betweenness, last 12 months)",
        ["member", "betweenness", "other organisations exchanged with"],
        [[label, f"{score:.3f}", reached] for label, score, reached in spanners],
        note="Members who asked not to be named are listed without their name.",
    )


def _figures(
    filters: Filters,
    *,
    suppress: bool,
    now: datetime,
    state: RefreshState | None,
    every_pair: bool = False,
) -> Dashboard:
    names = _Names()
    datasets: dict[str, Dataset] = {}
    bars: dict[str, list[Bar]] = {}
    matrices: dict[str, Matrix] = {}
    # The refresh's summaries (OrgFlowWindow, MonthFlow, MemberCount) exist once a refresh
    # has built them; until then every figure is grouped from the monthly rows.
    summarised = state is not None and state.windows_month is not None
    windows_month = state.windows_month if state is not None else None

    org_pairs = _org_pairs(filters, windows_month)
    prof_pairs = _profession_pairs(filters, windows_month)
    costs = _unit_costs()
    hours = _hours_tables(
        org_pairs, prof_pairs, names, costs, suppress=suppress, every_pair=every_pair
    )
    # The people behind every organisation pair are the organisation table's (unsuppressed
    # grand total's) people: the same lower bound.
    exchanges, series = _exchange_family(
        filters,
        Cell(sum(org_pairs.exchanges), hours.org_people),
        suppress=suppress,
        summary=summarised,
    )
    members = _member_figures(filters, now, summary=summarised)
    headlines = _headlines(
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
    datasets["headline"] = Dataset(
        "headline", "Headline figures", ["figure", "value"], [[h.label, h.value] for h in headlines]
    )

    # Hours given by profession and by kind of organisation, and notional value.
    bars["by_profession"], datasets["by_profession"] = _hours_by(
        "by_profession",
        "Hours given, by the giver's profession (the chart shows the 15 largest)",
        "profession",
        {names.profession(k): c for k, c in hours.profession.row_totals.items()},
        hours.total,
    )
    bars["by_kind"], datasets["by_kind"] = _hours_by(
        "by_kind",
        "Hours given, by the giver's kind of organisation",
        "kind of organisation",
        hours.kind.row_totals,
        hours.total,
    )
    datasets["value"] = _value_table(hours, costs)

    # Knowledge flows.
    matrices["kind"] = hours.kind
    matrices["place"] = hours.place
    matrices["org"] = _top_block(hours.org, names.organisation)
    matrices["profession"] = _top_block(hours.profession, names.profession)
    for key, title, what in (
        ("kind", "Hours between kinds of organisation", "kind of organisation"),
        ("org", "Hours between the ten organisations with most hours", "organisation"),
        ("profession", "Hours between the ten professions with most hours", "profession"),
        ("place", "Hours between places", "place"),
    ):
        datasets[f"flow_{key}"] = _matrix_dataset(f"flow_{key}", title, what, matrices[key])
    for key, what, full, name in (
        ("org", "organisation", hours.org, names.organisation),
        ("profession", "profession", hours.profession, names.profession),
    ):
        datasets[f"flow_{key}_all"] = _matrix_dataset(
            f"flow_{key}_all",
            f"Hours between every pair of {what}s",
            what,
            _named(full, name) if every_pair else None,
            csv_only=True,
        )
    datasets["crossing"] = Dataset(
        "crossing",
        "Share of exchanges that cross a boundary, by month",
        ["month", "exchanges", "cross an organisation (%)", "cross a profession (%)"],
        [[m.strftime("%Y-%m"), n, o, p] for m, n, o, p in series],
    )

    # Silo index.
    ei = {
        "organisation": _ei_rows(
            network.ei_index_of_columns(
                org_pairs.giver_org, org_pairs.receiver_org, org_pairs.exchanges, unknown=0
            ),
            _org_people_by_group(org_pairs) if suppress else {},
            _previous_ei(OrgFlow, filters.previous(), windows_month),
            names.organisation,
            suppress=suppress,
        ),
        "profession": _ei_rows(
            network.ei_index_of_columns(
                [p.key[0] for p in prof_pairs],
                [p.key[1] for p in prof_pairs],
                [p.exchanges for p in prof_pairs],
                unknown=0,
            ),
            _profession_people_by_group(prof_pairs) if suppress else {},
            _previous_ei(ProfessionFlow, filters.previous(), windows_month),
            names.profession,
            suppress=suppress,
        ),
    }
    for key in ("organisation", "profession"):
        datasets[f"silo_{key}"] = _silo_dataset(key, ei[key])

    # Boundary spanners.
    org_betweenness = _org_betweenness(org_pairs, names, filters, windows_month)
    datasets["spanner_orgs"] = Dataset(
        "spanner_orgs",
        "Organisations that connect others (betweenness)",
        ["organisation", "betweenness"],
        [[label, f"{score:.3f}"] for label, score in org_betweenness],
    )

    # Unmet demand.
    bars["skills"], datasets["skills"] = _skills(
        filters, names, suppress=suppress, windows_month=windows_month
    )
    datasets["stale_by_skill"], datasets["stale_by_kind"] = _stale_requests(
        filters, names, suppress=suppress, now=now, state=state
    )

    # Balance health.
    bars["balances"], datasets["balances"], datasets["balance_groups"] = _balances(
        members, suppress=suppress
    )

    return Dashboard(
        filters=filters,
        suppressed=suppress,
        refreshed_at=state.last_run_at if state else None,
        headlines=headlines,
        datasets=datasets,
        bars=bars,
        matrices=matrices,
        series=series,
        ei=ei,
        org_betweenness=org_betweenness,
    )


# Names ----------------------------------------------------------------------------------------


class _Names:
    """Labels for the ids in the aggregates, each table read once per page and only if used."""

    def __init__(self) -> None:
        self._orgs: dict[int, str] | None = None
        self._professions: dict[int, tuple[str, str]] | None = None
        self._places: dict[int, str] | None = None

    def organisation(self, pk: int) -> str:
        if self._orgs is None:
            # One query for every name: cheaper than one per row, even for all of England.
            self._orgs = dict(Organisation.objects.values_list("pk", "name"))
        return self._orgs.get(pk, UNKNOWN)

    def preload_organisations(self, pks: Iterable[int]) -> None:
        self.organisation(0)

    def profession(self, pk: int) -> str:
        return self._profession_rows().get(pk, (UNKNOWN, ""))[0]

    def cost_group(self, pk: int) -> str:
        return self._profession_rows().get(pk, (UNKNOWN, ""))[1]

    def _profession_rows(self) -> dict[int, tuple[str, str]]:
        if self._professions is None:
            self._professions = {
                pk: (name, group)
                for pk, name, group in Profession.objects.values_list("pk", "name", "cost_group")
            }
        return self._professions

    def place(self, pk: int) -> str:
        if self._places is None:
            self._places = dict(Place.objects.values_list("pk", "name"))
        return self._places.get(pk, UNKNOWN)


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, UNKNOWN))


def places() -> list[tuple[int, str]]:
    return list(Place.objects.values_list("pk", "name"))


# Aggregates ------------------------------------------------------------------------------------


@dataclass
class Pair:
    """Flows from one group to another summed over the range's months.

    ``key`` starts with the giver's and the receiver's group (an organisation or a
    profession): a member is in exactly one of each, which is what ``people_lower_bound``
    relies on.
    """

    key: tuple[Any, ...]
    exchanges: int
    minutes: int
    givers: int
    receivers: int
    cross_org: int = 0
    cross_profession: int = 0

    @property
    def part(self) -> Part:
        return Part(self.key[0], self.key[1], self.givers, self.receivers)


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
    arrays: _PairArrays

    @classmethod
    def of(cls, rows: list[tuple[Any, ...]]) -> OrgPairs:
        """From rows of (giver org, receiver org, giver kind, receiver kind, giver place,
        receiver place, exchanges, minutes, givers, receivers)."""
        go, ro, gk, rk, gp, rp, n, m, g, r = _columns(rows, 10)
        return cls(go, ro, gk, rk, gp, rp, n, m, _PairArrays.of_columns(go, ro, m, g, r))

    def __len__(self) -> int:
        return len(self.giver_org)


def _flow_q(filters: Filters) -> Q:
    giver = Q()
    receiver = Q()
    if filters.place:
        giver &= Q(giver_place=filters.place)
        receiver &= Q(receiver_place=filters.place)
    if filters.org_kind:
        giver &= Q(giver_kind=filters.org_kind)
        receiver &= Q(receiver_kind=filters.org_kind)
    if not (filters.place or filters.org_kind):
        return Q()
    return giver | receiver


def _window(
    filters: Filters, windows_month: date | None, *, previous: bool = False
) -> tuple[date, date] | None:
    """The filters' months, when the refresh summed them in advance: one of the windows
    ending with its month (``windows.current``), or with ``previous``, one of the periods
    before those (``windows.previous``, for the silo index)."""
    if windows_month is None:
        return None
    span = (filters.first_month, filters.last_month)
    kept = windows.previous(windows_month) if previous else windows.current(windows_month)
    return span if span in kept else None


def _previous_ei(
    model: type[OrgFlow] | type[ProfessionFlow], filters: Filters, windows_month: date | None
) -> dict[int, network.EIScore]:
    """The silo index of the previous period: ``network.ei_index`` of the exchanges between
    pairs of groups, as each group's internal and external exchanges (a hundred rows rather
    than every pair): kept by the refresh for the standard windows, else summed in SQL."""
    window = _window(filters, windows_month, previous=True)
    scope = {"scope_place": filters.place or 0, "scope_kind": filters.org_kind or ""}
    if window is not None:
        # Summed by the refresh, per group (``SiloWindow``).
        kept = SiloWindow.objects.filter(
            first_month=window[0],
            last_month=window[1],
            what="organisation" if model is OrgFlow else "profession",
            **scope,
        ).values_list("group_id", "external", "internal")
        return {g: network.EIScore(g, e, i) for g, e, i in sorted(_fetch(kept))}
    rows: QuerySet[Any]
    months = Q(month__gte=filters.first_month, month__lte=filters.last_month)
    if model is OrgFlow:
        giver, receiver = "giver_org", "receiver_org"
        rows = OrgFlow.objects.filter(months, _flow_q(filters))
    else:
        giver, receiver = "giver_profession", "receiver_profession"
        rows = ProfessionFlow.objects.filter(months, **scope)
    # As ``ei_index``: exchanges with the unknown group (0) are left out.
    rows = rows.filter(exchanges__gt=0).exclude(**{giver: 0}).exclude(**{receiver: 0})
    inside = Q(**{giver: F(receiver)})
    internal: dict[int, int] = defaultdict(int)
    external: dict[int, int] = defaultdict(int)
    given = (
        rows.values_list(giver)
        .annotate(i=Sum("exchanges", filter=inside), e=Sum("exchanges", filter=~inside))
        .order_by()
    )
    for group, i, e in _fetch(given):
        internal[group] += i or 0
        external[group] += e or 0
    received = rows.exclude(inside).values_list(receiver).annotate(e=Sum("exchanges")).order_by()
    for group, e in _fetch(received):
        external[group] += e
    return {
        g: network.EIScore(g, external.get(g, 0), internal.get(g, 0))
        for g in sorted(internal.keys() | external.keys())
    }


def _org_pairs(filters: Filters, windows_month: date | None = None) -> OrgPairs:
    # Plain SQL: at 10,000 pairs the ORM's per-value converters cost more than the query.
    window = _window(filters, windows_month)
    if window is not None:
        # Summed by the refresh: one row per pair, nothing to group.
        summed = (
            OrgFlowWindow.objects.filter(first_month=window[0], last_month=window[1])
            .filter(_flow_q(filters))
            .values_list(
                "giver_org",
                "receiver_org",
                "giver_kind",
                "receiver_kind",
                "giver_place",
                "receiver_place",
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
        .filter(_flow_q(filters))
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
    return OrgPairs.of(_fetch(query))


def _fetch(query: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """A query's rows straight from the cursor: at thousands of rows the ORM's per-row
    work costs more than the query. Only for integer and text columns, which need no
    conversion on any database."""
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _profession_pairs(filters: Filters, windows_month: date | None = None) -> list[Pair]:
    scope = {"scope_place": filters.place or 0, "scope_kind": filters.org_kind or ""}
    window = _window(filters, windows_month)
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
        for giver, receiver, n, m, g, r in sorted(_fetch(rows.order_by()))
    ]


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


def _hours(pair: Pair) -> float:
    return pair.minutes / 60


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


# Headlines -------------------------------------------------------------------------------------


def _member_q(filters: Filters) -> Q:
    """Rows of the filters' place and kind of organisation (members', authors')."""
    q = Q()
    if filters.place:
        q &= Q(place_id=filters.place)
    if filters.org_kind:
        q &= Q(org_kind=filters.org_kind)
    return q


def _headlines(
    filters: Filters,
    exchanges: Cell,
    hours: HoursTables,
    prof_pairs: list[Pair],
    costs: dict[str, int | None],
    members: dict[str, int],
    *,
    suppress: bool,
    names: _Names,
    summarised: bool,
) -> list[Headline]:

    def count(n: int) -> str:
        return SUPPRESSED_TEXT if suppress and 0 < n < MIN_PEOPLE else f"{n:,}"

    def share(part: int, whole: int) -> str:
        if not whole:
            return "\u2013"
        if share_hidden(part, whole, apply=suppress):
            return SUPPRESSED_TEXT
        return f"{100 * part / whole:.0f}%"

    requests = _request_figures(filters, suppress=suppress, summarised=summarised)
    value, unvalued = _notional_value(prof_pairs, names, costs)
    value_cell = hours.total
    return [
        Headline("Members", count(members["members"]), "approved, active accounts"),
        Headline(
            "Active members",
            count(members["active"]),
            f"gave or received in the last {ACTIVE_DAYS} days",
        ),
        Headline("Exchanges", display(exchanges), "confirmed in the period"),
        Headline("Hours exchanged", display(hours.total), "confirmed in the period"),
        Headline(
            "Members who have both given and received",
            share(members["both"], members["either"]),
            "of members who have taken part",
        ),
        *requests,
        Headline(
            "Notional value",
            SUPPRESSED_TEXT if value_cell.suppressed else f"£{value:,.0f}",
            "hours \u00d7 the giver's staff-group hourly cost"
            + (
                f"; {unvalued:,.0f} hours have no unit cost"
                if unvalued and not value_cell.suppressed
                else ""
            ),
        ),
    ]


def _requests(filters: Filters) -> QuerySet[RequestFact]:
    q = Q(kind="request", created_at__gte=filters.start_at(), created_at__lt=filters.end_before())
    if filters.place:
        q &= Q(place_id=filters.place)
    if filters.org_kind:
        q &= Q(org_kind=filters.org_kind)
    return RequestFact.objects.filter(q)


def _kept_requests(filters: Filters) -> RequestWindow | None:
    """The refresh's figures for these filters' requests (``RequestWindow``), when the range
    starts on one of its days and ends after the newest request it counted."""
    if filters.start.day != 1:
        return None
    kept = RequestWindow.objects.filter(
        first_month=filters.start,
        scope_place=filters.place or 0,
        scope_kind=filters.org_kind or "",
    ).first()
    if kept is None or (kept.latest is not None and kept.latest >= filters.end_before()):
        return None
    return kept


def _request_figures(filters: Filters, *, suppress: bool, summarised: bool) -> list[Headline]:
    kept = _kept_requests(filters) if summarised else None
    requests = _requests(filters)
    if kept is not None:
        n, fulfilled, authors = kept.requests, kept.fulfilled, kept.authors
        responded = kept.responded
    else:
        figures = requests.aggregate(
            n=Count("pk"),
            fulfilled=Count("pk", filter=Q(fulfilled=True)),
            authors=Count("author_id", distinct=True),
            responded=Count("pk", filter=Q(response_minutes__isnull=False)),
        )
        n, fulfilled, authors = figures["n"], figures["fulfilled"], figures["authors"]
        responded = figures["responded"]
    hidden = suppress and 0 < authors < MIN_PEOPLE
    if not n:
        rate = "\u2013"
    elif hidden or share_hidden(fulfilled, n, apply=suppress):
        rate = SUPPRESSED_TEXT
    else:
        rate = f"{100 * fulfilled / n:.0f}%"
    if not responded:
        median = "\u2013"
    elif hidden:
        median = SUPPRESSED_TEXT
    else:
        middle: int | None = kept.median_minutes if kept is not None else None
        if middle is None:
            middle = (
                requests.filter(response_minutes__isnull=False)
                .order_by("response_minutes")
                .values_list("response_minutes", flat=True)[middle_index(responded)]
            )
        assert middle is not None  # only answered requests were picked from
        median = _duration(middle)
    return [
        Headline("Requests fulfilled", rate, f"of {n:,} requests" if not hidden else "of requests"),
        Headline(
            "Median time to first response", median, "from posting to the first offer of help"
        ),
    ]


def middle_index(count: int) -> int:
    """Where the median of ``count`` sorted values is: the middle one, or the lower middle
    one when ``count`` is even (docs/insight.md, section 1)."""
    return (count - 1) // 2


def _duration(minutes: int) -> str:
    if minutes < 120:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes / 60:.0f} hours"
    return f"{minutes / 1440:.1f} days"


def _unit_costs() -> dict[str, int | None]:
    return dict(UnitCost.objects.values_list("role_group", "pence_per_hour"))


def _notional_value(
    pairs: list[Pair], names: _Names, costs: dict[str, int | None]
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


def _value_table(hours: HoursTables, costs: dict[str, int | None]) -> Dataset:
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


def _hours_by(
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


# Flows -------------------------------------------------------------------------------------------


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


def _hours_tables(
    org_pairs: OrgPairs,
    prof_pairs: list[Pair],
    names: _Names,
    costs: dict[str, int | None],
    *,
    suppress: bool,
    every_pair: bool = True,
) -> HoursTables:
    """``every_pair`` False: the organisation table keeps only the cells of its top block
    when nothing is suppressed (a coordinator's page; the rest are for the CSV)."""
    o = org_pairs
    kinds = {k: kind_label(k) for k in {*o.giver_kind, *o.receiver_kind}}
    kind = _full_matrix(
        [kinds[k] for k in o.giver_kind], [kinds[k] for k in o.receiver_kind], o.arrays, suppress
    )
    places = {p: names.place(p) for p in {*o.giver_place, *o.receiver_place}}
    place = _full_matrix(
        [places[p] for p in o.giver_place],
        [places[p] for p in o.receiver_place],
        o.arrays,
        suppress,
    )
    # A system leader's 10,000 pairs stay arrays through suppression (``_CellArrays``).
    org = _full_matrix(
        o.giver_org,
        o.receiver_org,
        o.arrays,
        suppress,
        top_cells_only=not (suppress or every_pair),
        as_arrays=suppress,
    )
    profession = _full_matrix(
        [p.key[0] for p in prof_pairs],
        [p.key[1] for p in prof_pairs],
        _PairArrays.of(prof_pairs),
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
    if not suppress:
        return HoursTables(kind, place, org, profession, value_groups, total, org_people)
    sums = Sums()
    for m in matrices:
        if m.arrays is not None:
            m.arrays.hidden[:] = (m.arrays.hours != 0) & (m.arrays.people < MIN_PEOPLE)
            _add_array_relations(sums, m, m.arrays)
        else:
            for relation in _matrix_relations(m):
                sums.add(relation)
    for group, group_pairs in by_group.items():
        members = {p.key[0] for p in group_pairs}
        sums.add(
            [c for k, c in profession.row_totals.items() if k in members] + [value_groups[group]]
        )
    sums.add([*value_groups.values(), total])
    sums.protect()
    return HoursTables(kind, place, org, profession, value_groups, total, org_people)


def _full_matrix(
    row_labels: Sequence[Any],
    column_labels: Sequence[Any],
    arrays: _PairArrays,
    suppress: bool,
    *,
    top_cells_only: bool = False,
    as_arrays: bool = False,
) -> Matrix:
    """Hours from row groups to column groups, with totals; nothing suppressed yet. Each
    pair (an entry of ``arrays``) goes in the row and column of its labels.

    Grouped with numpy: at 10,000 pairs of organisations, dictionaries of lists per cell,
    row and column cost several times more than the rest of the page.
    """
    count = len(row_labels)
    order = sorted(set(row_labels) | set(column_labels), key=lambda s: (s in (UNKNOWN, 0), str(s)))
    code = {label: i for i, label in enumerate(order)}
    n = max(len(order), 1)
    rows = np.array(list(map(code.__getitem__, row_labels)), np.int64).reshape(count)
    columns = np.array(list(map(code.__getitem__, column_labels)), np.int64).reshape(count)
    row_cells = _group_cells(rows, arrays, suppress=suppress)
    column_cells = _group_cells(columns, arrays, suppress=suppress)
    if top_cells_only:
        # Only the cells of the block the page shows (``_top_block``), all of each.
        top = _top_keys(
            {order[k]: cell for k, cell in row_cells.items()},
            {order[k]: cell for k, cell in column_cells.items()},
        )
        codes = [code[label] for label in top]
        within = np.isin(rows, codes) & np.isin(columns, codes)
        cells = _group_cells((rows * n + columns)[within], arrays.take(within), suppress=suppress)
    elif as_arrays and count:
        keys, hours, people = _group_arrays(rows * n + columns, arrays, suppress=suppress)
        cell_arrays = _CellArrays(order, n, keys, hours, people, np.zeros(len(keys), bool))
        cells = {}
    else:
        cells = _group_cells(rows * n + columns, arrays, suppress=suppress)
    totals = _group_cells(np.zeros(count, np.int64), arrays, suppress=suppress)
    matrix = Matrix(
        rows=[order[r] for r in sorted(row_cells)],
        columns=[order[c] for c in sorted(column_cells)],
        cells={(order[k // n], order[k % n]): cell for k, cell in cells.items()},
        row_totals={order[k]: cell for k, cell in row_cells.items()},
        column_totals={order[k]: cell for k, cell in column_cells.items()},
        total=totals.get(0, Cell(0, 0)),
    )
    if as_arrays and count:
        matrix.arrays = cell_arrays
    return matrix


@dataclass
class _PairArrays:
    """Pairs as columns: minutes, and for ``people_by`` each side's group (as a code shared
    by both sides) and its most givers and receivers in one month."""

    minutes: Any
    giver_group: Any
    receiver_group: Any
    givers: Any
    receivers: Any
    groups: int

    @classmethod
    def of(cls, pairs: list[Pair]) -> _PairArrays:
        return cls.of_columns(
            [p.key[0] for p in pairs],
            [p.key[1] for p in pairs],
            [p.minutes for p in pairs],
            [p.givers for p in pairs],
            [p.receivers for p in pairs],
        )

    @classmethod
    def of_columns(
        cls,
        giver_group: Sequence[int],
        receiver_group: Sequence[int],
        minutes: Sequence[int],
        givers: Sequence[int],
        receivers: Sequence[int],
    ) -> _PairArrays:
        """Groups are ids (organisations or professions), coded 0.. on both sides alike."""
        ids = np.array([*giver_group, *receiver_group], np.int64)
        unique, codes = np.unique(ids, return_inverse=True)
        count = len(giver_group)
        return cls(
            minutes=np.array(minutes, np.float64),
            giver_group=codes[:count].astype(np.int64),
            receiver_group=codes[count:].astype(np.int64),
            givers=np.array(givers, np.int64),
            receivers=np.array(receivers, np.int64),
            groups=max(len(unique), 1),
        )

    def take(self, which: Any) -> _PairArrays:
        """Some entries (an index or mask), keeping the codes of the groups."""
        return _PairArrays(
            self.minutes[which],
            self.giver_group[which],
            self.receiver_group[which],
            self.givers[which],
            self.receivers[which],
            self.groups,
        )

    def concatenate(self, other: _PairArrays) -> _PairArrays:
        return _PairArrays(
            np.concatenate([self.minutes, other.minutes]),
            np.concatenate([self.giver_group, other.giver_group]),
            np.concatenate([self.receiver_group, other.receiver_group]),
            np.concatenate([self.givers, other.givers]),
            np.concatenate([self.receivers, other.receivers]),
            self.groups,
        )


def _group_cells(keys: Any, arrays: _PairArrays | None, *, suppress: bool) -> dict[int, Cell]:
    """Hours and people per key (``_group_arrays``), a ``Cell`` each."""
    if arrays is None or not len(keys):
        return {}
    unique, hours, people = _group_arrays(keys, arrays, suppress=suppress)
    return {
        key: Cell(h, p)
        for key, h, p in zip(unique.tolist(), hours.tolist(), people.tolist(), strict=True)
    }


# Keys below this are grouped by counting (``np.bincount``) rather than by sorting.
DENSE_KEYS = 2_000_000


def _group_arrays(keys: Any, arrays: _PairArrays, *, suppress: bool) -> tuple[Any, Any, Any]:
    """Hours per key, and (when suppressing) ``privacy.people_by`` per key, vectorised:
    per key, the sum over giver groups of their largest count of givers, likewise
    receivers; added when no group is on both sides, else the larger. Returns the keys
    (sorted), hours and people."""
    unique, index = _unique(keys)
    minutes = np.bincount(index, weights=arrays.minutes, minlength=len(unique))
    people = np.zeros(len(unique), np.int64)
    if not suppress:
        return unique, minutes / 60, people
    groups = arrays.groups
    if len(unique) == len(keys):
        # One pair per key (a table of every pair of organisations): its givers and
        # receivers, or the larger where both sides are the same group.
        same = arrays.giver_group == arrays.receiver_group
        larger = np.maximum(arrays.givers, arrays.receivers)
        people[index] = np.where(same, larger, arrays.givers + arrays.receivers)
    elif len(unique) * groups <= DENSE_KEYS:
        # A table of key by group for each side: the largest count, and who is there.
        size = len(unique) * groups
        sides = []
        for group, count in (
            (arrays.giver_group, arrays.givers),
            (arrays.receiver_group, arrays.receivers),
        ):
            at = index * groups + group
            largest = np.zeros(size, np.int64)
            np.maximum.at(largest, at, count)
            present = np.zeros(size, bool)
            present[at] = True
            sides.append((largest.reshape(-1, groups).sum(axis=1), present))
        (givers, giving), (receivers, receiving) = sides
        both = (giving & receiving).reshape(-1, groups).any(axis=1)
        people = np.where(both, np.maximum(givers, receivers), givers + receivers)
    else:
        sides = []
        for group, count in (
            (arrays.giver_group, arrays.givers),
            (arrays.receiver_group, arrays.receivers),
        ):
            keyed = index * groups + group
            pairs, where = np.unique(keyed, return_inverse=True)
            largest = np.zeros(len(pairs), np.int64)
            np.maximum.at(largest, where, count)
            total = np.bincount(pairs // groups, weights=largest, minlength=len(unique))
            sides.append((pairs, total.astype(np.int64)))
        (giver_keys, givers), (receiver_keys, receivers) = sides
        both = np.zeros(len(unique), bool)
        both[np.intersect1d(giver_keys, receiver_keys) // groups] = True
        people = np.where(both, np.maximum(givers, receivers), givers + receivers)
    return unique, minutes / 60, people


def _unique(keys: Any) -> tuple[Any, Any]:
    """``np.unique(keys, return_inverse=True)``; by counting when the keys are small
    non-negative integers (codes of groups, or of pairs of them), which needs no sort."""
    keys = np.asarray(keys)
    if len(keys) and keys.dtype.kind in "iu" and keys.min() >= 0 and keys.max() < DENSE_KEYS:
        present = np.bincount(keys) > 0
        return np.flatnonzero(present), (np.cumsum(present) - 1)[keys]
    return np.unique(keys, return_inverse=True)


def _add_array_relations(sums: Sums, matrix: Matrix, arrays: _CellArrays) -> None:
    """``_matrix_relations`` of a matrix whose cells are arrays, in the same order: each
    row's cells (in key order) and its total, each column's likewise, then the totals."""
    first = sums.block(arrays.hours, arrays.hidden)
    for codes, totals in (
        (arrays.keys // arrays.n, matrix.row_totals),
        (arrays.keys % arrays.n, matrix.column_totals),
    ):
        # Totals are keyed in code order, and every row (column) with a total has cells.
        grouped = np.argsort(codes, kind="stable")
        sizes = np.bincount(codes)
        sizes = sizes[sizes > 0]
        assert len(sizes) == len(totals)
        lengths = sizes + 1
        ends = np.cumsum(lengths)
        members = np.empty(int(ends[-1]) if len(ends) else 0, np.int64)
        is_total = np.zeros(len(members), bool)
        is_total[ends - 1] = True
        members[is_total] = [sums.cell_index(cell) for cell in totals.values()]
        members[~is_total] = first + grouped
        sums.add_indexes(members, lengths)
    sums.add([*matrix.row_totals.values(), matrix.total])
    sums.add([*matrix.column_totals.values(), matrix.total])


def _matrix_relations(matrix: Matrix) -> list[list[Cell]]:
    """Each row with its total, each column with its total, and the totals with the total."""
    by_row: dict[Any, list[Cell]] = defaultdict(list)
    by_column: dict[Any, list[Cell]] = defaultdict(list)
    for (r, c), cell in matrix.cells.items():
        by_row[r].append(cell)
        by_column[c].append(cell)
    relations = [by_row[r] + [total] for r, total in matrix.row_totals.items()]
    relations += [by_column[c] + [total] for c, total in matrix.column_totals.items()]
    relations.append([*matrix.row_totals.values(), matrix.total])
    relations.append([*matrix.column_totals.values(), matrix.total])
    return relations


def _top_keys(row_totals: Mapping[Any, Cell], column_totals: Mapping[Any, Cell]) -> list[Any]:
    """The ten groups with most hours given plus received (not "not recorded")."""
    hours: dict[Any, float] = defaultdict(float)
    for key, cell in row_totals.items():
        hours[key] += cell.value
    for key, cell in column_totals.items():
        hours[key] += cell.value
    return [k for k, _ in sorted(hours.items(), key=lambda kv: -kv[1]) if k][:TOP]


def _top_block(matrix: Matrix, name: Callable[[int], str]) -> Matrix:
    """The part of a suppressed matrix between its ten groups with most hours, named.

    A block of the full table, not a regrouping, so its cells keep their suppression; the
    totals are the full rows' and columns'.
    """
    top = _top_keys(matrix.row_totals, matrix.column_totals)
    if matrix.arrays is not None:
        a = matrix.arrays
        codes = [i for i, label in enumerate(a.order) if label in top]
        cells = a.cells(np.isin(a.keys // a.n, codes) & np.isin(a.keys % a.n, codes))
    else:
        cells = {k: c for k, c in matrix.cells.items() if k[0] in top and k[1] in top}
    return _named(
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


def _named(matrix: Matrix, name: Callable[[int], str]) -> Matrix:
    return Matrix(
        rows=[name(r) for r in matrix.rows],
        columns=[name(c) for c in matrix.columns],
        cells={(name(r), name(c)): cell for (r, c), cell in _all_cells(matrix).items()},
        row_totals={name(k): c for k, c in matrix.row_totals.items()},
        column_totals={name(k): c for k, c in matrix.column_totals.items()},
        total=matrix.total,
    )


def _matrix_dataset(
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


def _exchange_family(
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
        .filter(_flow_q(filters))
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


# Silo index -------------------------------------------------------------------------------------


def _profession_people_by_group(pairs: list[Pair]) -> dict[Any, int]:
    """The people behind each profession's exchanges, given or received (``people_by``)."""
    return _people_by_group(
        [p.key[0] for p in pairs], [p.key[1] for p in pairs], _PairArrays.of(pairs)
    )


def _org_people_by_group(pairs: OrgPairs) -> dict[Any, int]:
    """As ``_profession_people_by_group`` for organisations."""
    return _people_by_group(pairs.giver_org, pairs.receiver_org, pairs.arrays)


def _people_by_group(
    givers: Sequence[int], receivers: Sequence[int], arrays: _PairArrays
) -> dict[Any, int]:
    """``people_by`` with numpy: each pair counts for its giver's group and, when
    different, its receiver's."""
    if not len(givers):
        return {}
    giver = np.array(givers, np.int64)
    receiver = np.array(receivers, np.int64)
    crossing = giver != receiver
    keys = np.concatenate([giver, receiver[crossing]])
    both = arrays.concatenate(arrays.take(crossing))
    return {key: cell.people for key, cell in _group_cells(keys, both, suppress=True).items()}


def _ei_rows(
    now: dict[int, network.EIScore],
    people: dict[Any, int],
    before: dict[int, network.EIScore],
    name: Callable[[int], str],
    *,
    suppress: bool,
) -> list[tuple[str, network.EIScore, float | None, Cell]]:
    result = []
    for group, score in now.items():
        cell = Cell(score.ties, people.get(group, 0))
        primary([cell], apply=suppress)
        old = before.get(group)
        result.append((name(group), score, old.index if old else None, cell))
    # Equal scores in order of group, whatever order the groups came in.
    result.sort(key=lambda row: (row[3].suppressed, row[1].index or 0, -row[1].ties, row[1].group))
    return result


def _silo_dataset(
    what: str, rows: list[tuple[str, network.EIScore, float | None, Cell]]
) -> Dataset:
    table = []
    for label, score, previous, cell in rows:
        if cell.suppressed:
            table.append([label, cell, cell, cell, cell, cell, cell])
            continue
        change = None
        if previous is not None and score.index is not None:
            change = _round(score.index - previous)
        table.append(
            [
                label,
                _round(score.index),
                score.external,
                score.internal,
                score.ties,
                _round(previous),
                change,
            ]
        )
    return Dataset(
        f"silo_{what}",
        f"Silo index (E-I) by {what}, most inward-looking first",
        [what, "E-I index", "external", "internal", "exchanges", "previous period", "change"],
        table,
    )


# Boundary spanners -------------------------------------------------------------------------------


def organisation_edges(pairs: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The network of organisations from pairs (giver, receiver), for
    ``network.betweenness``: sorted, so the scores (and the order of ties) don't depend on
    the order rows arrive in."""
    return sorted((g, r) for g, r in pairs if g and r and g != r)


def _org_betweenness(
    pairs: OrgPairs, names: _Names, filters: Filters, windows_month: date | None
) -> list[tuple[str, float]]:
    window = _window(filters, windows_month)
    if window is not None and not (filters.place or filters.org_kind):
        # Computed by the refresh from the same pairs, the same way (``OrgBetweenness``).
        scores = dict(
            OrgBetweenness.objects.filter(first_month=window[0], last_month=window[1]).values_list(
                "organisation_id", "score"
            )
        )
    else:
        edges = organisation_edges(zip(pairs.giver_org, pairs.receiver_org, strict=True))
        scores, _exact = network.betweenness(edges)
    # Ties are ranked by organisation id, ignoring floating-point noise.
    top = sorted(scores.items(), key=lambda kv: (-round(kv[1], 12), kv[0]))[:TOP]
    names.preload_organisations(pk for pk, _ in top)
    return [(names.organisation(pk), score) for pk, score in top if score > 0]


def _member_spanners() -> list[tuple[str, float, int]]:
    top = list(SpannerScore.objects.order_by("-betweenness", "user_id")[:TOP])
    ids = [s.user_id for s in top]
    users = dict(User.objects.filter(pk__in=ids).values_list("pk", "full_name"))
    hidden = set(
        NamingPreference.objects.filter(user_id__in=ids, may_be_named=False).values_list(
            "user_id", flat=True
        )
    )
    return [
        (
            "A member who asked not to be named"
            if s.user_id in hidden
            else users.get(s.user_id, UNKNOWN),
            s.betweenness,
            s.organisations_reached,
        )
        for s in top
    ]


# Unmet demand -------------------------------------------------------------------------------------


def _skill_q(filters: Filters) -> Q:
    return Q(month__gte=filters.first_month, month__lte=filters.last_month) & _member_q(filters)


def _skills(
    filters: Filters, names: _Names, *, suppress: bool, windows_month: date | None
) -> tuple[list[Bar], Dataset]:
    window = _window(filters, windows_month)
    if window is not None:
        # Summed by the refresh (``SkillWindow``): nothing to group.
        kept = SkillWindow.objects.filter(
            _member_q(filters), first_month=window[0], last_month=window[1]
        )
        rows = _fetch(
            kept.values_list("skill_id", "kind", "org_kind", "place_id", "posts", "people")
        )
    else:
        rows = _fetch(
            SkillMonth.objects.filter(_skill_q(filters))
            .values_list("skill_id", "kind", "org_kind", "place_id")
            .annotate(posts=Sum("posts"), people=Max("people"))
            .order_by()
        )
    posts: dict[tuple[int, str], int] = defaultdict(int)
    people: dict[tuple[int, str], int] = defaultdict(int)
    for skill, kind, _org_kind, _place, n, authors in rows:
        posts[(skill, kind)] += n
        # Authors in different kinds of organisation or places are different people.
        people[(skill, kind)] += authors
    skill_ids = {skill for skill, _ in posts}
    skill_names = dict(Skill.objects.filter(pk__in=skill_ids).values_list("pk", "name"))
    ranked = sorted(skill_ids, key=lambda s: (-posts[(s, "request")], -posts[(s, "offer")]))
    bars: list[Bar] = []
    table: list[list[Any]] = []
    for skill in ranked:
        requested = Cell(posts[(skill, "request")], people[(skill, "request")])
        offered = Cell(posts[(skill, "offer")], people[(skill, "offer")])
        primary([requested, offered], apply=suppress)
        label = skill_names.get(skill, UNKNOWN)
        gap: Any = (
            requested.value - offered.value
            if not (requested.suppressed or offered.suppressed)
            else Cell(0, 0, suppressed=True)
        )
        table.append([label, requested, offered, gap])
        if len(bars) < 12 and requested.value:
            bars.append(Bar(label, requested, offered))
    dataset = Dataset(
        "skills",
        "Skills most requested against most offered (posts naming the skill)",
        ["skill", "requests", "offers", "requests minus offers"],
        table,
    )
    return bars, dataset


def _columns(rows: list[tuple[Any, ...]], width: int) -> list[list[Any]]:
    """Rows as columns. Not ``zip(*rows)``: its one iterator per row, thousands of
    short-lived objects, sets off the garbage collector over everything the page holds."""
    return [[row[i] for row in rows] for i in range(width)]


def _skill_counts(
    authors: Sequence[int], skill_ids: Sequence[str]
) -> tuple[dict[int, int], dict[int, int]]:
    """Per skill named in ``skill_ids`` (comma-separated, one text per request): how many
    requests name it and how many distinct authors, in the order skills first appear."""
    per_request = [text.count(",") + 1 if text else 0 for text in skill_ids]
    joined = ",".join(text for text in skill_ids if text)
    if not joined:
        return {}, {}
    skills = np.array(joined.split(","), np.int64)
    by = np.repeat(np.array(authors, np.int64), per_request)
    unique, first, counts = np.unique(skills, return_index=True, return_counts=True)
    span = int(by.max()) + 1
    pairs = np.unique(skills * span + by)
    people = dict(zip(*np.unique(pairs // span, return_counts=True), strict=True))
    order = np.argsort(first, kind="stable")
    return (
        {int(unique[i]): int(counts[i]) for i in order},
        {int(unique[i]): int(people[unique[i]]) for i in order},
    )


def stale_q(edge: datetime) -> Q:
    """Requests still open and unanswered, created before ``edge``."""
    return Q(kind="request", status="open", fulfilled=False, created_at__lt=edge)


class _Authors:
    """Distinct authors of some requests, as far as "fewer than 5" needs them: exact below
    5, and at least 5 otherwise."""

    def __init__(self) -> None:
        self.ids: set[int] = set()
        self.many = 0  # a part with this many (5 or more) authors, not listed

    def add_kept(self, authors: int, author_ids: str) -> None:
        if authors >= MIN_PEOPLE:
            self.many = max(self.many, authors)
        else:
            self.ids.update(split_ids(author_ids))

    @property
    def count(self) -> int:
        return max(self.many, len(self.ids))


def _stale_counts(
    filters: Filters, now: datetime, state: RefreshState | None
) -> tuple[dict[str, int], dict[str, int], int, dict[int, int], dict[int, int]]:
    """Open requests older than 14 days: per author's kind and its distinct authors, all
    their authors, and per skill and its distinct authors (authors exact below 5, at least 5
    otherwise: only "fewer than 5" depends on them).

    From ``StaleRequest`` as the last refresh counted them plus the requests that crossed
    the 14-day edge since (a few minutes' worth); from every open request when there is no
    such count or the page's time is earlier than the refresh's.
    """
    edge = now - timedelta(days=STALE_REQUEST_DAYS)
    kept = state.stale_before if state is not None else None
    by_kind: dict[str, int] = defaultdict(int)
    by_skill: dict[int, int] = defaultdict(int)
    kind_authors: dict[str, _Authors] = defaultdict(_Authors)
    skill_authors: dict[int, _Authors] = defaultdict(_Authors)
    all_authors = _Authors()
    q = stale_q(edge)
    summarised = kept is not None and kept <= edge
    if summarised:
        summary = StaleRequest.objects.filter(place_id=filters.place)
        if filters.org_kind:
            summary = summary.filter(org_kind=filters.org_kind)
        for org_kind, skill, n, authors, author_ids in _fetch(
            summary.values_list("org_kind", "skill_id", "requests", "authors", "author_ids")
        ):
            if skill:
                by_skill[skill] += n
                skill_authors[skill].add_kept(authors, author_ids)
            else:
                by_kind[org_kind] += n
                kind_authors[org_kind].add_kept(authors, author_ids)
                all_authors.add_kept(authors, author_ids)
        q &= Q(created_at__gte=kept)
    if filters.place:
        q &= Q(place_id=filters.place)
    if filters.org_kind:
        q &= Q(org_kind=filters.org_kind)
    rows = _fetch(RequestFact.objects.filter(q).values_list("author_id", "org_kind", "skill_ids"))
    if not summarised:
        # Every open request, thousands of them: counted with C loops (Counter, set, numpy)
        # rather than a Python loop per request; every count of authors is exact.
        authors, org_kinds, skill_ids = _columns(rows, 3)
        for kind, n in Counter(org_kinds).items():
            by_kind[kind] += n
        for kind, author in set(zip(org_kinds, authors, strict=True)):
            kind_authors[kind].ids.add(author)
        all_authors.ids.update(authors)
        counts, people = _skill_counts(authors, skill_ids)
        for skill, n in counts.items():
            by_skill[skill] += n
            skill_authors[skill].many = people[skill]
    else:
        for author, kind, skill_ids in rows:
            by_kind[kind] += 1
            kind_authors[kind].ids.add(author)
            all_authors.ids.add(author)
            for skill in split_ids(skill_ids):
                by_skill[skill] += 1
                skill_authors[skill].ids.add(author)
    # Keys in order, so that equal counts are listed the same way however they were read.
    return (
        {k: by_kind[k] for k in sorted(by_kind)},
        {k: kind_authors[k].count for k in sorted(by_kind)},
        all_authors.count,
        {s: by_skill[s] for s in sorted(by_skill)},
        {s: skill_authors[s].count for s in sorted(by_skill)},
    )


def _stale_requests(
    filters: Filters,
    names: _Names,
    *,
    suppress: bool,
    now: datetime,
    state: RefreshState | None = None,
) -> tuple[Dataset, Dataset]:
    by_kind, kind_people, all_people, by_skill, skill_people = _stale_counts(filters, now, state)
    skill_names = dict(Skill.objects.filter(pk__in=by_skill).values_list("pk", "name"))
    skill_cells = {s: Cell(n, skill_people[s]) for s, n in by_skill.items()}
    primary(skill_cells.values(), apply=suppress)
    kind_cells = {k: Cell(n, kind_people[k]) for k, n in by_kind.items()}
    kind_total = Cell(sum(by_kind.values()), all_people)
    ordered_kinds = sorted(kind_cells.items(), key=lambda kv: -kv[1].value)
    suppress_list([c for _, c in ordered_kinds], kind_total, apply=suppress)
    ordered_kinds.sort(key=lambda kv: kv[1].suppressed)  # hidden last (see _hours_by)
    skills = Dataset(
        "stale_by_skill",
        f"Requests open longer than {STALE_REQUEST_DAYS} days, by skill",
        ["skill", "open requests"],
        [
            [skill_names.get(s, UNKNOWN), c]
            for s, c in sorted(skill_cells.items(), key=lambda kv: (kv[1].suppressed, -kv[1].value))
        ],
        note="A request naming several skills is counted under each.",
    )
    kinds = Dataset(
        "stale_by_kind",
        f"Requests open longer than {STALE_REQUEST_DAYS} days, "
        "by the author's kind of organisation",
        ["kind of organisation", "open requests"],
        [[kind_label(k), c] for k, c in ordered_kinds] + [["All", kind_total]],
    )
    return skills, kinds


# Balance health -----------------------------------------------------------------------------------

BUCKETS: list[tuple[str, int | None, int | None]] = [
    ("below \u22125 hours", None, -300),
    ("\u22125 to 0 hours", -300, 0),
    ("0 to 2 hours", 0, 120),
    ("2 to 5 hours", 120, 300),
    ("5 to 10 hours", 300, 600),
    ("10 to 20 hours", 600, 1200),
    ("20 hours or more", 1200, None),
]


def _bucket_q(low: int | None, high: int | None) -> Q:
    q = Q()
    if low is not None:
        q &= Q(balance__gte=low)
    if high is not None:
        q &= Q(balance__lt=high)
    return q


def near_lower_at() -> int:
    return limits.lower_limit() + limits.warning_margin()


def near_upper_at() -> int:
    return limits.upper_limit() - limits.warning_margin()


def member_count_expressions(now: datetime) -> dict[str, Count]:
    """Every count of members on the page, as aggregates over ``MemberFact`` (also what
    the refresh keeps per kind and place in ``MemberCount``)."""
    return {
        "members": Count("pk"),
        "active": Count("pk", filter=Q(last_active_at__gte=now - timedelta(days=ACTIVE_DAYS))),
        "both": Count("pk", filter=Q(given_count__gt=0, received_count__gt=0)),
        "either": Count("pk", filter=Q(given_count__gt=0) | Q(received_count__gt=0)),
        "only_give": Count("pk", filter=Q(given_count__gt=0, received_count=0)),
        "only_receive": Count("pk", filter=Q(given_count=0, received_count__gt=0)),
        "near_lower": Count("pk", filter=Q(balance__lte=near_lower_at())),
        "near_upper": Count("pk", filter=Q(balance__gte=near_upper_at())),
        **{
            f"b{i}": Count("pk", filter=_bucket_q(low, high))
            for i, (_, low, high) in enumerate(BUCKETS)
        },
    }


def _member_figures(filters: Filters, now: datetime, *, summary: bool = False) -> dict[str, int]:
    """Every count of members on the page: sums of the refresh's ``MemberCount`` rows, or
    (before a refresh has built them, or after the ledger's limits changed) one pass over
    ``MemberFact``."""
    expressions = member_count_expressions(now)
    rows = list(MemberCount.objects.filter(_member_q(filters))) if summary else []
    lower, upper = near_lower_at(), near_upper_at()
    if not summary or any(r.near_lower_at != lower or r.near_upper_at != upper for r in rows):
        return MemberFact.objects.filter(_member_q(filters)).aggregate(**expressions)
    figures = {name: sum(getattr(r, name) for r in rows) for name in expressions}
    # "Active" was counted from the refresh's time: move its edge to now, counting the
    # members whose last exchange lies between the two edges (a few minutes' worth).
    edge = now - timedelta(days=ACTIVE_DAYS)
    for since in {r.active_since for r in rows}:
        if since == edge:
            continue
        between = MemberFact.objects.filter(
            _member_q(filters),
            last_active_at__gte=min(since, edge),
            last_active_at__lt=max(since, edge),
        ).count()
        # Per refresh all rows share one edge; several would be a refresh in progress.
        figures["active"] += between if edge < since else -between
    return figures


def _balances(figures: dict[str, int], *, suppress: bool) -> tuple[list[Bar], Dataset, Dataset]:
    margin = limits.warning_margin()
    cells = [Cell(figures[f"b{i}"], figures[f"b{i}"]) for i in range(len(BUCKETS))]
    total = Cell(figures["members"], figures["members"])
    suppress_list(cells, total, apply=suppress)
    bars = [Bar(label, cell) for (label, _, _), cell in zip(BUCKETS, cells, strict=True)]
    histogram = Dataset(
        "balances",
        "Members by balance",
        ["balance", "members"],
        [[label, cell] for (label, _, _), cell in zip(BUCKETS, cells, strict=True)]
        + [["All members", total]],
    )
    groups = [
        Cell(figures["only_give"], figures["only_give"]),
        Cell(figures["only_receive"], figures["only_receive"]),
        Cell(figures["near_lower"], figures["near_lower"]),
        Cell(figures["near_upper"], figures["near_upper"]),
    ]
    primary(groups, apply=suppress)
    health = Dataset(
        "balance_groups",
        "Members to nudge",
        ["group", "members"],
        [
            ["have only given, never received", groups[0]],
            ["have only received, never given", groups[1]],
            [f"within {margin // 60} hours of the lowest balance allowed", groups[2]],
            [f"within {margin // 60} hours of the most credit allowed", groups[3]],
        ],
    )
    return bars, histogram, health


# Dates --------------------------------------------------------------------------------


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _months_between(first: date, last: date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month


def _month_end(first: date) -> date:
    return _add_months(first, 1) - timedelta(days=1)
