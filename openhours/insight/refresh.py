"""Building the insight tables: a full rebuild, or an incremental refresh since the watermark.

The one write path for ``insight``'s tables (``manage.py refresh_insight`` calls it). One
transaction per run, so the dashboard sees either the old figures or the new ones.

Incremental refresh, in order:

1. **Members** are diffed in full: one grouped query gives every approved, active member's
   organisation (the first by id), profession and ledger balance; rows whose values changed
   are written. About a second at 100,000 members. A member whose organisation, kind,
   place or profession changed has their facts re-derived below.
2. **Exchanges** changed since the watermark (``updated_at``, minus an overlap for
   transactions that committed late) are re-derived: deleted from ``ExchangeFact`` and,
   if confirmed, inserted again by one ``INSERT … SELECT`` joining ``MemberFact``. So are
   the attendances of group sessions settled since then: each attendee who paid is one
   fact, from the giver to them, of the session's length (docs/insight.md), keyed by
   minus the attendance's id.
3. **Monthly aggregates** (``OrgFlow``, ``ProfessionFlow``) are recomputed for the cells
   (month and pair of organisations or professions) those facts fell in before or fall in
   now, by group-bys over just those cells' facts.
4. **Members' counters** (given, received, last active) are recomputed for the parties of
   those facts.
5. **Posts** created, updated or closed since the watermark, answered by a changed exchange
   or written by a member who moved, are re-derived, and ``SkillMonth`` is rebuilt for
   their months.
6. **Boundary spanners** (betweenness) are recomputed when facts changed and the last
   computation is older than ``OPENHOURS_INSIGHT_SPANNERS_EVERY_MINUTES`` (default 60).

``rebuild=True`` empties every table and does all of it from scratch. Running the refresh
twice in a row changes nothing the second time; a test checks that an incremental refresh
leaves exactly what a rebuild would.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Max, Min, Model, Q, QuerySet, Sum
from django.utils import timezone

from openhours.accounts.models import Approval, User
from openhours.exchanges.models import Exchange, State
from openhours.group_sessions.models import Attendance, GroupSession, SessionStatus
from openhours.ledger.models import Account
from openhours.organisations.models import Organisation, OrganisationKind, Place
from openhours.posts.models import Post

from . import network, selectors, windows
from .models import (
    ExchangeFact,
    MemberCount,
    MemberFact,
    MonthFlow,
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
    split_ids,
)
from .privacy import MIN_PEOPLE

# Transactions that stamped updated_at before the last run started but committed after it
# are caught by looking back this far; re-deriving an exchange twice is harmless.
OVERLAP = timedelta(minutes=10)
CHUNK = 500
# Betweenness is exact up to this many members in the network, else sampled (docs/insight.md).
EXACT_BETWEENNESS_UP_TO = 3000
SAMPLED_SOURCES = 64
SPANNER_WINDOW_DAYS = 365

Progress = Callable[[str], None]


def _quiet(_message: str) -> None:
    return None


@dataclass
class RefreshResult:
    rebuild: bool
    members_changed: int = 0
    exchanges_changed: int = 0
    cells_recomputed: int = 0
    posts_changed: int = 0
    spanners: bool = False
    seconds: float = 0.0
    steps: dict[str, float] = field(default_factory=dict)


def refresh(
    *, rebuild: bool = False, now: datetime | None = None, progress: Progress = _quiet
) -> RefreshResult:
    """Bring the insight tables up to date (see the module docstring)."""
    now = now or timezone.now()
    started = time.perf_counter()
    result = RefreshResult(rebuild=rebuild)

    def step(name: str, began: float) -> None:
        result.steps[name] = time.perf_counter() - began
        progress(f"  {name}: {result.steps[name]:.2f}s")

    with transaction.atomic():
        state = RefreshState.objects.select_for_update().first()
        if state is None:
            state = RefreshState.objects.create()
            state = RefreshState.objects.select_for_update().get(pk=state.pk)
        full = rebuild or state.exchanges_seen_until is None
        result.rebuild = full
        if full and connection.vendor == "postgresql":
            # Room for the rebuild's sorts (COUNT DISTINCT) in memory, for this transaction.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL work_mem = '256MB'")
        since: datetime | None = None
        if not full and state.exchanges_seen_until is not None:
            since = state.exchanges_seen_until - OVERLAP

        began = time.perf_counter()
        moved_members = _refresh_members(full=full)
        result.members_changed = len(moved_members)
        step("members", began)

        began = time.perf_counter()
        touched = Touched()
        if full:
            _rebuild_facts()
        else:
            assert since is not None
            touched = _refresh_facts(since, moved_members)
            result.exchanges_changed = touched.exchanges
        step("exchange facts", began)

        began = time.perf_counter()
        changed_months: set[date] | None = None
        if full:
            _rebuild_flows()
        else:
            result.cells_recomputed, changed_months = _refresh_flow_cells(touched)
        step("monthly flows", began)

        began = time.perf_counter()
        if not full:
            _refresh_counters(touched.users)
        step("member counters", began)

        began = time.perf_counter()
        # Every window moves on with the month; otherwise only those holding a change do.
        windows_moved = full or state.windows_month != timezone.localdate(now).replace(day=1)
        _refresh_summaries(state, now, changed_months)
        step("windows and summaries", began)

        began = time.perf_counter()
        result.posts_changed, post_months = _refresh_posts(
            since=since, state=state, exchange_posts=touched.posts, moved=moved_members
        )
        assert state.windows_month is not None
        _refresh_skill_windows(state.windows_month, None if windows_moved else post_months)
        _refresh_request_windows(state.windows_month)
        _refresh_stale_requests(state, now)
        step("posts and skills", began)

        began = time.perf_counter()
        every = timedelta(minutes=settings.OPENHOURS_INSIGHT_SPANNERS_EVERY_MINUTES)
        due = state.spanners_at is None or now - state.spanners_at >= every
        if full or (due and (result.exchanges_changed or result.members_changed)):
            state.spanners_exact = _refresh_spanners(now)
            state.spanners_at = now
            result.spanners = True
        step("boundary spanners", began)

        state.exchanges_seen_until = now
        state.posts_seen_until = now
        state.last_run_at = now
        if full:
            state.last_rebuild_at = now
        result.seconds = time.perf_counter() - started
        state.last_duration_ms = int(result.seconds * 1000)
        state.save()
    return result


# Members -----------------------------------------------------------------------------------

MemberRow = tuple[int, str, int, int, int]  # organisation, kind, place, profession, balance


def _current_members() -> dict[int, MemberRow]:
    organisations = {
        pk: (kind, place or 0)
        for pk, kind, place in Organisation.objects.values_list("pk", "kind", "place_id")
    }
    balances = dict(Account.objects.filter(owner__isnull=False).values_list("owner_id", "balance"))
    rows: dict[int, MemberRow] = {}
    members = (
        User.objects.filter(is_active=True, approval=Approval.APPROVED)
        .values_list("pk", "profile__profession_id")
        .annotate(first_org=Min("profile__organisations"))
        .order_by()
    )
    for pk, profession, first_org in members:
        kind, place = organisations.get(first_org, ("", 0)) if first_org else ("", 0)
        rows[pk] = (first_org or 0, kind, place, profession or 0, int(balances.get(pk, 0)))
    return rows


def _refresh_members(*, full: bool) -> set[int]:
    """Write members' dimensions and balances; return those whose dimensions changed."""
    current = _current_members()
    if full:
        _empty(MemberFact)
        given = _counters_from_exchanges("giver_id")
        received = _counters_from_exchanges("receiver_id")
        MemberFact.objects.bulk_create(
            (_member(pk, row, given.get(pk), received.get(pk)) for pk, row in current.items()),
            batch_size=2000,
        )
        return set()
    stored = {
        m[0]: m[1:]
        for m in MemberFact.objects.values_list(
            "user_id", "organisation_id", "org_kind", "place_id", "profession_id", "balance"
        )
    }
    moved: set[int] = set()
    new: list[MemberFact] = []
    changed: list[MemberFact] = []
    for pk, row in current.items():
        old = stored.get(pk)
        if old is None:
            new.append(_member(pk, row, None, None))
            moved.add(pk)
        elif old != row:
            if old[:4] != row[:4]:
                moved.add(pk)
            changed.append(
                MemberFact(
                    user_id=pk,
                    organisation_id=row[0],
                    org_kind=row[1],
                    place_id=row[2],
                    profession_id=row[3],
                    balance=row[4],
                )
            )
    gone = set(stored) - set(current)
    if gone:
        moved |= gone
        for chunk in _chunks(sorted(gone)):
            MemberFact.objects.filter(user_id__in=chunk).delete()
    MemberFact.objects.bulk_create(new, batch_size=2000)
    _update_rows(
        MemberFact,
        ["organisation_id", "org_kind", "place_id", "profession_id", "balance"],
        [
            (m.organisation_id, m.org_kind, m.place_id, m.profession_id, m.balance, m.user_id)
            for m in changed
        ],
    )
    # A new member may already have exchanges (approved after being recorded offline).
    return moved


Counter = tuple[int, int, datetime | None]


def _member(pk: int, row: MemberRow, given: Counter | None, received: Counter | None) -> MemberFact:
    g = given or (0, 0, None)
    r = received or (0, 0, None)
    last = max((d for d in (g[2], r[2]) if d is not None), default=None)
    return MemberFact(
        user_id=pk,
        organisation_id=row[0],
        org_kind=row[1],
        place_id=row[2],
        profession_id=row[3],
        balance=row[4],
        given_count=g[0],
        minutes_given=g[1],
        received_count=r[0],
        minutes_received=r[1],
        last_active_at=last,
    )


def _counters_from_exchanges(side: str) -> dict[int, Counter]:
    """Given (``giver_id``) or received (``receiver_id``): confirmed exchanges and paid
    attendances of settled group sessions, as ``ExchangeFact`` counts them."""
    rows = (
        Exchange.objects.filter(state=State.CONFIRMED)
        .values_list(side)
        .annotate(n=Count("pk"), m=Sum("minutes"), last=Max("confirmed_at"))
        .order_by()
    )
    counters = {pk: (n, m or 0, last) for pk, n, m, last in rows}
    attendance_side = "session__giver_id" if side == "giver_id" else "member_id"
    for pk, n, m, last in (
        _paid_attendances()
        .values_list(attendance_side)
        .annotate(
            n=Count("pk"), m=Sum("session__delivered_minutes"), last=Max("session__finished_at")
        )
        .order_by()
    ):
        old = counters.get(pk, (0, 0, None))
        latest = max((d for d in (old[2], last) if d is not None), default=None)
        counters[pk] = (old[0] + n, old[1] + (m or 0), latest)
    return counters


def _paid_attendances() -> QuerySet[Attendance]:
    """Attendances counted as exchanges: members who paid for a settled session."""
    return Attendance.objects.filter(session__status=SessionStatus.SETTLED, charged=True)


def _refresh_counters(users: set[int]) -> None:
    members = (
        {m.user_id: m for m in MemberFact.objects.filter(user_id__in=users)}
        if len(users) <= CHUNK
        else {
            m.user_id: m
            for chunk in _chunks(sorted(users))
            for m in MemberFact.objects.filter(user_id__in=chunk)
        }
    )
    given: dict[int, Counter] = {}
    received: dict[int, Counter] = {}
    for chunk in _chunks(sorted(members)):
        for side, into in (("giver_id", given), ("receiver_id", received)):
            rows = (
                ExchangeFact.objects.filter(**{f"{side}__in": chunk})
                .values_list(side)
                .annotate(n=Count("pk"), m=Sum("minutes"), last=Max("confirmed_at"))
                .order_by()
            )
            into.update({pk: (n, m or 0, last) for pk, n, m, last in rows})
    for pk, member in members.items():
        fresh = _member(pk, (0, "", 0, 0, 0), given.get(pk), received.get(pk))
        member.given_count = fresh.given_count
        member.minutes_given = fresh.minutes_given
        member.received_count = fresh.received_count
        member.minutes_received = fresh.minutes_received
        member.last_active_at = fresh.last_active_at
    _update_rows(
        MemberFact,
        ["given_count", "minutes_given", "received_count", "minutes_received", "last_active_at"],
        [
            (
                m.given_count,
                m.minutes_given,
                m.received_count,
                m.minutes_received,
                m.last_active_at,
                m.user_id,
            )
            for m in members.values()
        ],
    )


def _update_rows(model: type[MemberFact], fields: list[str], rows: list[tuple[Any, ...]]) -> None:
    """One prepared UPDATE by primary key, executed for every row (the last value is the key).

    Several times faster than ``bulk_update``'s CASE expressions for thousands of rows.
    """
    if not rows:
        return
    table = model._meta.db_table
    assignments = ", ".join(f"{f} = %s" for f in fields)
    key = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET {assignments} WHERE {key} = %s",  # noqa: S608
            rows,
        )


# Exchange facts ----------------------------------------------------------------------------


def _month_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', {column} AT TIME ZONE 'UTC') AS date)"
    return f"date({column}, 'start of month')"


def _insert_facts(exchange_ids: Sequence[int] | None) -> None:
    """Derive facts for these confirmed exchanges (all when None) in one statement each."""
    fact = ExchangeFact._meta.db_table
    member = MemberFact._meta.db_table
    exchange = Exchange._meta.db_table
    sql = f"""
        INSERT INTO {fact} (exchange_id, confirmed_at, month, minutes, post_id, giver_id,
            receiver_id, giver_org, receiver_org, giver_kind, receiver_kind, giver_place,
            receiver_place, giver_profession, receiver_profession, crosses_org,
            crosses_profession)
        SELECT e.id, e.confirmed_at, {_month_sql("e.confirmed_at")}, e.minutes,
            COALESCE(e.post_id, 0), e.giver_id, e.receiver_id,
            COALESCE(g.organisation_id, 0), COALESCE(r.organisation_id, 0),
            COALESCE(g.org_kind, ''), COALESCE(r.org_kind, ''),
            COALESCE(g.place_id, 0), COALESCE(r.place_id, 0),
            COALESCE(g.profession_id, 0), COALESCE(r.profession_id, 0),
            CASE WHEN g.organisation_id > 0 AND r.organisation_id > 0
                 AND g.organisation_id <> r.organisation_id THEN 1=1 ELSE 1=0 END,
            CASE WHEN g.profession_id > 0 AND r.profession_id > 0
                 AND g.profession_id <> r.profession_id THEN 1=1 ELSE 1=0 END
        FROM {exchange} e
        LEFT JOIN {member} g ON g.user_id = e.giver_id
        LEFT JOIN {member} r ON r.user_id = e.receiver_id
        WHERE e.state = %s"""  # noqa: S608 (table names from models; values are parameters)
    with connection.cursor() as cursor:
        if exchange_ids is None:
            cursor.execute(sql, [State.CONFIRMED.value])
            return
        for chunk in _chunks(exchange_ids):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"{sql} AND e.id IN ({marks})", [State.CONFIRMED.value, *chunk])


def _insert_session_facts(attendance_ids: Sequence[int] | None) -> None:
    """Facts for paid attendances of settled group sessions (all when None): one per
    attendee, from the giver, of the session's length, at settlement; keyed by minus the
    attendance's id so they never meet an exchange's."""
    fact = ExchangeFact._meta.db_table
    member = MemberFact._meta.db_table
    attendance = Attendance._meta.db_table
    session = GroupSession._meta.db_table
    sql = f"""
        INSERT INTO {fact} (exchange_id, confirmed_at, month, minutes, post_id, giver_id,
            receiver_id, giver_org, receiver_org, giver_kind, receiver_kind, giver_place,
            receiver_place, giver_profession, receiver_profession, crosses_org,
            crosses_profession)
        SELECT -a.id, s.finished_at, {_month_sql("s.finished_at")}, s.delivered_minutes,
            COALESCE(s.offer_id, 0), s.giver_id, a.member_id,
            COALESCE(g.organisation_id, 0), COALESCE(r.organisation_id, 0),
            COALESCE(g.org_kind, ''), COALESCE(r.org_kind, ''),
            COALESCE(g.place_id, 0), COALESCE(r.place_id, 0),
            COALESCE(g.profession_id, 0), COALESCE(r.profession_id, 0),
            CASE WHEN g.organisation_id > 0 AND r.organisation_id > 0
                 AND g.organisation_id <> r.organisation_id THEN 1=1 ELSE 1=0 END,
            CASE WHEN g.profession_id > 0 AND r.profession_id > 0
                 AND g.profession_id <> r.profession_id THEN 1=1 ELSE 1=0 END
        FROM {attendance} a
        JOIN {session} s ON s.id = a.session_id
        LEFT JOIN {member} g ON g.user_id = s.giver_id
        LEFT JOIN {member} r ON r.user_id = a.member_id
        WHERE s.status = %s AND a.charged"""  # noqa: S608 (names from models; values are parameters)
    with connection.cursor() as cursor:
        if attendance_ids is None:
            cursor.execute(sql, [SessionStatus.SETTLED.value])
            return
        for chunk in _chunks(attendance_ids):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"{sql} AND a.id IN ({marks})", [SessionStatus.SETTLED.value, *chunk])


def _rebuild_facts() -> None:
    """Every fact again. On PostgreSQL the indexes are dropped for the load and built after
    it (inside the same transaction), several times faster than row-by-row upkeep. SQLite's
    schema editor can't run inside a transaction, and a pilot's data is small."""
    _empty(ExchangeFact)
    if connection.vendor != "postgresql":
        _insert_facts(None)
        _insert_session_facts(None)
        return
    with connection.schema_editor(atomic=False) as editor:
        for index in ExchangeFact._meta.indexes:
            editor.remove_index(ExchangeFact, index)
    _insert_facts(None)
    _insert_session_facts(None)
    with connection.schema_editor(atomic=False) as editor:
        for index in ExchangeFact._meta.indexes:
            editor.add_index(ExchangeFact, index)


def _empty(model: type[Model]) -> None:
    """Empty one of insight's own tables (TRUNCATE on PostgreSQL: no row-by-row delete)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {table}")
        else:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (a model's table name)


@dataclass
class Touched:
    """What re-deriving some facts touched: aggregate cells, members and posts."""

    org_cells: set[tuple[date, int, int]] = field(default_factory=set)
    profession_cells: set[tuple[date, int, int]] = field(default_factory=set)
    users: set[int] = field(default_factory=set)
    posts: set[int] = field(default_factory=set)
    exchanges: int = 0

    def add(self, row: tuple[Any, ...]) -> None:
        month, giver, receiver, post, giver_org, receiver_org, giver_prof, receiver_prof = row
        self.org_cells.add((month, giver_org, receiver_org))
        self.profession_cells.add((month, giver_prof, receiver_prof))
        self.users.update((giver, receiver))
        self.posts.add(post)


FACT_ROW = (
    "month",
    "giver_id",
    "receiver_id",
    "post_id",
    "giver_org",
    "receiver_org",
    "giver_profession",
    "receiver_profession",
)


def _refresh_facts(since: datetime, moved_members: set[int]) -> Touched:
    """Re-derive the exchanges changed since the watermark and those of members who moved.

    Fact keys: an exchange's id, or minus a group-session attendance's id."""
    changed = set(
        Exchange.objects.filter(updated_at__gte=since).values_list("pk", flat=True).order_by()
    )
    # Settlement is final: a session's attendances change no more once it has finished.
    changed.update(
        -pk
        for pk in Attendance.objects.filter(session__finished_at__gte=since)
        .values_list("pk", flat=True)
        .order_by()
    )
    for chunk in _chunks(sorted(moved_members)):
        changed.update(
            ExchangeFact.objects.filter(
                Q(giver_id__in=chunk) | Q(receiver_id__in=chunk)
            ).values_list("exchange_id", flat=True)
        )
        # A member who just (re)appeared may have confirmed exchanges with no dimensions yet.
        changed.update(
            Exchange.objects.filter(state=State.CONFIRMED)
            .filter(Q(giver_id__in=chunk) | Q(receiver_id__in=chunk))
            .values_list("pk", flat=True)
            .order_by()
        )
        changed.update(
            -pk
            for pk in _paid_attendances()
            .filter(Q(session__giver_id__in=chunk) | Q(member_id__in=chunk))
            .values_list("pk", flat=True)
            .order_by()
        )
    touched = Touched(users=set(moved_members), exchanges=len(changed))
    ids = sorted(changed)
    for chunk in _chunks(ids):
        old = ExchangeFact.objects.filter(exchange_id__in=chunk)
        for row in old.values_list(*FACT_ROW):
            touched.add(row)
        old.delete()
    _insert_facts([pk for pk in ids if pk > 0])
    _insert_session_facts(sorted(-pk for pk in ids if pk < 0))
    for chunk in _chunks(ids):
        for row in ExchangeFact.objects.filter(exchange_id__in=chunk).values_list(*FACT_ROW):
            touched.add(row)
        touched.posts.update(
            Exchange.objects.filter(pk__in=chunk, post__isnull=False).values_list(
                "post_id", flat=True
            )
        )
    touched.posts.discard(0)
    return touched


ORG_KEYS = [
    "giver_org",
    "receiver_org",
    "giver_kind",
    "receiver_kind",
    "giver_place",
    "receiver_place",
]
ORG_EXTRA = {
    "cross_org": "SUM(CASE WHEN crosses_org THEN 1 ELSE 0 END)",
    "cross_profession": "SUM(CASE WHEN crosses_profession THEN 1 ELSE 0 END)",
}
CELLS = "insight_refresh_cells"


def _rebuild_flows() -> None:
    """Every monthly aggregate, from scratch."""
    _empty(OrgFlow)
    _empty(ProfessionFlow)
    _aggregate(OrgFlow, ORG_KEYS, extra=ORG_EXTRA, where="1=1")
    _aggregate_professions(where="1=1")


def _refresh_flow_cells(touched: Touched) -> tuple[int, set[date]]:
    """Recompute only the aggregate cells (month and pair) whose facts changed; return how
    many cells were recomputed and the months in which any row came out different.

    The cells go into a temporary table; each aggregate deletes its rows for those cells
    and regroups the facts of those cells alone (indexes ``insight_fact_month_orgs`` and
    ``insight_fact_month_professions``), so a refresh costs what changed, not a month.
    Facts re-derived unchanged (the overlap's, every run) change no month, so the windows
    summed from these rows are left alone.
    """
    if not touched.org_cells and not touched.profession_cells:
        return 0, set()
    fact = ExchangeFact._meta.db_table
    flows = (
        (OrgFlow, 0, "giver_org", "receiver_org"),
        (ProfessionFlow, 1, "giver_profession", "receiver_profession"),
    )
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {CELLS}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {CELLS} (side integer, month date, a integer, b integer)"
        )
        cursor.executemany(
            f"INSERT INTO {CELLS} (side, month, a, b) VALUES (%s, %s, %s, %s)",  # noqa: S608
            [(0, *cell) for cell in touched.org_cells]
            + [(1, *cell) for cell in touched.profession_cells],
        )
        before = _cell_rows(cursor, flows)
        for model, side, a, b in flows:
            table = model._meta.db_table
            cursor.execute(
                # Names from the models and constants; no values are interpolated.
                f"DELETE FROM {table} WHERE EXISTS (SELECT 1 FROM {CELLS} c "  # noqa: S608
                f"WHERE c.side = {side} AND c.month = {table}.month "
                f"AND c.a = {table}.{a} AND c.b = {table}.{b})"
            )
    in_cells = (
        f"EXISTS (SELECT 1 FROM {CELLS} c WHERE c.side = {{side}} "  # noqa: S608
        f"AND c.month = {fact}.month "
        f"AND c.a = {fact}.{{a}} AND c.b = {fact}.{{b}})"
    )
    _aggregate(
        OrgFlow,
        ORG_KEYS,
        extra=ORG_EXTRA,
        where=in_cells.format(side=0, a="giver_org", b="receiver_org"),
    )
    _aggregate_professions(
        where=in_cells.format(side=1, a="giver_profession", b="receiver_profession")
    )
    with connection.cursor() as cursor:
        after = _cell_rows(cursor, flows)
        cursor.execute(f"DROP TABLE {CELLS}")
    # The month is each row's second value, after the table's name.
    changed = {row[1] for row in before ^ after}
    return len(touched.org_cells) + len(touched.profession_cells), {
        _as_date(month) for month in changed
    }


def _cell_rows(
    cursor: Any, flows: tuple[tuple[type[Model], int, str, str], ...]
) -> set[tuple[Any, ...]]:
    """Every row of the aggregates in the cells of the temporary table, to compare."""
    rows: set[tuple[Any, ...]] = set()
    for model, side, a, b in flows:
        table = model._meta.db_table
        columns = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
        assert columns[0] == "month"
        cursor.execute(
            # Names from the models and constants; no values are interpolated.
            f"SELECT {', '.join(columns)} FROM {table} WHERE EXISTS "  # noqa: S608
            f"(SELECT 1 FROM {CELLS} c WHERE c.side = {side} AND c.month = {table}.month "
            f"AND c.a = {table}.{a} AND c.b = {table}.{b})"
        )
        rows.update((table, *row) for row in cursor.fetchall())
    return rows


def _as_date(value: date | str) -> date:
    # SQLite returns dates from raw SQL as ISO text.
    return value if isinstance(value, date) else date.fromisoformat(value)


# Each scope a page can ask for, and which side of an exchange puts it there. The receiver's
# side is skipped when it names the same scope as the giver's, so nothing counts twice.
SCOPES = [
    ("0", "''", "1=1"),
    ("giver_place", "''", "giver_place > 0"),
    ("receiver_place", "''", "receiver_place > 0 AND receiver_place <> giver_place"),
    ("0", "giver_kind", "giver_kind <> ''"),
    ("0", "receiver_kind", "receiver_kind <> '' AND receiver_kind <> giver_kind"),
    ("giver_place", "giver_kind", "giver_place > 0 AND giver_kind <> ''"),
    (
        "receiver_place",
        "receiver_kind",
        "receiver_place > 0 AND receiver_kind <> '' "
        "AND (receiver_place <> giver_place OR receiver_kind <> giver_kind)",
    ),
]


def _aggregate_professions(*, where: str) -> None:
    fact = ExchangeFact._meta.db_table
    sides = " UNION ALL ".join(
        # Fixed text from SCOPES and the models; values are parameters.
        f"SELECT month, {place} AS scope_place, {kind} AS scope_kind, "  # noqa: S608
        f"giver_profession, receiver_profession, minutes, giver_id, receiver_id "
        f"FROM {fact} WHERE {condition} AND {where}"
        for place, kind, condition in SCOPES
    )
    sql = (
        f"INSERT INTO {ProfessionFlow._meta.db_table} (month, scope_place, scope_kind, "  # noqa: S608
        "giver_profession, receiver_profession, exchanges, minutes, givers, receivers) "
        "SELECT month, scope_place, scope_kind, giver_profession, receiver_profession, "
        "COUNT(*), SUM(minutes), COUNT(DISTINCT giver_id), COUNT(DISTINCT receiver_id) "
        f"FROM ({sides}) scoped "
        "GROUP BY month, scope_place, scope_kind, giver_profession, receiver_profession"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)


def _aggregate(model: type[OrgFlow], keys: list[str], *, extra: dict[str, str], where: str) -> None:
    fact = ExchangeFact._meta.db_table
    columns = ["month", *keys]
    targets = [*columns, "exchanges", "minutes", *extra, "givers", "receivers"]
    expressions = [
        *columns,
        "COUNT(*)",
        "SUM(minutes)",
        *extra.values(),
        "COUNT(DISTINCT giver_id)",
        "COUNT(DISTINCT receiver_id)",
    ]
    # Table and column names come from the models; values are parameters.
    sql = (
        f"INSERT INTO {model._meta.db_table} ({', '.join(targets)}) "  # noqa: S608
        f"SELECT {', '.join(expressions)} FROM {fact} WHERE {where} "
        f"GROUP BY {', '.join(columns)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)


# Windows and summaries -------------------------------------------------------------------


def _refresh_summaries(state: RefreshState, now: datetime, months: set[date] | None) -> None:
    """What a page would otherwise group from many rows: ``OrgFlowWindow`` for the standard
    windows, ``MonthFlow`` per month and scope, ``MemberCount`` per kind and place.

    ``months`` are the months whose ``OrgFlow`` cells changed (None: all of them). Windows
    are rebuilt when the current month moved on, else only those containing a changed
    month; ``MemberCount`` is a few dozen rows, counted afresh every time.
    """
    month = timezone.localdate(now).replace(day=1)
    wanted, before = windows.current(month), windows.previous(month)
    if months is None or state.windows_month != month:
        _empty(OrgFlowWindow)
        _empty(OrgBetweenness)
        _empty(ProfessionFlowWindow)
        _empty(SiloWindow)
    else:
        wanted = [(a, b) for a, b in wanted if any(a <= m <= b for m in months)]
        before = [(a, b) for a, b in before if any(a <= m <= b for m in months)]
        for first, last in wanted:
            OrgFlowWindow.objects.filter(first_month=first, last_month=last).delete()
            OrgBetweenness.objects.filter(first_month=first, last_month=last).delete()
            ProfessionFlowWindow.objects.filter(first_month=first, last_month=last).delete()
        for first, last in before:
            SiloWindow.objects.filter(first_month=first, last_month=last).delete()
    _aggregate_windows(wanted)
    _aggregate_profession_windows(wanted)
    _aggregate_silo_windows(before)
    for first, last in wanted:
        pairs = OrgFlowWindow.objects.filter(first_month=first, last_month=last).values_list(
            "giver_org", "receiver_org"
        )
        scores, _exact = network.betweenness(selectors.organisation_edges(pairs))
        OrgBetweenness.objects.bulk_create(
            OrgBetweenness(first_month=first, last_month=last, organisation_id=pk, score=score)
            for pk, score in scores.items()
        )
    state.windows_month = month

    if months is None:
        _empty(MonthFlow)
        _aggregate_months(None)
    elif months:
        MonthFlow.objects.filter(month__in=sorted(months)).delete()
        _aggregate_months(sorted(months))

    _empty(MemberCount)
    counted = (
        MemberFact.objects.values_list("org_kind", "place_id")
        .annotate(**selectors.member_count_expressions(now))
        .order_by()
    )
    names = list(selectors.member_count_expressions(now))
    MemberCount.objects.bulk_create(
        MemberCount(
            org_kind=kind,
            place_id=place,
            active_since=now - timedelta(days=selectors.ACTIVE_DAYS),
            near_lower_at=selectors.near_lower_at(),
            near_upper_at=selectors.near_upper_at(),
            **dict(zip(names, figures, strict=True)),
        )
        for kind, place, *figures in counted
    )


def _date_param(day: date) -> date | str:
    # psycopg sends a date as a typed literal; SQLite keeps dates as ISO text.
    return day if connection.vendor == "postgresql" else day.isoformat()


def _aggregate_windows(wanted: list[tuple[date, date]]) -> None:
    _sum_over_windows(
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
    _sum_over_windows(
        wanted,
        ProfessionFlow,
        ProfessionFlowWindow,
        keys=["scope_place", "scope_kind", "giver_profession", "receiver_profession"],
        totals={"exchanges": "SUM", "minutes": "SUM", "givers": "MAX", "receivers": "MAX"},
    )


def _aggregate_silo_windows(wanted: list[tuple[date, date]]) -> None:
    """``SiloWindow`` for ``wanted`` (the periods before the current windows) from the
    monthly rows: organisations in every scope (a pair counts in the scopes of its giver
    and of its receiver, once each, as ``MonthFlow``), professions in their own scopes. A
    pair inside one group is internal to it; a pair across is external to both. The
    counts add up over months, so no pair needs summing first."""
    if not wanted:
        return
    spans = " UNION ALL ".join(["SELECT %s AS first_month, %s AS last_month"] * len(wanted))
    params = [_date_param(day) for span in wanted for day in span]
    joined = f"JOIN ({spans}) w ON f.month >= w.first_month AND f.month <= w.last_month"
    known = "f.exchanges > 0 AND f.{g} <> 0 AND f.{r} <> 0"
    organisations = " UNION ALL ".join(
        # Fixed text from SCOPES and the models; values are parameters.
        f"SELECT w.first_month, w.last_month, {place} AS scope_place, {kind} AS scope_kind, "  # noqa: S608
        f"f.giver_org AS giver, f.receiver_org AS receiver, f.exchanges "
        f"FROM {OrgFlow._meta.db_table} f {joined} "
        f"WHERE {condition} AND {known.format(g='giver_org', r='receiver_org')}"
        for place, kind, condition in SCOPES
    )
    professions = (
        "SELECT w.first_month, w.last_month, f.scope_place, f.scope_kind, "  # noqa: S608
        "f.giver_profession AS giver, f.receiver_profession AS receiver, f.exchanges "
        f"FROM {ProfessionFlow._meta.db_table} f {joined} "
        f"WHERE {known.format(g='giver_profession', r='receiver_profession')}"
    )
    keys = "first_month, last_month, scope_place, scope_kind"
    for what, pairs, times in (
        ("organisation", organisations, len(SCOPES)),
        ("profession", professions, 1),
    ):
        sql = (
            f"INSERT INTO {SiloWindow._meta.db_table} ({keys}, what, group_id, "  # noqa: S608
            f"internal, external) SELECT {keys}, %s, group_id, SUM(internal), SUM(external) "
            f"FROM (SELECT {keys}, giver AS group_id, "
            "CASE WHEN giver = receiver THEN exchanges ELSE 0 END AS internal, "
            "CASE WHEN giver = receiver THEN 0 ELSE exchanges END AS external "
            f"FROM ({pairs}) given UNION ALL SELECT {keys}, receiver, 0, exchanges "
            f"FROM ({pairs}) received WHERE giver <> receiver) sides "
            f"GROUP BY {keys}, group_id"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [what, *params * times, *params * times])


def _sum_over_windows(
    wanted: list[tuple[date, date]],
    source: type[Model],
    target: type[Model],
    *,
    keys: list[str],
    totals: dict[str, str],
) -> None:
    """Insert into `target` the monthly rows of `source` summed over each window of
    `wanted` (first and last month), grouped by `keys`; each of `totals` is taken with its
    SQL aggregate (SUM, or MAX for counts of people and labels), in one statement."""
    if not wanted:
        return
    spans = " UNION ALL ".join(["SELECT %s AS first_month, %s AS last_month"] * len(wanted))
    columns = ", ".join(["first_month", "last_month", *keys, *totals])
    grouped = ", ".join(f"f.{key}" for key in keys)
    summed = ", ".join(f"{how}(f.{column})" for column, how in totals.items())
    sql = (
        f"INSERT INTO {target._meta.db_table} ({columns}) "  # noqa: S608
        f"SELECT w.first_month, w.last_month, {grouped}, {summed} "
        f"FROM {source._meta.db_table} f JOIN ({spans}) w "
        "ON f.month >= w.first_month AND f.month <= w.last_month "
        f"GROUP BY w.first_month, w.last_month, {grouped}"
    )
    params = [_date_param(day) for span in wanted for day in span]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


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
        params = [_date_param(m) for _ in SCOPES for m in months]
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


# Posts -------------------------------------------------------------------------------------


def _refresh_posts(
    *, since: datetime | None, state: RefreshState, exchange_posts: set[int], moved: set[int]
) -> tuple[int, set[date] | None]:
    """Re-derive ``RequestFact`` and ``SkillMonth``; return how many posts were written
    and the months whose skills changed (None: all of them)."""
    posts = Post.objects.all()
    if since is not None:
        changed = set(
            posts.filter(
                Q(pk__gt=state.last_post_id) | Q(updated_at__gte=since) | Q(closed_at__gte=since)
            )
            .values_list("pk", flat=True)
            .order_by()
        )
        changed |= exchange_posts
        for chunk in _chunks(sorted(moved)):
            changed.update(
                posts.filter(author_id__in=chunk).values_list("pk", flat=True).order_by()
            )
        ids: list[int] | None = sorted(changed)
    else:
        ids = None
    months: set[date] = set()
    if ids is None:
        _empty(RequestFact)
        chunks: list[Sequence[int] | None] = [None]
    else:
        for some in _chunks(ids):
            old = RequestFact.objects.filter(post_id__in=some)
            months.update(old.values_list("month", flat=True))
            old.delete()
        chunks = [list(c) for c in _chunks(ids)]
    members = {
        m[0]: m[1:] for m in MemberFact.objects.values_list("user_id", "org_kind", "place_id")
    }
    count = 0
    for wanted in chunks:
        selected = posts if wanted is None else posts.filter(pk__in=wanted)
        answers = Exchange.objects.filter(post__isnull=False)
        if wanted is not None:
            answers = answers.filter(post_id__in=wanted)
        first = dict(answers.values_list("post_id").annotate(first=Min("created_at")).order_by())
        fulfilled = set(
            answers.filter(state=State.CONFIRMED).values_list("post_id", flat=True).order_by()
        )
        skills: dict[int, list[int]] = defaultdict(list)
        through = Post.skills.through.objects.all()
        if wanted is not None:
            through = through.filter(post_id__in=wanted)
        for post_id, skill_id in through.values_list("post_id", "skill_id").order_by("skill_id"):
            skills[post_id].append(skill_id)
        batch: list[RequestFact] = []
        for pk, author, kind, created, status, place in selected.values_list(
            "pk", "author_id", "kind", "created_at", "status", "place_id"
        ).order_by():
            author_kind, author_place = members.get(author, ("", 0))
            month = created.astimezone(UTC).date().replace(day=1)
            months.add(month)
            batch.append(
                RequestFact(
                    post_id=pk,
                    author_id=author,
                    kind=kind,
                    created_at=created,
                    month=month,
                    status=status,
                    org_kind=author_kind,
                    place_id=place or author_place,
                    first_response_at=first.get(pk),
                    response_minutes=_minutes_between(created, first.get(pk)),
                    fulfilled=pk in fulfilled,
                    skill_ids=",".join(map(str, skills.get(pk, []))),
                )
            )
            if len(batch) >= 5000:
                RequestFact.objects.bulk_create(batch)
                count += len(batch)
                batch = []
        RequestFact.objects.bulk_create(batch)
        count += len(batch)
    last = Post.objects.aggregate(last=Max("pk"))["last"]
    state.last_post_id = last or 0
    if ids is None:
        _rebuild_skill_months(None)
        return count, None
    _rebuild_skill_months(months)
    return count, months


def _rebuild_skill_months(months: set[date] | None) -> None:
    if months is not None and not months:
        return
    facts = RequestFact.objects.all()
    if months is None:
        _empty(SkillMonth)
    else:
        SkillMonth.objects.filter(month__in=sorted(months)).delete()
        facts = facts.filter(month__in=sorted(months))
    posts, authors = _posts_and_authors(
        ((month, skill, kind, org_kind, place), author)
        for month, kind, org_kind, place, author, skill_ids in facts.values_list(
            "month", "kind", "org_kind", "place_id", "author_id", "skill_ids"
        ).iterator(chunk_size=5000)
        for skill in split_ids(skill_ids)
    )
    SkillMonth.objects.bulk_create(
        (
            SkillMonth(
                month=k[0],
                skill_id=k[1],
                kind=k[2],
                org_kind=k[3],
                place_id=k[4],
                posts=n,
                people=len(authors[k]),
            )
            for k, n in posts.items()
        ),
        batch_size=2000,
    )


def _posts_and_authors(
    keyed: Iterable[tuple[Hashable, int]],
) -> tuple[dict[Any, int], dict[Any, set[int]]]:
    """Per key, how many posts came with it and their distinct authors, from (key,
    author) for each post and key it counts under."""
    posts: dict[Any, int] = defaultdict(int)
    authors: dict[Any, set[int]] = defaultdict(set)
    for key, author in keyed:
        posts[key] += 1
        authors[key].add(author)
    return posts, authors


def _refresh_skill_windows(month: date, months: set[date] | None) -> None:
    """``SkillWindow`` for the windows ending with ``month``: all of them (None), or those
    holding a month whose ``SkillMonth`` rows changed."""
    wanted = windows.current(month)
    if months is None:
        _empty(SkillWindow)
    else:
        wanted = [(a, b) for a, b in wanted if any(a <= m <= b for m in months)]
        for first, last in wanted:
            SkillWindow.objects.filter(first_month=first, last_month=last).delete()
    _sum_over_windows(
        wanted,
        SkillMonth,
        SkillWindow,
        keys=["skill_id", "kind", "org_kind", "place_id"],
        totals={"posts": "SUM", "people": "MAX"},
    )


def _refresh_request_windows(month: date) -> None:
    """``RequestWindow`` afresh from ``RequestFact``: for each standard window's first month
    and each scope, the figures ``selectors._request_figures`` would compute from the rows
    (a few tens of thousands of requests, counted with numpy)."""
    _empty(RequestWindow)
    firsts = [first for first, _last in windows.current(month)]
    starts = {first: selectors.Filters(start=first, end=first).start_at() for first in firsts}
    rows = list(
        RequestFact.objects.filter(kind="request", created_at__gte=min(starts.values()))
        .values_list(
            "created_at", "place_id", "org_kind", "author_id", "fulfilled", "response_minutes"
        )
        .order_by()
    )
    latest = max((row[0] for row in rows), default=None)
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    step = timedelta(microseconds=1)
    created = np.array([(row[0] - epoch) // step for row in rows], np.int64)
    place = np.array([row[1] for row in rows], np.int64)
    kind = np.array([row[2] for row in rows], object)
    author = np.array([row[3] for row in rows], np.int64)
    fulfilled = np.array([row[4] for row in rows], bool)
    minutes = np.array([-1 if row[5] is None else row[5] for row in rows], np.int64)
    places = [0, *Place.objects.order_by("pk").values_list("pk", flat=True)]
    kinds = ["", *OrganisationKind.values]
    windows_kept = []
    for first, start in starts.items():
        since = created >= (start - epoch) // step
        for scope_place in places:
            in_place = since if not scope_place else since & (place == scope_place)
            for scope_kind in kinds:
                chosen = in_place if not scope_kind else in_place & (kind == scope_kind)
                times = np.sort(minutes[chosen & (minutes >= 0)])
                windows_kept.append(
                    RequestWindow(
                        first_month=first,
                        scope_place=scope_place,
                        scope_kind=scope_kind,
                        requests=int(chosen.sum()),
                        fulfilled=int((chosen & fulfilled).sum()),
                        authors=len(np.unique(author[chosen])),
                        responded=len(times),
                        median_minutes=(
                            int(times[selectors.middle_index(len(times))]) if len(times) else None
                        ),
                        latest=latest,
                    )
                )
    RequestWindow.objects.bulk_create(windows_kept, batch_size=2000)


def _refresh_stale_requests(state: RefreshState, now: datetime) -> None:
    """``StaleRequest`` afresh from ``RequestFact`` (a few thousand open requests)."""
    _empty(StaleRequest)
    edge = now - timedelta(days=selectors.STALE_REQUEST_DAYS)
    # Every place together (None) and the author's place; any skill (0) and each named.
    requests, authors = _posts_and_authors(
        (key, author)
        for author, org_kind, place, skill_ids in (
            RequestFact.objects.filter(selectors.stale_q(edge))
            .values_list("author_id", "org_kind", "place_id", "skill_ids")
            .iterator(chunk_size=5000)
        )
        for skill in (0, *split_ids(skill_ids))
        for key in ((None, org_kind, skill), (place, org_kind, skill))
    )
    StaleRequest.objects.bulk_create(
        (
            StaleRequest(
                place_id=key[0],
                org_kind=key[1],
                skill_id=key[2],
                requests=n,
                authors=len(authors[key]),
                author_ids=(
                    ",".join(map(str, sorted(authors[key])))
                    if len(authors[key]) < MIN_PEOPLE
                    else ""
                ),
            )
            for key, n in requests.items()
        ),
        batch_size=2000,
    )
    state.stale_before = edge


# Boundary spanners -------------------------------------------------------------------------


def _refresh_spanners(now: datetime) -> bool:
    """Betweenness of every member on the last year's exchange network; True when exact."""
    pairs = (
        ExchangeFact.objects.filter(confirmed_at__gte=now - timedelta(days=SPANNER_WINDOW_DAYS))
        .values_list("giver_id", "receiver_id", "giver_org", "receiver_org")
        .distinct()
        .order_by()
    )
    edges: list[tuple[int, int]] = []
    reached: dict[int, set[int]] = defaultdict(set)
    for giver, receiver, giver_org, receiver_org in pairs.iterator(chunk_size=20000):
        edges.append((giver, receiver))
        if receiver_org and receiver_org != giver_org:
            reached[giver].add(receiver_org)
        if giver_org and giver_org != receiver_org:
            reached[receiver].add(giver_org)
    scores, exact = network.betweenness(
        edges, exact_up_to=EXACT_BETWEENNESS_UP_TO, samples=SAMPLED_SOURCES, seed=0
    )
    _empty(SpannerScore)
    SpannerScore.objects.bulk_create(
        (
            SpannerScore(user_id=pk, betweenness=score, organisations_reached=len(reached[pk]))
            for pk, score in scores.items()
            if score > 0
        ),
        batch_size=2000,
    )
    return exact


def _minutes_between(start: datetime, end: datetime | None) -> int | None:
    return None if end is None else max(0, int((end - start).total_seconds() // 60))


def _chunks(items: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]
