"""Reconcile the ledger: the checks behind ``manage.py verify_ledger``.

Every check is a query over the whole ledger, so it costs a few aggregate queries however
many transfers there are (plus one small query per account found outside its limits).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce

from openhours.core.minutes import minutes_in_words

from . import limits
from .models import Account, Entry, SystemAccount, Transfer, TransferKind

CHECKS = {
    "legs": "every transfer has two or more entries",
    "balanced": "every transfer sums to zero",
    "cache": "every cached balance equals the sum of its entries",
    "total": "the whole ledger sums to zero",
    "limits": "every account is within its limits, or a correction explains why not",
    "reversals": "every reversal mirrors the transfer it reverses",
}


@dataclass(frozen=True)
class Problem:
    check: str
    message: str


@dataclass
class LedgerReport:
    transfers: int = 0
    entries: int = 0
    accounts: int = 0
    problems: list[Problem] = field(default_factory=list)
    # Members outside a limit because a coordinator's correction put them there: allowed,
    # and listed so nobody is surprised by them.
    explained: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def failed(self, check: str) -> list[Problem]:
        return [p for p in self.problems if p.check == check]


def verify_ledger() -> LedgerReport:
    report = LedgerReport(
        transfers=Transfer.objects.count(),
        entries=Entry.objects.count(),
        accounts=Account.objects.count(),
    )
    _check_transfers(report)
    _check_cached_balances(report)
    _check_total(report)
    _check_limits(report)
    _check_reversals(report)
    return report


def _check_transfers(report: LedgerReport) -> None:
    suspicious = (
        Transfer.objects.annotate(legs=Count("entries"), total=Coalesce(Sum("entries__amount"), 0))
        .filter(Q(legs__lt=2) | ~Q(total=0))
        .order_by("pk")
        .values_list("pk", "legs", "total")
    )
    for pk, legs, total in suspicious:
        if legs < 2:
            report.problems.append(Problem("legs", f"Transfer #{pk} has {legs} entries."))
        if total != 0:
            report.problems.append(
                Problem("balanced", f"Transfer #{pk} sums to {total:+d} minutes, not zero.")
            )


def _check_cached_balances(report: LedgerReport) -> None:
    mismatched = (
        Account.objects.select_related("owner")
        .annotate(total=Coalesce(Sum("entries__amount"), 0))
        .exclude(balance=F("total"))
        .order_by("pk")
    )
    for account in mismatched:
        report.problems.append(
            Problem(
                "cache",
                f"{account.holder_name} (account #{account.pk}) shows {account.balance:+d} "
                f"minutes but its entries sum to {account.total:+d}.",
            )
        )


def _check_total(report: LedgerReport) -> None:
    entries_total = Entry.objects.aggregate(total=Coalesce(Sum("amount"), 0))["total"]
    if entries_total != 0:
        report.problems.append(
            Problem("total", f"All entries together sum to {entries_total:+d} minutes, not zero.")
        )
    cached_total = Account.objects.aggregate(total=Coalesce(Sum("balance"), 0))["total"]
    if cached_total != 0:
        report.problems.append(
            Problem("total", f"All balances together sum to {cached_total:+d} minutes, not zero.")
        )


def _check_limits(report: LedgerReport) -> None:
    lower, upper = limits.lower_limit(), limits.upper_limit()
    pool = Account.objects.filter(system_code=SystemAccount.COMMUNITY_POOL, balance__lt=0).first()
    if pool is not None:
        report.problems.append(
            Problem(
                "limits",
                f"The community pool is overdrawn: {minutes_in_words(pool.balance)}.",
            )
        )
    outside = (
        Account.objects.filter(owner__isnull=False)
        .filter(Q(balance__lt=lower) | Q(balance__gt=upper))
        .select_related("owner")
        .order_by("pk")
    )
    for account in outside:
        below = account.balance < lower
        limit = lower if below else upper
        # The entry that last moved the balance further out is the one that must explain it:
        # posting never lets an ordinary transfer push an account further past a limit.
        outward = Q(amount__lt=0) if below else Q(amount__gt=0)
        last = (
            Entry.objects.filter(outward, account=account)
            .select_related("transfer")
            .order_by("-pk")
            .first()
        )
        side = "lower" if below else "upper"
        where = (
            f"{account.holder_name} is at {minutes_in_words(account.balance)}, "
            f"past the {side} limit of {minutes_in_words(limit)}"
        )
        if last is not None and last.transfer.limits_overridden:
            report.explained.append(
                f"{where}: explained by {last.transfer} ({last.transfer.memo})."
            )
        else:
            culprit = f"#{last.transfer_id} ({last.transfer.kind})" if last else "no transfer"
            report.problems.append(
                Problem(
                    "limits",
                    f"{where}, and the last transfer that moved it there, {culprit}, was not "
                    "a correction. Were the limits changed, or was a limit crossed?",
                )
            )


def _check_reversals(report: LedgerReport) -> None:
    reversals = list(
        Transfer.objects.filter(kind=TransferKind.REVERSAL).values_list("pk", "reverses_id")
    )
    if not reversals:
        return
    ids = {pk for pair in reversals for pk in pair}
    legs: dict[int, dict[int, int]] = defaultdict(dict)
    for transfer_id, account_id, amount in Entry.objects.filter(transfer_id__in=ids).values_list(
        "transfer_id", "account_id", "amount"
    ):
        legs[transfer_id][account_id] = amount
    kinds = dict(Transfer.objects.filter(pk__in=ids).values_list("pk", "kind"))
    for pk, original in reversals:
        mirrored = {account: -amount for account, amount in legs[original].items()}
        if kinds.get(original) == TransferKind.REVERSAL:
            report.problems.append(Problem("reversals", f"Reversal #{pk} reverses a reversal."))
        elif legs[pk] != mirrored:
            report.problems.append(
                Problem("reversals", f"Reversal #{pk} does not mirror transfer #{original}.")
            )


def render(report: LedgerReport) -> str:
    """The report as text a coordinator or operator can read."""
    lines = [
        "Ledger check",
        f"  {report.transfers:,} transfers, {report.entries:,} entries, "
        f"{report.accounts:,} accounts",
        "",
    ]
    for check, description in CHECKS.items():
        failed = report.failed(check)
        lines.append(f"  {'FAIL' if failed else 'ok  '}  {description}")
        lines += [f"          - {problem.message}" for problem in failed]
        if check == "limits":
            lines += [f"          note: {note}" for note in report.explained]
    lines.append("")
    if report.ok:
        lines.append("All checks passed.")
    else:
        count = len(report.problems)
        lines.append(f"{count} problem{'s' if count != 1 else ''} found.")
    return "\n".join(lines)
