"""The members' side of an exchange: propose, agree, deliver, confirm, correct, dispute."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from openhours.accounts.models import User
from openhours.core.errors import DomainError
from openhours.core.minutes import minutes_in_words
from openhours.posts.models import Kind, Post

from ..models import ACTIVE_STATES, Exchange, ExchangeMessage, State
from ..transitions import allows, check_transition
from . import _common as c

ALREADY_IN_PROGRESS = (
    "You already have an exchange in progress with this person for this post. "
    "Carry on with that one."
)


def _create(
    *,
    proposer: User,
    giver: User,
    receiver: User,
    title: str,
    description: str = "",
    message: str = "",
    estimated_minutes: int | None,
    post: Post | None,
    repeat_of: Exchange | None = None,
    proposal_key: str | None = None,
) -> Exchange:
    check_transition(Exchange(giver=giver, receiver=receiver), "propose", proposer)
    if (sent := _sent_with(proposal_key, proposer)) is not None:
        return sent  # the same form again: the exchange it already started
    other = receiver if proposer.pk == giver.pk else giver
    c.require_can_take_part(other, you=False)
    if giver.pk == receiver.pk:
        raise DomainError("You can't start an exchange with yourself.")
    title = title.strip()
    if not title:
        raise DomainError("Say in a few words what the exchange is about.", field="title")
    if estimated_minutes is not None:
        c.check_minutes(estimated_minutes, field="estimated_hours", most=100 * 60)
    now = timezone.now()
    try:
        with transaction.atomic():
            exchange = Exchange(
                giver=giver,
                receiver=receiver,
                proposed_by=proposer,
                post=post,
                repeat_of=repeat_of,
                title=title[:140],
                description=description.strip(),
                estimated_minutes=estimated_minutes,
                created_at=now,
                proposal_key=proposal_key or None,
            )
            c.record(exchange, to_state=State.PROPOSED, actor=proposer, now=now)
            if message.strip():
                ExchangeMessage.objects.create(
                    exchange=exchange, author=proposer, body=message.strip(), created_at=now
                )
            c.tell(
                exchange,
                recipient=other,
                verb="exchange.proposed",
                message=f"{proposer} proposed an exchange: {exchange.title}. Can you agree it?",
                actor=proposer,
                needs_action=True,
            )
    except IntegrityError:
        # The same form posted at the same moment (the other post started it), or the
        # partial unique constraint: one exchange in progress per pair and post.
        if (sent := _sent_with(proposal_key, proposer)) is not None:
            return sent
        raise DomainError(ALREADY_IN_PROGRESS) from None
    return exchange


def _sent_with(proposal_key: str | None, proposer: User) -> Exchange | None:
    """The exchange this proposal form already started, if it did."""
    if not proposal_key:
        return None
    return Exchange.objects.filter(proposal_key=proposal_key, proposed_by=proposer).first()


def respond_to_post(
    *,
    responder: User,
    post: Post,
    message: str = "",
    estimated_minutes: int | None = None,
    proposal_key: str | None = None,
) -> Exchange:
    """ "I can help" (a request: the responder gives) or "I'd like this" (an offer: the
    author gives). Proposed to the post's author."""
    if post.author_id == responder.pk:
        raise DomainError(f"This is your own {post.get_kind_display().lower()}.")
    if not post.is_open:
        raise DomainError(f"This {post.get_kind_display().lower()} is closed.")
    if post.kind == Kind.REQUEST:
        giver, receiver = responder, post.author
    else:
        giver, receiver = post.author, responder
    if proposal_key and Exchange.objects.filter(proposal_key=proposal_key).exists():
        pass  # the same form again: _create returns the exchange it started
    elif Exchange.objects.filter(
        post=post, giver=giver, receiver=receiver, state__in=ACTIVE_STATES
    ).exists():
        raise DomainError(ALREADY_IN_PROGRESS)
    return _create(
        proposer=responder,
        giver=giver,
        receiver=receiver,
        title=post.title,
        message=message,
        estimated_minutes=estimated_minutes
        if estimated_minutes is not None
        else post.estimated_minutes,
        post=post,
        proposal_key=proposal_key,
    )


def propose_to_member(
    *,
    proposer: User,
    other: User,
    proposer_gives: bool,
    title: str,
    message: str = "",
    estimated_minutes: int | None = None,
    proposal_key: str | None = None,
) -> Exchange:
    """Start an exchange directly with another member, from their profile. The same
    ``proposal_key`` again (the form posted twice) returns the exchange it started."""
    if other.pk == proposer.pk:
        raise DomainError("You can't start an exchange with yourself.")
    giver, receiver = (proposer, other) if proposer_gives else (other, proposer)
    return _create(
        proposer=proposer,
        giver=giver,
        receiver=receiver,
        title=title,
        message=message,
        estimated_minutes=estimated_minutes,
        post=None,
        proposal_key=proposal_key,
    )


def repeat_exchange(*, exchange: Exchange, actor: User, message: str = "") -> Exchange:
    """A new proposed exchange between the same two people, same roles, title and post."""
    check_transition(exchange, "repeat", actor)
    return _create(
        proposer=actor,
        giver=exchange.giver,
        receiver=exchange.receiver,
        title=exchange.title,
        description=exchange.description,
        message=message,
        estimated_minutes=exchange.minutes,
        post=exchange.post,
        repeat_of=exchange,
    )


def accept_exchange(*, exchange: Exchange, actor: User) -> Exchange:
    """The person who was asked agrees. Contact details are shown to both from now on."""
    with c.transition(exchange, "accept", actor) as exchange:
        now = timezone.now()
        exchange.accepted_at = now
        c.move(
            exchange,
            State.ACCEPTED,
            actor=actor,
            now=now,
            recipient=exchange.proposed_by,
            message=f"{actor} agreed to your exchange: {exchange.title}.",
        )
    return exchange


def decline_exchange(*, exchange: Exchange, actor: User, reason: str = "") -> Exchange:
    with c.transition(exchange, "decline", actor) as exchange:
        c.move(
            exchange,
            State.DECLINED,
            actor=actor,
            note=reason.strip(),
            recipient=exchange.proposed_by,
            message=f"{actor} can't take on your exchange: {exchange.title}.",
        )
    return exchange


def cancel_exchange(*, exchange: Exchange, actor: User, reason: str = "") -> Exchange:
    """Either party, before any time is recorded."""
    with c.transition(exchange, "cancel", actor) as exchange:
        c.move(
            exchange,
            State.CANCELLED,
            actor=actor,
            note=reason.strip(),
            recipient=exchange.other_party(actor),
            message=f"{actor} cancelled the exchange: {exchange.title}.",
        )
    return exchange


def record_delivery(
    *,
    exchange: Exchange,
    actor: User,
    minutes: int,
    delivered_on: date | None = None,
    note: str = "",
) -> Exchange:
    """The giver records the time given. The receiver then confirms it (or it is
    confirmed for them after OPENHOURS_EXCHANGE_AUTO_CONFIRM_DAYS)."""
    c.check_minutes(minutes)
    now = timezone.now()
    delivered_on = delivered_on or timezone.localdate(now)
    if delivered_on > timezone.localdate(now):
        raise DomainError("Record time once it has been given, not before.", field="delivered_on")
    with c.transition(exchange, "deliver", actor) as exchange:
        if exchange.accepted_at and delivered_on < timezone.localdate(exchange.accepted_at):
            agreed = timezone.localdate(exchange.accepted_at)
            raise DomainError(
                f"The time can't have been given before the exchange was agreed "
                f"({agreed:%-d %B %Y}).",
                field="delivered_on",
            )
        exchange.minutes = minutes
        exchange.delivered_on = delivered_on
        exchange.delivered_at = now
        c.move(
            exchange,
            State.DELIVERED,
            actor=actor,
            now=now,
            minutes=minutes,
            note=note.strip(),
            recipient=exchange.receiver,
            message=(
                f"{actor} recorded {minutes_in_words(minutes)} for {exchange.title}. "
                "Please confirm it, or suggest a correction."
            ),
            needs_action=True,
        )
    return exchange


def confirm_exchange(*, exchange: Exchange, actor: User) -> Exchange:
    """The receiver confirms the recorded time and the credits move, once.

    Confirming an exchange that is already confirmed (a double click, a retry, or the
    automatic confirmation got there first) returns it unchanged.
    """
    with transaction.atomic():
        exchange = c.lock(exchange)
        if exchange.state == State.CONFIRMED and actor.pk == exchange.receiver_id:
            return exchange  # already confirmed: by a double click, a retry, or the system
        check_transition(exchange, "confirm", actor)
        assert exchange.minutes is not None  # the database requires it once delivered
        c.pay_and_confirm(exchange, minutes=exchange.minutes, actor=actor, now=timezone.now())
        c.tell(
            exchange,
            recipient=exchange.giver,
            verb="exchange.confirmed",
            message=(
                f"{actor} confirmed {minutes_in_words(exchange.minutes)} for {exchange.title}. "
                "The time credits are in your account."
            ),
            actor=actor,
        )
    return exchange


def propose_correction(*, exchange: Exchange, actor: User, minutes: int, reason: str) -> Exchange:
    """The receiver suggests a different time; the giver accepts or rejects it."""
    c.check_minutes(minutes)
    reason = c.require_reason(reason, "Say why the time should be different.")
    with c.transition(exchange, "correct", actor) as exchange:
        if minutes == exchange.minutes:
            raise DomainError(
                "That's the time already recorded; confirm it instead.", field="hours"
            )
        exchange.corrected_minutes = minutes
        exchange.correction_reason = reason
        c.move(
            exchange,
            State.CORRECTION_PROPOSED,
            actor=actor,
            minutes=minutes,
            note=reason,
            recipient=exchange.giver,
            message=(
                f"{actor} suggested {minutes_in_words(minutes)} instead of "
                f"{minutes_in_words(exchange.minutes or 0)} for {exchange.title}. "
                "Please accept or reject it."
            ),
            needs_action=True,
        )
    return exchange


def accept_correction(*, exchange: Exchange, actor: User) -> Exchange:
    """The giver agrees with the corrected time: confirmed, and the corrected credits move."""
    with c.transition(exchange, "accept_correction", actor) as exchange:
        minutes = exchange.corrected_minutes
        assert minutes is not None  # the database requires it in this state
        c.pay_and_confirm(
            exchange,
            minutes=minutes,
            actor=actor,
            now=timezone.now(),
            note="Correction accepted.",
        )
        c.tell(
            exchange,
            recipient=exchange.receiver,
            verb="exchange.confirmed",
            message=(
                f"{actor} accepted your correction to {minutes_in_words(minutes)} for "
                f"{exchange.title}. The exchange is confirmed."
            ),
            actor=actor,
        )
    return exchange


def reject_correction(*, exchange: Exchange, actor: User, reason: str) -> Exchange:
    """The giver disagrees with the corrected time: disputed, for a coordinator to resolve."""
    reason = c.require_reason(reason, "Say why you disagree, so a coordinator can help.")
    with c.transition(exchange, "reject_correction", actor) as exchange:
        _dispute(exchange, actor=actor, reason=reason)
    return exchange


def dispute_exchange(*, exchange: Exchange, actor: User, reason: str) -> Exchange:
    """Either party, once time is recorded and before it is confirmed."""
    reason = c.require_reason(reason, "Say what went wrong, so a coordinator can help.")
    with c.transition(exchange, "dispute", actor) as exchange:
        _dispute(exchange, actor=actor, reason=reason)
    return exchange


def _dispute(exchange: Exchange, *, actor: User, reason: str) -> None:
    now = timezone.now()
    exchange.disputed_at = exchange.disputed_at or now
    c.move(
        exchange,
        State.DISPUTED,
        actor=actor,
        now=now,
        note=reason,
        recipient=exchange.other_party(actor),
        message=f"{actor} disputed the exchange {exchange.title}. A coordinator will help.",
    )
    c.tell_coordinators(
        exchange,
        verb="exchange.disputed",
        message=f"{actor} disputed the exchange {exchange.title}: {reason}",
        actor=actor,
    )


@dataclass
class AutoConfirmRun:
    confirmed: list[Exchange] = field(default_factory=list)
    refused: list[tuple[Exchange, str]] = field(default_factory=list)


def auto_confirm_due(*, now: datetime | None = None) -> AutoConfirmRun:
    """Confirm every exchange whose recorded time has waited unanswered for the set days.

    Two kinds wait for an answer: time the giver recorded (the receiver hasn't confirmed:
    it is confirmed as recorded) and a correction the receiver suggested (the giver hasn't
    answered: the corrected time stands, as if accepted). Each is confirmed in its own
    transaction, under its row lock, after checking again that it is still waiting and due:
    a member answering at the same moment, or another run of this command, confirms it once
    (the loser sees it confirmed and skips it). An exchange the ledger refuses (a balance
    limit) stays as it was and is reported.
    """
    now = now or timezone.now()
    days = settings.OPENHOURS_EXCHANGE_AUTO_CONFIRM_DAYS
    cutoff = now - timedelta(days=days)
    run = AutoConfirmRun()
    due = Exchange.objects.filter(
        Q(state=State.DELIVERED, delivered_at__lte=cutoff)
        | Q(state=State.CORRECTION_PROPOSED, updated_at__lte=cutoff)
    )
    for exchange_id in due.order_by("pk").values_list("pk", flat=True):
        try:
            with transaction.atomic():
                exchange = c.lock(Exchange(pk=exchange_id))
                minutes, note = _waiting_answer(exchange, cutoff=cutoff, days=days)
                if minutes is None:
                    continue
                c.pay_and_confirm(exchange, minutes=minutes, actor=None, now=now, note=note)
                c.tell_both(
                    exchange,
                    verb="exchange.confirmed",
                    message=(
                        f"{exchange.title} was confirmed automatically for "
                        f"{minutes_in_words(minutes)}."
                    ),
                    actor=None,
                )
        except DomainError as exc:
            run.refused.append((Exchange.objects.get(pk=exchange_id), exc.message))
        else:
            run.confirmed.append(exchange)
    return run


def _waiting_answer(exchange: Exchange, *, cutoff: datetime, days: int) -> tuple[int | None, str]:
    """The minutes to confirm a (locked) exchange with, if it is still due; else None."""
    if not allows(exchange, "auto_confirm", None):
        return None, ""
    if exchange.state == State.DELIVERED:
        if exchange.delivered_at is None or exchange.delivered_at > cutoff:
            return None, ""
        return exchange.minutes, f"Confirmed automatically: no answer within {days} days."
    if exchange.state == State.CORRECTION_PROPOSED and exchange.updated_at <= cutoff:
        return (
            exchange.corrected_minutes,
            f"Correction accepted automatically: no answer within {days} days.",
        )
    return None, ""
