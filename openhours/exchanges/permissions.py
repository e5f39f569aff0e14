"""Who may see and do what with an exchange. Views call these; the services decide again.

What someone may *do* is read from the state machine in ``transitions.py``, the same table
the services check each move against, so the page never offers a move the service refuses.

Templates show only the actions listed by :func:`available_actions`, but a refused action
is still refused by the service with a plain-English message, so a stale page or a forged
request can never move an exchange the wrong way.
"""

from __future__ import annotations

from openhours.accounts.permissions import Viewer

from .models import Exchange, State
from .transitions import allows, next_step_actions, offered


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
    return allows(exchange, "resolve_confirm", user)


def available_actions(user: Viewer, exchange: Exchange) -> set[str]:
    """The transitions this person may start from the exchange's current state, as the
    page names them (``transitions.TRANSITIONS``), and "message" while it is open."""
    actions = offered(exchange, user)
    if exchange.is_party(user) and exchange.state not in (State.DECLINED, State.CANCELLED):
        actions.add("message")
    return actions


def needs_action(user: Viewer, exchange: Exchange) -> bool:
    """Whether the next step is this person's."""
    return bool(available_actions(user, exchange) & next_step_actions())
