"""Members' facts (``MemberFact``): each approved, active member's organisation, kind,
place, profession and balance, and their counters (given, received, last active).

Refresh steps only: ``refresh_members`` (diffed in full, about a second at 100,000 members)
and ``refresh_counters`` (for the parties of re-derived exchange facts). Read by
``metrics.balances`` and the headline member figures."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import Count, Max, Min, Sum

from openhours.accounts.models import User
from openhours.exchanges.models import Exchange, State
from openhours.ledger.models import Account
from openhours.organisations.models import Organisation

from ..models import ExchangeFact, MemberFact
from ..sql import CHUNK, empty_table, in_chunks
from .exchanges import paid_attendances

MemberRow = tuple[int, str, int, int, int]  # organisation, kind, place, profession, balance


def _current_members() -> dict[int, MemberRow]:
    organisations = {
        pk: (kind, place or 0)
        for pk, kind, place in Organisation.objects.values_list("pk", "kind", "place_id")
    }
    balances = dict(Account.objects.filter(owner__isnull=False).values_list("owner_id", "balance"))
    rows: dict[int, MemberRow] = {}
    members = (
        User.objects.approved_members()
        .values_list("pk", "profile__profession_id")
        .annotate(first_org=Min("profile__organisations"))
        .order_by()
    )
    for pk, profession, first_org in members:
        kind, place = organisations.get(first_org, ("", 0)) if first_org else ("", 0)
        rows[pk] = (first_org or 0, kind, place, profession or 0, int(balances.get(pk, 0)))
    return rows


def refresh_members(*, full: bool) -> set[int]:
    """Write members' dimensions and balances; return those whose dimensions changed."""
    current = _current_members()
    if full:
        empty_table(MemberFact)
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
            # Only the placement and balance columns are written back (below).
            changed.append(_member(pk, row, None, None))
    gone = set(stored) - set(current)
    if gone:
        moved |= gone
        for chunk in in_chunks(sorted(gone)):
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


Tally = tuple[int, int, datetime | None]


def _member(pk: int, row: MemberRow, given: Tally | None, received: Tally | None) -> MemberFact:
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


def _counters_from_exchanges(side: str) -> dict[int, Tally]:
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
        paid_attendances()
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


def refresh_counters(users: set[int]) -> None:
    members = (
        {m.user_id: m for m in MemberFact.objects.filter(user_id__in=users)}
        if len(users) <= CHUNK
        else {
            m.user_id: m
            for chunk in in_chunks(sorted(users))
            for m in MemberFact.objects.filter(user_id__in=chunk)
        }
    )
    given: dict[int, Tally] = {}
    received: dict[int, Tally] = {}
    for chunk in in_chunks(sorted(members)):
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
