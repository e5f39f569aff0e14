"""Who may see and do what with an exchange. Views call these; the services decide again.

Templates show only the actions listed by :func:`available_actions`, but a refused action
is still refused by the service with a plain-English message, so a stale page or a forged
request can never move an exchange the wrong way.
"""

from __future__ import annotations

from openhours.accounts.permissions import Viewer

from .models import Exchange, State


def can_view(user: Viewer, exchange: Exchange) -> bool:
    """The two parties; coordinators once it has been disputed or if one recorded it."""
    if exchange.is_party(user):
        return True
    if getattr(user, "is_coordinator", False):
        return exchange.disputed_at is not None or exchange.recorded_by_id is not None
    return False


def can_read_conversation(user: Viewer, exchange: Exchange) -> bool:
    """The parties always; a coordinator only while or after it is disputed."""
    if exchange.is_party(user):
        return True
    return bool(getattr(user, "is_coordinator", False) and exchange.disputed_at is not None)


def can_see_contact_details(user: Viewer, exchange: Exchange) -> bool:
    """The parties, once the exchange has been agreed. Never before."""
    return exchange.is_party(user) and exchange.accepted_at is not None


def can_resolve(user: Viewer, exchange: Exchange) -> bool:
    return bool(
        getattr(user, "is_coordinator", False)
        and not exchange.is_party(user)
        and exchange.state == State.DISPUTED
    )


def available_actions(user: Viewer, exchange: Exchange) -> set[str]:
    """The transitions this person may start from the exchange's current state."""
    actions: set[str] = set()
    if can_resolve(user, exchange):
        actions.add("resolve")
    if not exchange.is_party(user):
        return actions
    pk = user.pk
    is_giver = pk == exchange.giver_id
    state = exchange.state
    if state == State.PROPOSED:
        actions.add("cancel")
        if exchange.proposed_by_id != pk:
            actions |= {"accept", "decline"}
    elif state == State.ACCEPTED:
        actions.add("cancel")
        if is_giver:
            actions.add("deliver")
    elif state == State.DELIVERED:
        actions.add("dispute")
        if not is_giver:
            actions |= {"confirm", "correct"}
    elif state == State.CORRECTION_PROPOSED:
        actions.add("dispute")
        if is_giver:
            actions |= {"accept_correction", "reject_correction"}
    elif state == State.CONFIRMED:
        actions.add("repeat")
    if state not in (State.DECLINED, State.CANCELLED):
        actions.add("message")
    return actions


def needs_action(user: Viewer, exchange: Exchange) -> bool:
    """Whether the next step is this person's."""
    return bool(
        available_actions(user, exchange)
        & {"accept", "deliver", "confirm", "accept_correction", "resolve"}
    )
