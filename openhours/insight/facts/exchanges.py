"""Exchange facts (``ExchangeFact``): one row per confirmed exchange or paid attendance of
a settled group session, with both parties' dimensions from ``MemberFact``.

Refresh steps only: ``rebuild_facts`` (every fact, indexes built after the load on
PostgreSQL) and ``refresh_facts`` (the exchanges changed since the watermark and those of
members who moved), which returns what it ``Touched``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from openhours.exchanges.models import Exchange, State
from openhours.group_sessions.models import Attendance, GroupSession, SessionStatus

from ..models import ExchangeFact, MemberFact
from ..sql import empty_table, in_chunks

# The columns every fact insert fills, and the select expressions that fill the last
# ten from the two parties' member facts (``g`` the giver's, ``r`` the receiver's).
_FACT_COLUMNS = """exchange_id, confirmed_at, month, minutes, post_id, giver_id,
            receiver_id, giver_org, receiver_org, giver_kind, receiver_kind, giver_place,
            receiver_place, giver_profession, receiver_profession, crosses_org,
            crosses_profession"""
_SIDES = """COALESCE(g.organisation_id, 0), COALESCE(r.organisation_id, 0),
            COALESCE(g.org_kind, ''), COALESCE(r.org_kind, ''),
            COALESCE(g.place_id, 0), COALESCE(r.place_id, 0),
            COALESCE(g.profession_id, 0), COALESCE(r.profession_id, 0),
            CASE WHEN g.organisation_id > 0 AND r.organisation_id > 0
                 AND g.organisation_id <> r.organisation_id THEN 1=1 ELSE 1=0 END,
            CASE WHEN g.profession_id > 0 AND r.profession_id > 0
                 AND g.profession_id <> r.profession_id THEN 1=1 ELSE 1=0 END"""


def _month_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', {column} AT TIME ZONE 'UTC') AS date)"
    return f"date({column}, 'start of month')"


def _execute(sql: str, state: str, id_column: str, ids: Sequence[int] | None) -> None:
    """Run an insert whose one parameter is ``state``: once for all rows when ``ids`` is
    None, else once per chunk of ids (``id_column IN (...)``)."""
    with connection.cursor() as cursor:
        if ids is None:
            cursor.execute(sql, [state])
            return
        for chunk in in_chunks(ids):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"{sql} AND {id_column} IN ({marks})", [state, *chunk])


def _insert_facts(exchange_ids: Sequence[int] | None) -> None:
    """Derive facts for these confirmed exchanges (all when None) in one statement each."""
    fact = ExchangeFact._meta.db_table
    member = MemberFact._meta.db_table
    exchange = Exchange._meta.db_table
    sql = f"""
        INSERT INTO {fact} ({_FACT_COLUMNS})
        SELECT e.id, e.confirmed_at, {_month_sql("e.confirmed_at")}, e.minutes,
            COALESCE(e.post_id, 0), e.giver_id, e.receiver_id,
            {_SIDES}
        FROM {exchange} e
        LEFT JOIN {member} g ON g.user_id = e.giver_id
        LEFT JOIN {member} r ON r.user_id = e.receiver_id
        WHERE e.state = %s"""  # noqa: S608 (table names from models; values are parameters)
    _execute(sql, State.CONFIRMED.value, "e.id", exchange_ids)


def _insert_session_facts(attendance_ids: Sequence[int] | None) -> None:
    """Facts for paid attendances of settled group sessions (all when None): one per
    attendee, from the giver, of the session's length, at settlement; keyed by minus the
    attendance's id so they never meet an exchange's."""
    fact = ExchangeFact._meta.db_table
    member = MemberFact._meta.db_table
    attendance = Attendance._meta.db_table
    session = GroupSession._meta.db_table
    sql = f"""
        INSERT INTO {fact} ({_FACT_COLUMNS})
        SELECT -a.id, s.finished_at, {_month_sql("s.finished_at")}, s.delivered_minutes,
            COALESCE(s.offer_id, 0), s.giver_id, a.member_id,
            {_SIDES}
        FROM {attendance} a
        JOIN {session} s ON s.id = a.session_id
        LEFT JOIN {member} g ON g.user_id = s.giver_id
        LEFT JOIN {member} r ON r.user_id = a.member_id
        WHERE s.status = %s AND a.charged"""  # noqa: S608 (names from models; values are parameters)
    _execute(sql, SessionStatus.SETTLED.value, "a.id", attendance_ids)


def rebuild_facts() -> None:
    """Every fact again. On PostgreSQL the indexes are dropped for the load and built after
    it (inside the same transaction), several times faster than row-by-row upkeep. SQLite's
    schema editor can't run inside a transaction, and a pilot's data is small."""
    empty_table(ExchangeFact)
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


def paid_attendances() -> QuerySet[Attendance]:
    """Attendances counted as exchanges: members who paid for a settled session."""
    return Attendance.objects.filter(session__status=SessionStatus.SETTLED, charged=True)


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


def refresh_facts(since: datetime, moved_members: set[int]) -> Touched:
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
    for chunk in in_chunks(sorted(moved_members)):
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
            for pk in paid_attendances()
            .filter(Q(session__giver_id__in=chunk) | Q(member_id__in=chunk))
            .values_list("pk", flat=True)
            .order_by()
        )
    touched = Touched(users=set(moved_members), exchanges=len(changed))
    ids = sorted(changed)
    for chunk in in_chunks(ids):
        old = ExchangeFact.objects.filter(exchange_id__in=chunk)
        for row in old.values_list(*FACT_ROW):
            touched.add(row)
        old.delete()
    _insert_facts([pk for pk in ids if pk > 0])
    _insert_session_facts(sorted(-pk for pk in ids if pk < 0))
    for chunk in in_chunks(ids):
        for row in ExchangeFact.objects.filter(exchange_id__in=chunk).values_list(*FACT_ROW):
            touched.add(row)
        touched.posts.update(
            Exchange.objects.filter(pk__in=chunk, post__isnull=False).values_list(
                "post_id", flat=True
            )
        )
    touched.posts.discard(0)
    return touched
