"""What a transfer must satisfy before it is written: the request's own checks (balanced
legs, one leg per account, a short memo, a key) and the balance limits against the locked
balances. ``posting`` runs these; nothing here writes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from openhours.accounts.models import User
from openhours.core.errors import DomainError
from openhours.core.minutes import minutes_in_words

from .. import limits
from ..models import CORRECTION_KINDS, SystemAccount, Transfer, TransferKind

MAX_MEMO = 500


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


@dataclass(frozen=True, kw_only=True)
class Posting:
    """One ``post_transfer`` request: what to post, and the limit switches it came with."""

    kind: TransferKind
    legs: Sequence[Leg]
    created_by: User | None
    memo: str  # stripped
    reference: str
    idempotency_key: str
    reverses: Transfer | None
    allow_over_upper_limit: bool
    allow_below_lower_limit: bool

    @cached_property
    def fingerprint(self) -> str:
        """What moved, as a hash. Who pressed the button and the memo are left out on
        purpose: an automatic confirmation racing a member's confirmation of the same
        exchange is the same transfer, and must come back as the same transfer, not as an
        error."""
        reverses = self.reverses.pk if self.reverses is not None else ""
        parts = [str(self.kind), self.reference, str(reverses)]
        parts += sorted(f"{leg.holder}={leg.minutes}" for leg in self.legs)
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def validate(posting: Posting) -> None:
    """Refuse a request no balance could make right (before any lock is taken)."""
    kind, legs, reverses = posting.kind, posting.legs, posting.reverses
    overriding = posting.allow_over_upper_limit or posting.allow_below_lower_limit
    # Mistakes a caller's code makes (not a member's input) are ValueErrors: they are bugs.
    if not posting.idempotency_key or len(posting.idempotency_key) > 150:
        raise ValueError("An idempotency key of 1 to 150 characters is required.")
    if len(posting.reference) > 100:
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
    if len(posting.memo) > MAX_MEMO:
        raise DomainError(f"Keep the note under {MAX_MEMO} characters.", field="memo")


def check_limits(posting: Posting, balances: Mapping[str, int]) -> list[dict[str, Any]]:
    """Refuse a leg that would take its account past a limit; return deliberate overrides.

    Only the direction of travel is checked, so a member left outside a limit (by a
    correction, or by an operator narrowing the limits) can always move back towards it.
    """
    kind = posting.kind
    lower, upper = limits.lower_limit(), limits.upper_limit()
    overridden: list[dict[str, Any]] = []
    for leg in posting.legs:
        balance = balances[leg.holder]
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
            if posting.allow_below_lower_limit:
                overridden.append({"holder": leg.holder, "balance": after, "lower_limit": floor})
                continue
            raise LimitExceeded(_below_message(kind, leg, balance, floor), field="minutes")
        elif after > upper:
            if posting.allow_over_upper_limit:
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
