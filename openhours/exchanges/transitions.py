"""The exchange state machine, as one table: every move, who may make it, which service.

``TRANSITIONS`` is the single statement of the workflow. The services check each move
against it (:func:`check_transition`, after locking the row), ``permissions`` derives what
the exchange page offers from it (:func:`allows`), ``selectors.needs_action_filter``
derives "whose turn is it" from it (:func:`turn_q`), and the table in docs/architecture.md
("Exchanges") is :func:`render_markdown` of it (``manage.py exchange_transitions`` prints
it; a test keeps the two equal).

Moves are named by *action*, not by target state, because two moves can reach the same
state from the same state by different people with different consequences: rejecting a
correction (the giver) and disputing (either party) both go from correction_proposed to
disputed; confirming by the receiver and by the system both reach confirmed.

The refusal messages live here too, beside the rule they explain, so a member who tries a
move that isn't theirs is told why in the same words whichever way they got there.
"""

from __future__ import annotations

import enum
import functools
import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.db.models import Q

from openhours.accounts.models import User
from openhours.accounts.permissions import Viewer, require_coordinator
from openhours.core.errors import DomainError

from .models import Exchange, State

NOT_A_PARTY = "You're not part of this exchange."
APPROVAL_NEEDED = "Your membership is waiting for a coordinator's approval."


class Who(enum.Enum):
    """Who may make a move. The value is how docs/architecture.md says it."""

    MEMBER = "an approved member"
    ASKED = "the one who was asked"
    GIVER = "the giver"
    RECEIVER = "the receiver"
    EITHER = "either party"
    COORDINATOR = "a coordinator who is not a party"
    SYSTEM = "the system"


@dataclass(frozen=True, kw_only=True)
class Transition:
    """One move. ``sources`` of ``(None,)`` means the exchange is new (not yet saved).

    ``offer`` is the action the exchange page offers for this move (two moves may share
    one: a coordinator's "resolve" page confirms or cancels), or "" when the page never
    offers it. ``next_step`` marks a move the exchange is waiting for: whoever may make it
    sees the exchange as needing their action. ``new_exchange`` marks a move that leaves
    this exchange as it is and starts another in ``target`` (repeating a confirmed one).

    Refusals: ``not_allowed`` when the actor is not the right person (for a party
    rule, once they are known to be a party; ``{giver}``, ``{receiver}`` and ``{other}``
    are filled in); for a coordinator's move, ``coordinators_can`` finishes
    ``require_coordinator``'s "Only coordinators can …" and ``own_exchange`` refuses a
    coordinator who is a party; ``wrong_state`` when
    the exchange is not in a source state, unless ``wrong_states`` says something more
    specific for the state it is in.
    """

    action: str
    sources: tuple[State | None, ...]
    target: State
    who: Who
    services: tuple[str, ...]
    note: str = ""
    offer: str = ""
    next_step: bool = False
    new_exchange: bool = False
    not_allowed: str = ""
    coordinators_can: str = ""
    own_exchange: str = ""
    wrong_state: str = ""
    wrong_states: Mapping[State, str] = field(default_factory=dict)


RESOLVE_OWN = "You're part of this exchange, so another coordinator needs to resolve it."
FINISHED = "This exchange is already finished."
RECORDED = (
    "Time has been recorded, so this exchange can't be cancelled. "
    "If something went wrong, dispute it and a coordinator will help."
)
NOT_YET_RECORDED = "No time has been recorded yet. You can cancel this exchange instead."

TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        action="propose",
        sources=(None,),
        target=State.PROPOSED,
        who=Who.MEMBER,
        services=("respond_to_post", "propose_to_member"),
        note="answering a post, or starting from a profile",
        not_allowed=APPROVAL_NEEDED,
    ),
    Transition(
        action="repeat",
        sources=(State.CONFIRMED,),
        target=State.PROPOSED,
        who=Who.EITHER,
        services=("repeat_exchange",),
        note="a new exchange, same people, roles, title and post",
        offer="repeat",
        new_exchange=True,
        wrong_state="You can repeat an exchange once it's confirmed.",
    ),
    Transition(
        action="accept",
        sources=(State.PROPOSED,),
        target=State.ACCEPTED,
        who=Who.ASKED,
        services=("accept_exchange",),
        note="contact details are shown to both from now on",
        offer="accept",
        next_step=True,
        not_allowed="You proposed this exchange, so {other} needs to accept it.",
        wrong_state="This exchange is no longer waiting for an answer.",
    ),
    Transition(
        action="decline",
        sources=(State.PROPOSED,),
        target=State.DECLINED,
        who=Who.ASKED,
        services=("decline_exchange",),
        note="with a reason, if they like",
        offer="decline",
        not_allowed="You proposed this exchange, so {other} needs to decline it.",
        wrong_state="This exchange is no longer waiting for an answer.",
    ),
    Transition(
        action="cancel",
        sources=(State.PROPOSED, State.ACCEPTED),
        target=State.CANCELLED,
        who=Who.EITHER,
        services=("cancel_exchange",),
        note="no time recorded yet",
        offer="cancel",
        wrong_state=RECORDED,
        wrong_states=dict.fromkeys((State.CONFIRMED, State.DECLINED, State.CANCELLED), FINISHED),
    ),
    Transition(
        action="deliver",
        sources=(State.ACCEPTED,),
        target=State.DELIVERED,
        who=Who.GIVER,
        services=("record_delivery",),
        note="with the minutes (quarter hours, at most `OPENHOURS_EXCHANGE_MAX_MINUTES`)",
        offer="deliver",
        next_step=True,
        not_allowed=(
            "Only {giver}, who gave the time, can record it. You confirm it once they have."
        ),
        wrong_state="Time can't be recorded for this exchange now.",
        wrong_states={State.PROPOSED: "Wait until the exchange is agreed before recording time."},
    ),
    Transition(
        action="confirm",
        sources=(State.DELIVERED,),
        target=State.CONFIRMED,
        who=Who.RECEIVER,
        services=("confirm_exchange",),
        note="the recorded minutes; confirming again changes nothing",
        offer="confirm",
        next_step=True,
        not_allowed="Only {receiver}, who received the time, can confirm it.",
        wrong_state="There's no recorded time to confirm.",
        wrong_states={
            State.CORRECTION_PROPOSED: (
                "You suggested a correction; {giver} needs to answer it first."
            )
        },
    ),
    Transition(
        action="correct",
        sources=(State.DELIVERED,),
        target=State.CORRECTION_PROPOSED,
        who=Who.RECEIVER,
        services=("propose_correction",),
        note="with other minutes and a reason",
        offer="correct",
        not_allowed="Only {receiver}, who received the time, can correct it.",
        wrong_state="Only recorded time that isn't confirmed yet can be corrected.",
    ),
    Transition(
        action="accept_correction",
        sources=(State.CORRECTION_PROPOSED,),
        target=State.CONFIRMED,
        who=Who.GIVER,
        services=("accept_correction",),
        note="the corrected minutes",
        offer="accept_correction",
        next_step=True,
        not_allowed="{giver}, who gave the time, answers the correction.",
        wrong_state="There's no correction waiting for an answer.",
    ),
    Transition(
        action="reject_correction",
        sources=(State.CORRECTION_PROPOSED,),
        target=State.DISPUTED,
        who=Who.GIVER,
        services=("reject_correction",),
        note="with a reason",
        offer="reject_correction",
        not_allowed="{giver}, who gave the time, answers the correction.",
        wrong_state="There's no correction waiting for an answer.",
    ),
    Transition(
        action="dispute",
        sources=(State.DELIVERED, State.CORRECTION_PROPOSED),
        target=State.DISPUTED,
        who=Who.EITHER,
        services=("dispute_exchange",),
        note="with a reason; coordinators are told",
        offer="dispute",
        wrong_state="This exchange is finished, so it can't be disputed.",
        wrong_states={
            State.PROPOSED: NOT_YET_RECORDED,
            State.ACCEPTED: NOT_YET_RECORDED,
            State.DISPUTED: "This exchange is already with a coordinator.",
        },
    ),
    Transition(
        action="auto_confirm",
        sources=(State.DELIVERED, State.CORRECTION_PROPOSED),
        target=State.CONFIRMED,
        who=Who.SYSTEM,
        services=("auto_confirm_due",),
        note=(
            "after `OPENHOURS_EXCHANGE_AUTO_CONFIRM_DAYS` with no answer: the recorded, "
            "or the corrected, minutes"
        ),
        not_allowed="Only the automatic confirmation can do that.",
        wrong_state="This exchange isn't waiting for an answer.",
    ),
    Transition(
        action="resolve_confirm",
        sources=(State.DISPUTED,),
        target=State.CONFIRMED,
        who=Who.COORDINATOR,
        services=("resolve_by_confirming",),
        note="with a reason and the minutes to confirm",
        offer="resolve",
        next_step=True,
        coordinators_can="resolve disputes",
        own_exchange=RESOLVE_OWN,
        wrong_state="This exchange isn't disputed.",
    ),
    Transition(
        action="resolve_cancel",
        sources=(State.DISPUTED,),
        target=State.CANCELLED,
        who=Who.COORDINATOR,
        services=("resolve_by_cancelling",),
        note="with a reason",
        offer="resolve",
        next_step=True,
        coordinators_can="resolve disputes",
        own_exchange=RESOLVE_OWN,
        wrong_state="This exchange isn't disputed.",
    ),
    Transition(
        action="record_offline",
        sources=(None,),
        target=State.CONFIRMED,
        who=Who.COORDINATOR,
        services=("record_offline_exchange",),
        note="recording an exchange for offline members, with a reason",
        coordinators_can="record exchanges for other members",
        own_exchange="You can't record an exchange you took part in; ask another coordinator.",
    ),
)

BY_ACTION: Mapping[str, Transition] = {t.action: t for t in TRANSITIONS}


def current_state(exchange: Exchange) -> State | None:
    """The exchange's state, or None for one not yet saved (the move creates it)."""
    return None if exchange._state.adding else State(exchange.state)


def _actor_refusal(t: Transition, exchange: Exchange, actor: Viewer | None) -> str | None:
    """Why ``actor`` may not make this move, or None when they may (state aside)."""
    who = t.who
    if who is Who.SYSTEM:
        return None if actor is None else t.not_allowed
    if actor is None:
        return NOT_A_PARTY
    if who is Who.MEMBER:
        approved = isinstance(actor, User) and actor.is_approved_member
        return None if approved else t.not_allowed
    if who is Who.COORDINATOR:
        # The rule require_coordinator applies: the role, held by an approved, active member.
        if not (isinstance(actor, User) and actor.is_coordinator):
            return f"Only coordinators can {t.coordinators_can}."
        return t.own_exchange if exchange.is_party(actor) else None
    if not exchange.is_party(actor):
        return NOT_A_PARTY
    pk = actor.pk
    right_person = {
        Who.EITHER: True,
        Who.ASKED: pk != exchange.proposed_by_id,
        Who.GIVER: pk == exchange.giver_id,
        Who.RECEIVER: pk == exchange.receiver_id,
    }[who]
    return None if right_person else t.not_allowed


def _fill(message: str, exchange: Exchange, actor: Viewer | None) -> str:
    if "{" not in message:
        return message
    return message.format(
        giver=exchange.giver,
        receiver=exchange.receiver,
        other=exchange.other_party(actor) if actor is not None else "",
    )


def allows(exchange: Exchange, action: str, actor: Viewer | None) -> bool:
    """Whether ``actor`` (a user, anyone for a page, or None for the system) may make
    this move now. Never raises: for pages deciding what to offer."""
    t = BY_ACTION[action]
    return current_state(exchange) in t.sources and _actor_refusal(t, exchange, actor) is None


def check_transition(exchange: Exchange, action: str, actor: User | None) -> Transition:
    """Refuse, with the plain-English reason, a move this actor may not make now.

    Called by the service that performs the move, inside its transaction and after it has
    locked the exchange row, so the state it checks is the state it will change. The
    person is checked before the state: someone who isn't a party learns nothing about
    where the exchange has got to.
    """
    t = BY_ACTION[action]
    if t.who is Who.COORDINATOR and actor is not None:
        require_coordinator(actor, to=t.coordinators_can)
    refusal = _actor_refusal(t, exchange, actor)
    if refusal is None:
        state = current_state(exchange)
        if state not in t.sources:
            specific = t.wrong_states.get(state) if state is not None else None
            refusal = specific or t.wrong_state
    if refusal is not None:
        raise DomainError(_fill(refusal, exchange, actor))
    return t


def offered(exchange: Exchange, actor: Viewer) -> set[str]:
    """The page actions open to ``actor`` on this exchange now."""
    return {t.offer for t in TRANSITIONS if t.offer and allows(exchange, t.action, actor)}


def next_step_actions() -> set[str]:
    """Page actions that mean the exchange is waiting for whoever may take them."""
    return {t.offer for t in TRANSITIONS if t.next_step and t.offer}


def turn_q(user: User) -> Q:
    """The exchanges where a next step is ``user``'s as one of the parties, as a filter.

    The database twin of ``next_step`` and ``allows`` for the parties' rules (a
    coordinator's next step, resolving, is never on one of their own exchanges).
    """
    party = Q(giver=user) | Q(receiver=user)
    by_who: dict[Who, Q] = {
        Who.ASKED: party & ~Q(proposed_by=user),
        Who.GIVER: Q(giver=user),
        Who.RECEIVER: Q(receiver=user),
        Who.EITHER: party,
    }
    turns = [
        Q(state__in=[s for s in t.sources if s is not None]) & by_who[t.who]
        for t in TRANSITIONS
        if t.next_step and t.who in by_who
    ]
    return functools.reduce(operator.or_, turns)


# --- the docs table ----------------------------------------------------------------------


def _states(states: Sequence[State | None]) -> str:
    return ", ".join(s.value if s is not None else "—" for s in states)


def render_markdown() -> str:
    """The transitions table for docs/architecture.md, one row per move."""
    lines = [
        "| action | from | to | who | service | notes |",
        "|---|---|---|---|---|---|",
    ]
    for t in TRANSITIONS:
        cells = [
            f"`{t.action}`",
            _states(t.sources),
            f"{t.target.value} (a new exchange)" if t.new_exchange else t.target.value,
            t.who.value,
            ", ".join(f"`{name}`" for name in t.services),
            t.note,
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
