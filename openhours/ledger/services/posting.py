"""``post_transfer``: the only code that moves credits.

The locking discipline (docs/ledger.md, "Locking") in one paragraph: a posting takes row
locks on every account it touches, in primary-key order, before it reads any balance; it
checks limits against those locked balances, inserts the transfer and its entries, moves
the cached balances and writes the audit event, all in one transaction. Two postings that
share an account therefore run one after the other, and a fixed lock order means two
postings can never each hold a lock the other is waiting for.

What a transfer must satisfy (the request's checks and the balance limits) is ``rules``;
this module is the write path: the locks, the retries and the writes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import BigIntegerField, Case, F, Value, When
from django.utils import timezone

from openhours.accounts.models import User
from openhours.core.errors import DomainError

from ..models import Account, AuditEvent, Entry, Transfer, TransferKind
from . import rules
from .rules import Leg, LimitExceeded, Posting

__all__ = ["ALREADY_REVERSED", "KEY_REUSED", "Leg", "LimitExceeded", "post_transfer"]

ACCOUNT_TABLE = Account._meta.db_table
TRANSFER_TABLE = Transfer._meta.db_table
ENTRY_TABLE = Entry._meta.db_table
AUDIT_TABLE = AuditEvent._meta.db_table
ALREADY_REVERSED = "This transfer has already been reversed."
KEY_REUSED = (
    "This request was already used for a different transfer, so nothing was posted. "
    "Refresh the page and try again."
)


class _AccountsMissing(Exception):
    """Raised inside the posting transaction so it rolls back (and drops its locks)."""


def post_transfer(
    *,
    kind: TransferKind,
    legs: Sequence[Leg],
    created_by: User | None,
    memo: str,
    reference: str = "",
    idempotency_key: str,
    reverses: Transfer | None = None,
    allow_over_upper_limit: bool = False,
    allow_below_lower_limit: bool = False,
) -> Transfer:
    """Post a transfer once, or return the one already posted with this idempotency key.

    Raises DomainError when the legs don't balance, a limit refuses, the key was used for
    different content, or ``reverses`` was already reversed. The two ``allow_*`` switches
    are for corrections only; a correction that uses them is stamped ``limits_overridden``
    and its audit event lists every account it left outside a limit.
    """
    posting = Posting(
        kind=kind,
        legs=legs,
        created_by=created_by,
        memo=memo.strip(),
        reference=reference,
        idempotency_key=idempotency_key,
        reverses=reverses,
        allow_over_upper_limit=allow_over_upper_limit,
        allow_below_lower_limit=allow_below_lower_limit,
    )
    rules.validate(posting)
    return _post(posting)


def _post(posting: Posting) -> Transfer:
    """Write a valid posting under its accounts' locks, or return the transfer an earlier
    attempt of the same request already wrote."""
    # At most two attempts: the second only after opening accounts the first found missing.
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return _post_under_lock(posting)
        except _AccountsMissing:
            # Opening accounts while holding locks on others could deadlock against another
            # first-time posting, so the attempt was rolled back (locks released) first.
            _open_accounts(posting.legs)
        except LimitExceeded:
            # A retry of a posting that already went through can meet a limit the original
            # itself moved the balance to; it must get the original back, not a refusal.
            existing = _already_posted(posting)
            if existing is not None:
                return existing
            raise
        except IntegrityError:
            # Someone else inserted this key (or reversed this transfer) after we looked:
            # the unique constraints are the last word, and the winner is returned.
            existing = _already_posted(posting)
            if existing is not None:
                return existing
            if posting.reverses is not None and posting.reverses.reversals.exists():
                raise DomainError(ALREADY_REVERSED) from None
            raise
    raise RuntimeError("Ledger accounts disappeared while posting a transfer.")


def _post_under_lock(posting: Posting) -> Transfer:
    accounts = _lock_accounts(posting.legs)
    reverses = posting.reverses
    if reverses is not None:
        # Checked after the locks: a concurrent reversal touches the same accounts, so by
        # now it has committed (and is visible) or has not started.
        existing = _already_posted(posting)
        if existing is not None:
            return existing
        if reverses.reversals.exists():
            raise DomainError(ALREADY_REVERSED)
    balances = {holder: account.balance for holder, account in accounts.items()}
    overridden = rules.check_limits(posting, balances)
    transfer = Transfer(
        kind=posting.kind,
        memo=posting.memo,
        reference=posting.reference,
        created_by=posting.created_by,
        created_at=timezone.now(),
        idempotency_key=posting.idempotency_key,
        fingerprint=posting.fingerprint,
        reverses=reverses,
        limits_overridden=bool(overridden),
    )
    moves = [(accounts[leg.holder].pk, leg.minutes) for leg in posting.legs]
    audit: dict[str, Any] = {
        "kind": str(posting.kind),
        "memo": posting.memo,
        "reference": posting.reference,
        "legs": {leg.holder: leg.minutes for leg in posting.legs},
    }
    if reverses is not None:
        audit["reverses"] = reverses.pk
    if overridden:
        audit["limits_overridden"] = overridden
    if connection.vendor == "postgresql":
        _write_in_one_statement(transfer, moves, audit)
    else:
        _write_with_the_orm(transfer, moves, audit)
    return transfer


@dataclass
class _Locked:
    """A locked account row: all that posting needs to know about it."""

    pk: int
    balance: int


def _for_update() -> str:
    """The row-lock clause. Empty on SQLite, whose IMMEDIATE transactions allow one writer.

    A separate function so the concurrency tests can take the lock away and watch the race
    it prevents (openhours/ledger/tests/test_concurrency.py).
    """
    if not connection.features.has_select_for_update:
        return ""
    # NO KEY UPDATE (PostgreSQL) excludes other postings exactly as FOR UPDATE does, but not
    # the key-share locks that foreign-key checks on new entries take on the same account.
    return " FOR NO KEY UPDATE" if connection.vendor == "postgresql" else " FOR UPDATE"


def _lock_accounts(legs: Sequence[Leg]) -> dict[str, _Locked]:
    """Lock every account the legs touch, in primary-key order, and read their balances.

    Plain SQL because this runs on every posting: the ORM took longer to build this query
    than PostgreSQL took to run it (see bench/README.md).
    """
    member_ids = [leg.member.pk for leg in legs if leg.member is not None]
    codes = [leg.system_account.value for leg in legs if leg.member is None]
    where: list[str] = []
    params: list[int | str] = []
    if member_ids:
        where.append(f"owner_id IN ({', '.join(['%s'] * len(member_ids))})")
        params += member_ids
    if codes:
        where.append(f"system_code IN ({', '.join(['%s'] * len(codes))})")
        params += codes
    sql = (
        f"SELECT id, owner_id, system_code, balance FROM {ACCOUNT_TABLE} "  # noqa: S608 - placeholders only
        f"WHERE {' OR '.join(where)} ORDER BY id{_for_update()}"
    )
    rows = _fetch(sql, params)
    accounts = {
        (f"member:{owner_id}" if owner_id is not None else f"system:{code}"): _Locked(pk, balance)
        for pk, owner_id, code, balance in rows
    }
    if len(accounts) < len(legs):
        raise _AccountsMissing
    return accounts


def _fetch(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Run one of the two statements every posting runs, and return its rows.

    On PostgreSQL they run as server-side prepared statements: parsing and planning them
    took longer than executing them (bench/README.md). Django leaves psycopg's automatic
    preparation off, so it is switched on for this statement only, through Django's own
    cursor wrapper (errors, query logging and test query counts behave as usual). Turn
    OPENHOURS_LEDGER_PREPARED_STATEMENTS off behind a pooler that can't keep prepared
    statements (PgBouncer in transaction mode before 1.21).
    """
    if connection.vendor != "postgresql" or not settings.OPENHOURS_LEDGER_PREPARED_STATEMENTS:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows: list[tuple[Any, ...]] = cursor.fetchall()
            return rows
    import psycopg

    connection.ensure_connection()
    raw = connection.connection
    previous = raw.prepare_threshold
    raw.prepare_threshold = 0  # prepare on first use; psycopg keeps it per connection
    try:
        server_side = psycopg.Cursor(raw)
        wrap = connection.make_debug_cursor if connection.queries_logged else connection.make_cursor
        # django-stubs annotates the raw cursor these take as Django's own wrapper.
        with wrap(server_side) as cursor:  # type: ignore[arg-type]
            cursor.execute(sql, params)
            prepared_rows: list[tuple[Any, ...]] = cursor.fetchall()
            return prepared_rows
    finally:
        raw.prepare_threshold = previous


def _write_in_one_statement(
    transfer: Transfer, moves: list[tuple[int, int]], audit: dict[str, Any]
) -> None:
    """PostgreSQL: the transfer, its entries, the balances and the audit event in one
    statement (one round trip). Data-modifying CTEs all run or all fail with the statement.

    ``balance + amount`` rather than the value computed in Python, so that even a caller that
    skipped the lock could not lose an update to the cached balance.
    """
    legs = ", ".join(["(%s::bigint, %s::integer)"] * len(moves))
    sql = f"""
        WITH new_transfer AS (
            INSERT INTO {TRANSFER_TABLE} (kind, memo, reference, created_by_id, created_at,
                idempotency_key, fingerprint, reverses_id, limits_overridden)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)
            RETURNING id
        ), legs (account_id, amount) AS (
            VALUES {legs}
        ), new_entries AS (
            INSERT INTO {ENTRY_TABLE} (transfer_id, account_id, amount)
            SELECT new_transfer.id, legs.account_id, legs.amount FROM new_transfer, legs
        ), new_balances AS (
            UPDATE {ACCOUNT_TABLE} SET balance = {ACCOUNT_TABLE}.balance + legs.amount
            FROM legs WHERE {ACCOUNT_TABLE}.id = legs.account_id
        ), new_audit AS (
            INSERT INTO {AUDIT_TABLE} (actor_id, verb, target, data, created_at)
            SELECT %s, %s, 'transfer:' || new_transfer.id, %s::jsonb, %s FROM new_transfer
        )
        SELECT id FROM new_transfer
    """  # noqa: S608 - table names are constants, values are placeholders
    params: list[Any] = [
        transfer.kind,
        transfer.memo,
        transfer.reference,
        transfer.created_by_id,
        transfer.created_at,
        transfer.idempotency_key,
        transfer.fingerprint,
        transfer.reverses_id,
        transfer.limits_overridden,
    ]
    params += [value for move in moves for value in move]
    params += [transfer.created_by_id, f"ledger.{transfer.kind}", json.dumps(audit)]
    params.append(transfer.created_at)
    ((transfer.pk,),) = _fetch(sql, params)
    transfer._state.adding = False
    transfer._state.db = connection.alias


def _write_with_the_orm(
    transfer: Transfer, moves: list[tuple[int, int]], audit: dict[str, Any]
) -> None:
    """Any other database (SQLite for a pilot): the same writes, one statement each."""
    transfer.save(force_insert=True)
    Entry.objects.bulk_create(
        [Entry(transfer_id=transfer.pk, account_id=pk, amount=amount) for pk, amount in moves]
    )
    Account.objects.filter(pk__in=[pk for pk, _ in moves]).update(
        balance=F("balance")
        + Case(
            *[When(pk=pk, then=Value(amount)) for pk, amount in moves],
            default=Value(0),
            output_field=BigIntegerField(),
        )
    )
    AuditEvent.objects.create(
        actor_id=transfer.created_by_id,
        verb=f"ledger.{transfer.kind}",
        target=f"transfer:{transfer.pk}",
        data=audit,
        created_at=transfer.created_at,
    )


def _open_accounts(legs: Sequence[Leg]) -> None:
    # A fixed order again, so two first postings for the same new members can't deadlock.
    with transaction.atomic():
        for leg in sorted(legs, key=lambda leg: leg.holder):
            if leg.member is not None:
                Account.objects.get_or_create(owner=leg.member)
            else:
                Account.objects.get_or_create(system_code=leg.system_account.value)


def _already_posted(posting: Posting) -> Transfer | None:
    existing = Transfer.objects.filter(idempotency_key=posting.idempotency_key).first()
    if existing is not None and existing.fingerprint != posting.fingerprint:
        raise DomainError(KEY_REUSED)
    return existing
