"""``post_transfer``: the only code that moves credits.

The locking discipline (docs/ledger.md, "Locking") in one paragraph: a posting takes row
locks on every account it touches, in primary-key order, before it reads any balance; it
checks limits against those locked balances, inserts the transfer and its entries, moves
the cached balances and writes the audit event, all in one transaction. Two postings that
share an account therefore run one after the other, and a fixed lock order means two
postings can never each hold a lock the other is waiting for.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import BigIntegerField, Case, F, Value, When
from django.utils import timezone

from openhours.accounts.models import User
from openhours.core.errors import DomainError
from openhours.core.minutes import minutes_in_words

from .. import limits
from ..models import (
    CORRECTION_KINDS,
    Account,
    AuditEvent,
    Entry,
    SystemAccount,
    Transfer,
    TransferKind,
)

MAX_MEMO = 500
ACCOUNT_TABLE = Account._meta.db_table
TRANSFER_TABLE = Transfer._meta.db_table
ENTRY_TABLE = Entry._meta.db_table
AUDIT_TABLE = AuditEvent._meta.db_table
ALREADY_REVERSED = "This transfer has already been reversed."
KEY_REUSED = (
    "This request was already used for a different transfer, so nothing was posted. "
    "Refresh the page and try again."
)


class LimitExceeded(DomainError):
    """A balance limit said no. The message says how much is still possible."""


@dataclass(frozen=True, kw_only=True)
class Leg:
    """One side of a transfer: exactly one of a member or a system account, signed minutes.

    Positive minutes arrive in the account, negative minutes leave it.
    """

    minutes: int
    member: User | None = None
    system: SystemAccount | None = None

    def __post_init__(self) -> None:
        if (self.member is None) == (self.system is None):
            raise ValueError("A leg belongs to exactly one member or one system account.")
        if self.member is not None and self.member.pk is None:
            raise ValueError("A leg's member must be saved first.")

    @cached_property
    def holder(self) -> str:
        """A stable key for the account, used to match locked rows and to fingerprint."""
        if self.member is not None:
            return f"member:{self.member.pk}"
        return f"system:{self.system_account.value}"

    @property
    def holder_name(self) -> str:
        if self.member is not None:
            return str(self.member)
        return str(self.system_account.label)

    @property
    def system_account(self) -> SystemAccount:
        if self.system is None:
            raise ValueError("This leg belongs to a member, not a system account.")
        return SystemAccount(self.system)


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
    _validate(
        kind=kind,
        legs=legs,
        memo=memo,
        reference=reference,
        idempotency_key=idempotency_key,
        reverses=reverses,
        overriding=allow_over_upper_limit or allow_below_lower_limit,
    )
    fingerprint = _fingerprint(kind=kind, legs=legs, reference=reference, reverses=reverses)
    # At most two attempts: the second only after opening accounts the first found missing.
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return _post_under_lock(
                    kind=kind,
                    legs=legs,
                    created_by=created_by,
                    memo=memo.strip(),
                    reference=reference,
                    idempotency_key=idempotency_key,
                    fingerprint=fingerprint,
                    reverses=reverses,
                    allow_over_upper_limit=allow_over_upper_limit,
                    allow_below_lower_limit=allow_below_lower_limit,
                )
        except _AccountsMissing:
            # Opening accounts while holding locks on others could deadlock against another
            # first-time posting, so the attempt was rolled back (locks released) first.
            _open_accounts(legs)
        except LimitExceeded:
            # A retry of a posting that already went through can meet a limit the original
            # itself moved the balance to; it must get the original back, not a refusal.
            existing = _already_posted(idempotency_key, fingerprint)
            if existing is not None:
                return existing
            raise
        except IntegrityError:
            # Someone else inserted this key (or reversed this transfer) after we looked:
            # the unique constraints are the last word, and the winner is returned.
            existing = _already_posted(idempotency_key, fingerprint)
            if existing is not None:
                return existing
            if reverses is not None and reverses.reversals.exists():
                raise DomainError(ALREADY_REVERSED) from None
            raise
    raise RuntimeError("Ledger accounts disappeared while posting a transfer.")


def _post_under_lock(
    *,
    kind: TransferKind,
    legs: Sequence[Leg],
    created_by: User | None,
    memo: str,
    reference: str,
    idempotency_key: str,
    fingerprint: str,
    reverses: Transfer | None,
    allow_over_upper_limit: bool,
    allow_below_lower_limit: bool,
) -> Transfer:
    accounts = _lock_accounts(legs)
    if reverses is not None:
        # Checked after the locks: a concurrent reversal touches the same accounts, so by
        # now it has committed (and is visible) or has not started.
        existing = _already_posted(idempotency_key, fingerprint)
        if existing is not None:
            return existing
        if reverses.reversals.exists():
            raise DomainError(ALREADY_REVERSED)
    overridden = _check_limits(
        kind=kind,
        legs=legs,
        accounts=accounts,
        allow_over_upper_limit=allow_over_upper_limit,
        allow_below_lower_limit=allow_below_lower_limit,
    )
    transfer = Transfer(
        kind=kind,
        memo=memo,
        reference=reference,
        created_by=created_by,
        created_at=timezone.now(),
        idempotency_key=idempotency_key,
        fingerprint=fingerprint,
        reverses=reverses,
        limits_overridden=bool(overridden),
    )
    moves = [(accounts[leg.holder].pk, leg.minutes) for leg in legs]
    audit: dict[str, Any] = {
        "kind": str(kind),
        "memo": memo,
        "reference": reference,
        "legs": {leg.holder: leg.minutes for leg in legs},
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


def _check_limits(
    *,
    kind: TransferKind,
    legs: Sequence[Leg],
    accounts: dict[str, _Locked],
    allow_over_upper_limit: bool,
    allow_below_lower_limit: bool,
) -> list[dict[str, Any]]:
    """Refuse a leg that would take its account past a limit; return deliberate overrides.

    Only the direction of travel is checked, so a member left outside a limit (by a
    correction, or by an operator narrowing the limits) can always move back towards it.
    """
    lower, upper = limits.lower_limit(), limits.upper_limit()
    overridden: list[dict[str, Any]] = []
    for leg in legs:
        balance = accounts[leg.holder].balance
        after = balance + leg.minutes
        if leg.system == SystemAccount.COMMUNITY_POOL:
            # The pool only pays out what it holds, even for corrections: it is real credit
            # that members gave, so it is never overdrawn. Issuance has no limits at all.
            if leg.minutes < 0 and after < 0:
                raise LimitExceeded(
                    f"The community pool holds {minutes_in_words(max(balance, 0))}; "
                    f"this needs {minutes_in_words(-leg.minutes)}.",
                    field="minutes",
                )
            continue
        if leg.member is None:
            continue
        if leg.minutes < 0:
            # Donations give away credit already earned, so they stop at zero, not at the
            # lower limit: nobody goes below zero to be generous.
            floor = 0 if kind == TransferKind.DONATION else lower
            if after >= floor:
                continue
            if allow_below_lower_limit:
                overridden.append({"holder": leg.holder, "balance": after, "lower_limit": floor})
                continue
            raise LimitExceeded(_below_message(kind, leg, balance, floor), field="minutes")
        elif after > upper:
            if allow_over_upper_limit:
                overridden.append({"holder": leg.holder, "balance": after, "upper_limit": upper})
                continue
            raise LimitExceeded(_above_message(leg, balance, upper), field="minutes")
    return overridden


def _below_message(kind: TransferKind, leg: Leg, balance: int, floor: int) -> str:
    name, needed = leg.holder_name, minutes_in_words(-leg.minutes)
    if kind in CORRECTION_KINDS:
        return (
            f"This {TransferKind(kind).label.lower()} would take {name} to "
            f"{minutes_in_words(balance + leg.minutes)}, below the lower limit of "
            f"{minutes_in_words(floor)}. Confirm the override to post it anyway."
        )
    room = max(balance - floor, 0)
    if kind == TransferKind.DONATION:
        if room == 0:
            return f"{name} has no credits to donate yet; donations come from credits earned."
        return (
            f"{name} can donate up to {minutes_in_words(room)}, the credits they hold now; "
            f"this donation is {needed}."
        )
    if room == 0:
        return (
            f"{name} has reached the lower limit of {minutes_in_words(floor)} and can't spend "
            "more until they earn credits by helping someone."
        )
    return (
        f"{name} can spend {minutes_in_words(room)} more before reaching the lower limit of "
        f"{minutes_in_words(floor)}; this needs {needed}."
    )


def _above_message(leg: Leg, balance: int, upper: int) -> str:
    name, room = leg.holder_name, max(upper - balance, 0)
    if room == 0:
        return (
            f"{name} already holds the most anyone can ({minutes_in_words(upper)}). "
            "They could donate some credits to the community pool first."
        )
    return (
        f"{name} can receive {minutes_in_words(room)} more before reaching the upper limit of "
        f"{minutes_in_words(upper)}; this would add {minutes_in_words(leg.minutes)}. "
        "They could donate some credits to the community pool first."
    )


def _validate(
    *,
    kind: TransferKind,
    legs: Sequence[Leg],
    memo: str,
    reference: str,
    idempotency_key: str,
    reverses: Transfer | None,
    overriding: bool,
) -> None:
    # Mistakes a caller's code makes (not a member's input) are ValueErrors: they are bugs.
    if not idempotency_key or len(idempotency_key) > 150:
        raise ValueError("An idempotency key of 1 to 150 characters is required.")
    if len(reference) > 100:
        raise ValueError("A reference is at most 100 characters.")
    if (kind == TransferKind.REVERSAL) != (reverses is not None):
        raise ValueError("A reversal, and only a reversal, names the transfer it reverses.")
    if overriding and kind not in CORRECTION_KINDS:
        raise ValueError("Only corrections may override balance limits.")
    if len(legs) < 2:
        raise DomainError("A transfer needs at least two sides.")
    if any(leg.minutes == 0 for leg in legs):
        raise DomainError("Every side of a transfer must move some time.")
    if sum(leg.minutes for leg in legs) != 0:
        raise DomainError("A transfer must balance: what leaves one account arrives in another.")
    if len({leg.holder for leg in legs}) != len(legs):
        raise DomainError("Each account can appear only once in a transfer.")
    if len(memo.strip()) > MAX_MEMO:
        raise DomainError(f"Keep the note under {MAX_MEMO} characters.", field="memo")


def _fingerprint(
    *, kind: TransferKind, legs: Sequence[Leg], reference: str, reverses: Transfer | None
) -> str:
    """What moved, as a hash. Who pressed the button and the memo are left out on purpose:
    an automatic confirmation racing a member's confirmation of the same exchange is the
    same transfer, and must come back as the same transfer, not as an error."""
    parts = [str(kind), reference, str(reverses.pk if reverses is not None else "")]
    parts += sorted(f"{leg.holder}={leg.minutes}" for leg in legs)
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _already_posted(idempotency_key: str, fingerprint: str) -> Transfer | None:
    existing = Transfer.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None and existing.fingerprint != fingerprint:
        raise DomainError(KEY_REUSED)
    return existing
