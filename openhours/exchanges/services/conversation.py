"""Messages between the two parties, and thanks and feedback after confirmation."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from openhours.accounts.models import User
from openhours.core.errors import DomainError

from ..models import Exchange, ExchangeMessage, Feedback, Helped, State, Thanks
from . import _common as c

MAX_THANKS = 280


def post_message(*, exchange: Exchange, author: User, body: str) -> ExchangeMessage:
    """Only the two parties write; coordinators may read once there is a dispute."""
    body = body.strip()
    if not exchange.is_party(author):
        raise DomainError("Only the two people in this exchange can post messages.")
    if exchange.state in (State.DECLINED, State.CANCELLED):
        raise DomainError("This exchange was closed, so messages are off.")
    if not body:
        raise DomainError("Write a message first.", field="body")
    with transaction.atomic():
        message = ExchangeMessage.objects.create(
            exchange=exchange, author=author, body=body, created_at=timezone.now()
        )
        c.tell(
            exchange,
            recipient=exchange.other_party(author),
            verb="exchange.message",
            message=f"{author} sent a message about {exchange.title}.",
            actor=author,
        )
    return message


def _require_confirmed_party(exchange: Exchange, actor: User, what: str) -> None:
    c.require_party(exchange, actor)
    if exchange.state != State.CONFIRMED:
        raise DomainError(f"You can leave {what} once the exchange is confirmed.")


def leave_thanks(*, exchange: Exchange, author: User, body: str) -> Thanks:
    """One short thank-you per party; the other party sees it."""
    _require_confirmed_party(exchange, author, "thanks")
    body = body.strip()
    if not body:
        raise DomainError("Write a few words of thanks.", field="body")
    if len(body) > MAX_THANKS:
        raise DomainError(f"Keep it to {MAX_THANKS} characters.", field="body")
    recipient = exchange.other_party(author)
    if Thanks.objects.filter(exchange=exchange, author=author).exists():
        raise DomainError(f"You've already thanked {recipient} for this exchange.")
    try:
        with transaction.atomic():
            thanks = Thanks.objects.create(
                exchange=exchange,
                author=author,
                recipient=recipient,
                body=body,
                created_at=timezone.now(),
            )
            c.tell(
                exchange,
                recipient=recipient,
                verb="exchange.thanks",
                message=f"{author} thanked you for {exchange.title}: “{body}”",
                actor=author,
            )
    except IntegrityError:
        raise DomainError(f"You've already thanked {recipient} for this exchange.") from None
    return thanks


def leave_feedback(*, exchange: Exchange, author: User, helped: str, comment: str = "") -> Feedback:
    """Private to coordinators: did this exchange help? One per party."""
    _require_confirmed_party(exchange, author, "feedback")
    if helped not in Helped.values:
        raise DomainError("Say whether the exchange helped.", field="helped")
    if Feedback.objects.filter(exchange=exchange, author=author).exists():
        raise DomainError("You've already left feedback on this exchange. Thank you.")
    try:
        with transaction.atomic():
            return Feedback.objects.create(
                exchange=exchange,
                author=author,
                helped=helped,
                comment=comment.strip(),
                created_at=timezone.now(),
            )
    except IntegrityError:
        raise DomainError("You've already left feedback on this exchange. Thank you.") from None
