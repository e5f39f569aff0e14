"""Reads of exchanges. ``get_exchange_for_member`` is the only way a view obtains one."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from openhours.accounts.models import User
from openhours.accounts.permissions import Viewer
from openhours.members.models import Profile

from .models import (
    ACTIVE_STATES,
    FINISHED_STATES,
    Exchange,
    ExchangeEvent,
    ExchangeMessage,
    Feedback,
    State,
    Thanks,
)
from .permissions import can_read_conversation, can_see_contact_details, can_view
from .transitions import turn_q

SHOW_CHOICES = ("action", "active", "finished")


def get_exchange_for_member(exchange_id: int, user: Viewer) -> Exchange:
    """The exchange, for one of its two parties (or a coordinator once it is disputed or
    when one recorded it). Everyone else gets a 404, as if it didn't exist."""
    exchange = (
        Exchange.objects.select_related("giver", "receiver", "proposed_by", "post", "transfer")
        .filter(pk=exchange_id)
        .first()
    )
    if exchange is None or not can_view(user, exchange):
        raise Http404("No such exchange.")
    return exchange


def needs_action_filter(user: User) -> Q:
    """Exchanges whose next step is ``user``'s (the same rule as permissions.needs_action,
    both read from ``transitions.TRANSITIONS``)."""
    return turn_q(user)


def exchanges_for_member(user: User, *, show: str = "active") -> QuerySet[Exchange]:
    """The member's own exchanges: ``action`` (their turn), ``active`` or ``finished``."""
    mine = Exchange.objects.filter(Q(giver=user) | Q(receiver=user))
    if show == "action":
        mine = mine.filter(needs_action_filter(user))
    elif show == "finished":
        mine = mine.filter(state__in=FINISHED_STATES)
    else:
        mine = mine.filter(state__in=ACTIVE_STATES)
    return mine.select_related("giver", "receiver", "post").order_by("-updated_at", "-pk")


def counts_for_member(user: User) -> dict[str, int]:
    return {show: exchanges_for_member(user, show=show).count() for show in SHOW_CHOICES}


def timeline(exchange: Exchange) -> list[ExchangeEvent]:
    return list(exchange.events.select_related("actor").order_by("created_at", "pk"))


def conversation_for_viewer(exchange: Exchange, viewer: Viewer) -> list[ExchangeMessage] | None:
    """The messages, or None when this viewer may not read them."""
    if not can_read_conversation(viewer, exchange):
        return None
    return list(exchange.messages.select_related("author").order_by("created_at", "pk"))


@dataclass(frozen=True)
class ContactDetails:
    name: str
    email: str
    modes: list[str]
    availability: str


def contact_details_for_viewer(exchange: Exchange, viewer: Viewer) -> ContactDetails | None:
    """The other party's email and preferred ways to meet, once agreed; otherwise None."""
    if not can_see_contact_details(viewer, exchange):
        return None
    other = exchange.other_party(viewer)
    profile = Profile.objects.filter(user=other).first()
    return ContactDetails(
        name=str(other),
        email=other.email,
        modes=profile.modes if profile else [],
        availability=profile.availability if profile else "",
    )


def thanks_for_exchange(exchange: Exchange) -> list[Thanks]:
    return list(exchange.thanks.select_related("author", "recipient").order_by("created_at"))


def own_feedback(exchange: Exchange, user: Viewer) -> Feedback | None:
    """A member sees only the feedback they left themselves."""
    return Feedback.objects.filter(exchange=exchange, author_id=getattr(user, "pk", None)).first()


def thanks_received(user: User, *, limit: int = 5) -> list[Thanks]:
    return list(
        Thanks.objects.filter(recipient=user)
        .select_related("author", "exchange")
        .order_by("-created_at", "-pk")[:limit]
    )


def disputed_exchanges() -> QuerySet[Exchange]:
    return (
        Exchange.objects.filter(state=State.DISPUTED)
        .select_related("giver", "receiver")
        .order_by("disputed_at", "pk")
    )


def feedback_for_coordinators(*, helped: str = "") -> QuerySet[Feedback]:
    feedback = Feedback.objects.select_related("author", "exchange")
    if helped:
        feedback = feedback.filter(helped=helped)
    return feedback.order_by("-created_at", "-pk")
