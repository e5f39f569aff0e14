"""Reads from the ledger: balances, statements, hours given and received, the pool.

Nothing here writes. A member who has never had a transfer has no account row yet; every
selector treats that as a zero balance and an empty history.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, IntegerField, Prefetch, Q, QuerySet, Sum, Window
from django.db.models.functions import Coalesce
from django.http import Http404

from openhours.accounts.models import User
from openhours.core.minutes import minutes_in_words

from . import limits
from .models import (
    EXCHANGE_KINDS,
    Account,
    AuditEvent,
    Entry,
    SystemAccount,
    Transfer,
    TransferKind,
)


def account_of(user: User) -> Account | None:
    return Account.objects.filter(owner=user).first()


def balance(user: User) -> int:
    """The member's balance in minutes (zero before their first transfer)."""
    value = Account.objects.filter(owner=user).values_list("balance", flat=True).first()
    return int(value or 0)


def spendable_minutes(user: User) -> int:
    """How much more the member can spend before the lower limit stops them."""
    return max(balance(user) - limits.lower_limit(), 0)


def limit_warning(user: User) -> str | None:
    """A plain-English warning, addressed to the member, when a limit is near; else None.

    Shown before the hard stop so nobody meets a refusal without notice.
    """
    current = balance(user)
    lower, upper, margin = limits.lower_limit(), limits.upper_limit(), limits.warning_margin()
    if current <= lower:
        return (
            f"You've reached the lower limit of {minutes_in_words(lower)}, so you can't spend "
            "more credits for now. Helping someone earns them back."
        )
    if current - lower <= margin:
        return (
            f"You can spend {minutes_in_words(current - lower)} more before reaching the "
            f"lower limit of {minutes_in_words(lower)}. Offering your time earns credits back."
        )
    if current >= upper:
        return (
            f"You hold the most anyone can ({minutes_in_words(upper)}), so new credits can't "
            "reach you. Spending some, or donating them to the community pool, makes room."
        )
    if upper - current <= margin:
        return (
            f"You can receive {minutes_in_words(upper - current)} more before reaching the "
            f"upper limit of {minutes_in_words(upper)}. Consider donating some credits to "
            "the community pool so others can ask for help."
        )
    return None


def _statement_rows(entries: QuerySet[Entry]) -> QuerySet[Entry]:
    """One account's ``entries`` shaped for a statement page, newest first.

    The running balance is a window over the account's own entries, which is why the
    filter to one account must come before this (the window sees only filtered rows).
    """
    return (
        entries.select_related("transfer", "transfer__created_by")
        .prefetch_related(
            Prefetch(
                "transfer__entries",
                queryset=Entry.objects.select_related("account__owner").order_by("pk"),
            )
        )
        .annotate(
            balance_after=Window(Sum("amount"), order_by=F("pk").asc(), output_field=IntegerField())
        )
        .order_by("-pk")
    )


def statement(user: User) -> QuerySet[Entry]:
    """The member's entries, newest first, ready to paginate.

    Each entry carries its transfer, ``balance_after`` (the running balance once it was
    posted) and, through ``entry.counterparty_names()``, the holders of the other legs,
    which are fetched for the whole page in one extra query.
    Entries of one account are numbered in the order they were posted, because each was
    inserted while its account was locked; so ordering by id is ordering by time.
    """
    return _statement_rows(Entry.objects.filter(account__owner=user))


@dataclass(frozen=True)
class Contribution:
    """Hours given and received, the recognition a statement leads with, and the balance."""

    given_minutes: int
    received_minutes: int
    balance: int


def contribution(user: User) -> Contribution:
    """Given: minutes earned by exchanges and group sessions. Received: minutes spent on them.

    Exchanges that were reversed count for neither side: they did not happen as recorded.
    """
    counted = Q(transfer__kind__in=[k.value for k in EXCHANGE_KINDS]) & Q(
        transfer__reversals__isnull=True
    )
    totals = Entry.objects.filter(account__owner=user).aggregate(
        given=Coalesce(Sum("amount", filter=counted & Q(amount__gt=0)), 0),
        received=Coalesce(Sum("amount", filter=counted & Q(amount__lt=0)), 0),
    )
    return Contribution(
        given_minutes=int(totals["given"]),
        received_minutes=-int(totals["received"]),
        balance=balance(user),
    )


def hours_given(user: User) -> int:
    """Minutes the member has given others (named for what members see; still minutes)."""
    return contribution(user).given_minutes


def hours_received(user: User) -> int:
    """Minutes of help the member has received."""
    return contribution(user).received_minutes


@dataclass(frozen=True)
class PoolSummary:
    """The community pool for coordinators: what it holds, where it came from and went."""

    balance: int
    inflow_by_kind: dict[str, int]
    outflow_by_kind: dict[str, int]
    donors: int


def pool_summary() -> PoolSummary:
    pool = Account.objects.filter(system_code=SystemAccount.COMMUNITY_POOL).first()
    if pool is None:
        return PoolSummary(balance=0, inflow_by_kind={}, outflow_by_kind={}, donors=0)
    rows = (
        Entry.objects.filter(account=pool)
        .values("transfer__kind")
        .annotate(
            inflow=Coalesce(Sum("amount", filter=Q(amount__gt=0)), 0),
            outflow=Coalesce(Sum("amount", filter=Q(amount__lt=0)), 0),
        )
        .order_by("transfer__kind")
    )
    inflow = {r["transfer__kind"]: int(r["inflow"]) for r in rows if r["inflow"]}
    outflow = {r["transfer__kind"]: -int(r["outflow"]) for r in rows if r["outflow"]}
    donors = Entry.objects.filter(
        transfer__kind=TransferKind.DONATION,
        transfer__entries__account=pool,
        account__owner__isnull=False,
        amount__lt=0,
    ).aggregate(n=Count("account", distinct=True))["n"]
    return PoolSummary(
        balance=pool.balance, inflow_by_kind=inflow, outflow_by_kind=outflow, donors=int(donors)
    )


def pool_statement() -> QuerySet[Entry]:
    """The community pool's entries, newest first, shaped like ``statement`` (coordinators)."""
    return _statement_rows(Entry.objects.filter(account__system_code=SystemAccount.COMMUNITY_POOL))


def get_transfer_for_coordinator(transfer_id: int, viewer: User) -> Transfer:
    """The one way a view obtains a transfer: coordinators only, with its legs and reversal.

    Raises PermissionDenied for anyone else and Http404 for an unknown id.
    """
    if not viewer.is_coordinator:
        raise PermissionDenied("Only coordinators can see transfers.")
    transfer = (
        Transfer.objects.select_related("created_by", "reverses")
        .prefetch_related(
            Prefetch(
                "entries", queryset=Entry.objects.select_related("account__owner").order_by("pk")
            ),
            "reversals",
        )
        .filter(pk=transfer_id)
        .first()
    )
    if transfer is None:
        raise Http404("No such transfer.")
    return transfer


def audit_log() -> QuerySet[AuditEvent]:
    """Every audit event, newest first (ids follow writing order)."""
    return AuditEvent.objects.select_related("actor").order_by("-pk")


def holder_names(holders: Iterable[str]) -> dict[str, str]:
    """Names for audit-log holder keys ("member:5", "system:community_pool"), in one query."""
    wanted = set(holders)
    names = {f"system:{code}": str(label) for code, label in SystemAccount.choices}
    ids = [int(h.split(":", 1)[1]) for h in wanted if h.startswith("member:") and h[7:].isdigit()]
    for user in User.objects.filter(pk__in=ids).only("pk", "full_name", "email"):
        names[f"member:{user.pk}"] = str(user)
    return {h: names[h] for h in wanted if h in names}
