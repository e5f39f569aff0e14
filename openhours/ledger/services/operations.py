"""The ledger operations other apps call: each checks who may do it, builds the legs and
hands them to ``post_transfer``."""

from __future__ import annotations

from collections.abc import Sequence

from openhours.accounts.models import User
from openhours.accounts.permissions import require_coordinator
from openhours.core.errors import DomainError

from .. import limits
from ..models import CORRECTION_KINDS, SystemAccount, Transfer, TransferKind
from .posting import post_transfer
from .rules import Leg

# Who a leg belongs to: a member or a system account.
Holder = User | SystemAccount


def grant_joining_credit(*, user: User) -> Transfer | None:
    """Welcome credit for a new member, from the issuance account. Once per member, ever.

    Returns None when the grant is turned off (zero minutes). Calling it again returns the
    first grant even if the configured amount has changed since.
    """
    key = f"joining-grant:{user.pk}"
    existing = Transfer.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    minutes = limits.joining_grant()
    if minutes <= 0:
        return None
    return post_transfer(
        kind=TransferKind.JOINING_GRANT,
        legs=_from_to(SystemAccount.ISSUANCE, user, minutes),
        created_by=None,
        memo="Welcome to the time bank",
        idempotency_key=key,
    )


def donate(
    *,
    donor: User,
    to_user: User | None = None,
    minutes: int,
    idempotency_key: str,
    memo: str = "",
) -> Transfer:
    """Give credits to another member, or to the community pool when ``to_user`` is None."""
    if minutes <= 0:
        raise DomainError("Choose how much time to donate.", field="minutes")
    if to_user is not None and to_user.pk == donor.pk:
        raise DomainError("You can't donate to yourself.", field="to_user")
    return post_transfer(
        kind=TransferKind.DONATION,
        legs=_from_to(donor, to_user or SystemAccount.COMMUNITY_POOL, minutes),
        created_by=donor,
        memo=memo or "Paying it forward",
        idempotency_key=idempotency_key,
    )


def coordinator_grant(
    *, coordinator: User, to_user: User, minutes: int, reason: str, idempotency_key: str
) -> Transfer:
    """Give a member credits from the community pool (never more than the pool holds)."""
    reason = _coordinators_reason(coordinator, reason, to="grant credits from the community pool")
    if minutes <= 0:
        raise DomainError("Choose how much time to grant.", field="minutes")
    _not_themselves(coordinator, to_user, "grant credits to themselves", field="to_user")
    legs = _from_to(SystemAccount.COMMUNITY_POOL, to_user, minutes)
    return _by_coordinator(coordinator, reason, TransferKind.GRANT, legs, idempotency_key)


def top_up_pool(*, coordinator: User, minutes: int, reason: str, idempotency_key: str) -> Transfer:
    """Put new credits into the community pool, for example to fund a campaign's grants."""
    reason = _coordinators_reason(coordinator, reason, to="top up the community pool")
    if minutes <= 0:
        raise DomainError("Choose how much time to add to the pool.", field="minutes")
    legs = _from_to(SystemAccount.ISSUANCE, SystemAccount.COMMUNITY_POOL, minutes)
    return _by_coordinator(coordinator, reason, TransferKind.POOL_TOP_UP, legs, idempotency_key)


def coordinator_adjustment(
    *,
    coordinator: User,
    user: User,
    minutes: int,
    reason: str,
    idempotency_key: str,
    override_lower_limit: bool = False,
) -> Transfer:
    """Correct a member's balance up (positive) or down (negative), against issuance.

    A correction may take the member over the upper limit; below the lower limit only when
    the coordinator has confirmed it (``override_lower_limit``). Either way the transfer is
    stamped and the audit event says which limit and by how much.
    """
    reason = _coordinators_reason(coordinator, reason, to="adjust balances")
    if minutes == 0:
        raise DomainError("An adjustment must change the balance.", field="minutes")
    _not_themselves(coordinator, user, "adjust their own balance", field="user")
    return _by_coordinator(
        coordinator,
        reason,
        TransferKind.ADJUSTMENT,
        _from_to(SystemAccount.ISSUANCE, user, minutes),
        idempotency_key,
        allow_below_lower_limit=override_lower_limit,
    )


def reverse_transfer(
    *,
    transfer: Transfer,
    actor: User,
    reason: str,
    idempotency_key: str,
    override_lower_limit: bool = False,
) -> Transfer:
    """Undo a transfer by posting its legs negated, with a reason. At most once per transfer.

    Limits as for adjustments. A reversal is not itself reversed: post a new transfer.
    """
    reason = _coordinators_reason(actor, reason, to="reverse transfers")
    if transfer.kind == TransferKind.REVERSAL:
        raise DomainError("A reversal can't be reversed; post a new transfer instead.")
    entries = list(transfer.entries.select_related("account__owner"))
    if any(entry.account.owner_id == actor.pk for entry in entries):
        raise DomainError("You're part of this transfer, so another coordinator must reverse it.")
    legs = [
        _leg(entry.account.owner or SystemAccount(str(entry.account.system_code)), -entry.amount)
        for entry in entries
    ]
    return post_transfer(
        kind=TransferKind.REVERSAL,
        legs=legs,
        created_by=actor,
        memo=reason,
        # The original's reference, so "exchange:42" finds its reversal too.
        reference=transfer.reference,
        idempotency_key=idempotency_key,
        reverses=transfer,
        allow_over_upper_limit=True,
        allow_below_lower_limit=override_lower_limit,
    )


def pay_for_exchange(
    *,
    giver: User,
    receiver: User,
    minutes: int,
    reference: str,
    created_by: User | None,
    idempotency_key: str,
    memo: str = "",
) -> Transfer:
    """The receiver pays the giver one credit-minute for each minute given."""
    if minutes <= 0:
        raise DomainError("Record how much time was given.", field="minutes")
    if giver.pk == receiver.pk:
        raise DomainError("The giver and the receiver must be different members.")
    return post_transfer(
        kind=TransferKind.EXCHANGE,
        legs=_from_to(receiver, giver, minutes),
        created_by=created_by,
        memo=memo,
        reference=reference,
        idempotency_key=idempotency_key,
    )


def pay_for_group_session(
    *,
    giver: User,
    receivers: Sequence[User],
    minutes_each: int,
    reference: str,
    created_by: User | None,
    idempotency_key: str,
    preparation_minutes: int = 0,
    memo: str = "",
) -> Transfer:
    """One giver, several attendees. The rule (docs/ledger.md, "Group sessions"):

    each attendee pays the session length, as they would for one-to-one help; the giver
    earns the session length plus any preparation time, once, because an hour given earns
    one credit however many people are in the room; the community pool receives the
    difference (or pays it, when preparation outweighs the attendees' payments).
    """
    if minutes_each <= 0:
        raise DomainError("Record how long the session was.", field="minutes")
    if preparation_minutes < 0:
        raise DomainError("Preparation time can't be negative.", field="preparation_minutes")
    if not receivers:
        raise DomainError("A group session needs at least one attendee.", field="receivers")
    attendee_ids = [receiver.pk for receiver in receivers]
    if len(set(attendee_ids)) != len(attendee_ids):
        raise DomainError("Each attendee can be listed only once.", field="receivers")
    if giver.pk in attendee_ids:
        raise DomainError("The giver can't also be an attendee.", field="receivers")
    earned = minutes_each + preparation_minutes
    to_pool = minutes_each * len(receivers) - earned
    legs = [Leg(member=giver, minutes=earned)]
    legs += [Leg(member=receiver, minutes=-minutes_each) for receiver in receivers]
    if to_pool:
        legs.append(Leg(system=SystemAccount.COMMUNITY_POOL, minutes=to_pool))
    return post_transfer(
        kind=TransferKind.GROUP_SESSION,
        legs=legs,
        created_by=created_by,
        memo=memo,
        reference=reference,
        idempotency_key=idempotency_key,
    )


def _from_to(payer: Holder, payee: Holder, minutes: int) -> list[Leg]:
    """The two legs of a simple transfer: ``minutes`` leave ``payer`` and arrive at ``payee``."""
    return [_leg(payer, -minutes), _leg(payee, minutes)]


def _leg(holder: Holder, minutes: int) -> Leg:
    if isinstance(holder, SystemAccount):
        return Leg(system=holder, minutes=minutes)
    return Leg(member=holder, minutes=minutes)


def _by_coordinator(
    coordinator: User,
    reason: str,
    kind: TransferKind,
    legs: list[Leg],
    idempotency_key: str,
    *,
    allow_below_lower_limit: bool = False,
) -> Transfer:
    """Post a coordinator's grant, top-up or adjustment: theirs, with their reason as its
    memo. A correction (an adjustment) may take the member over the upper limit."""
    return post_transfer(
        kind=kind,
        legs=legs,
        allow_over_upper_limit=kind in CORRECTION_KINDS,
        allow_below_lower_limit=allow_below_lower_limit,
        created_by=coordinator,
        memo=reason,
        idempotency_key=idempotency_key,
    )


def _not_themselves(coordinator: User, member: User, what: str, *, field: str) -> None:
    """Coordinators act on other members' credits, never their own."""
    if member.pk == coordinator.pk:
        raise DomainError(f"Coordinators can't {what}; ask another coordinator.", field=field)


def _coordinators_reason(coordinator: User, reason: str, *, to: str) -> str:
    """Refuse anyone who may not act as a coordinator (``require_coordinator``), then a
    missing reason; return the reason, stripped."""
    require_coordinator(coordinator, to=to)
    reason = reason.strip()
    if not reason:
        raise DomainError("Give a reason; it is kept in the audit log.", field="reason")
    return reason
