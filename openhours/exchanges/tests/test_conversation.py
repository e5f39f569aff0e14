"""Messages, contact details, thanks and feedback: who sees what, and when."""

from __future__ import annotations

import pytest

from openhours.accounts.models import User
from openhours.core.errors import DomainError
from openhours.exchanges import selectors, services
from openhours.exchanges.models import Exchange, Feedback, Helped
from openhours.members.services import get_or_create_profile
from openhours.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_the_parties_talk(proposed: Exchange, member: User, giver: User) -> None:
    services.post_message(exchange=proposed, author=member, body="Tuesday at 2?")
    messages = selectors.conversation_for_viewer(proposed, giver)
    assert messages is not None
    assert [m.body for m in messages] == ["I wrote one last year.", "Tuesday at 2?"]
    assert Notification.objects.filter(recipient=giver, verb="exchange.message").exists()


def test_outsiders_and_coordinators_cannot_post(
    proposed: Exchange, outsider: User, coordinator: User
) -> None:
    for person in (outsider, coordinator):
        with pytest.raises(DomainError, match="Only the two people in this exchange"):
            services.post_message(exchange=proposed, author=person, body="Hello")


def test_an_empty_message_is_refused(proposed: Exchange, member: User) -> None:
    with pytest.raises(DomainError) as caught:
        services.post_message(exchange=proposed, author=member, body="   ")
    assert caught.value.field == "body"


def test_no_messages_once_declined(proposed: Exchange, member: User) -> None:
    declined = services.decline_exchange(exchange=proposed, actor=member)
    with pytest.raises(DomainError, match="messages are off"):
        services.post_message(exchange=declined, author=member, body="Sorry")


def test_a_coordinator_reads_the_conversation_only_once_disputed(
    delivered: Exchange, member: User, coordinator: User, outsider: User
) -> None:
    assert selectors.conversation_for_viewer(delivered, coordinator) is None
    disputed = services.dispute_exchange(exchange=delivered, actor=member, reason="Too long")
    assert selectors.conversation_for_viewer(disputed, coordinator) is not None
    assert selectors.conversation_for_viewer(disputed, outsider) is None
    resolved = services.resolve_by_cancelling(
        exchange=disputed, coordinator=coordinator, reason="Agreed to drop it"
    )
    assert selectors.conversation_for_viewer(resolved, coordinator) is not None


def test_contact_details_appear_only_once_accepted(
    proposed: Exchange, member: User, giver: User, outsider: User
) -> None:
    profile = get_or_create_profile(member)
    profile.mode_in_person = True
    profile.save()
    assert selectors.contact_details_for_viewer(proposed, giver) is None
    assert selectors.contact_details_for_viewer(proposed, member) is None
    accepted = services.accept_exchange(exchange=proposed, actor=member)
    contact = selectors.contact_details_for_viewer(accepted, giver)
    assert contact is not None
    assert contact.email == "maya@nhs.net"
    assert "In person" in contact.modes
    assert selectors.contact_details_for_viewer(accepted, member).email == "gil@nhs.net"  # type: ignore[union-attr]
    assert selectors.contact_details_for_viewer(accepted, outsider) is None


def test_thanks_after_confirmation_once_each(
    confirmed: Exchange, member: User, giver: User
) -> None:
    thanks = services.leave_thanks(exchange=confirmed, author=member, body="That saved us weeks.")
    assert thanks.recipient == giver
    assert selectors.thanks_received(giver) == [thanks]
    assert Notification.objects.filter(recipient=giver, verb="exchange.thanks").exists()
    with pytest.raises(DomainError, match="already thanked Gil Giver"):
        services.leave_thanks(exchange=confirmed, author=member, body="Again")
    services.leave_thanks(exchange=confirmed, author=giver, body="A pleasure.")
    assert len(selectors.thanks_for_exchange(confirmed)) == 2


def test_thanks_before_confirmation_are_refused(delivered: Exchange, member: User) -> None:
    with pytest.raises(DomainError, match="once the exchange is confirmed"):
        services.leave_thanks(exchange=delivered, author=member, body="Thanks")


def test_thanks_are_short(confirmed: Exchange, member: User, outsider: User) -> None:
    with pytest.raises(DomainError, match="280 characters"):
        services.leave_thanks(exchange=confirmed, author=member, body="x" * 281)
    with pytest.raises(DomainError, match="not part of this exchange"):
        services.leave_thanks(exchange=confirmed, author=outsider, body="Nice")


def test_feedback_is_private_to_its_author_and_coordinators(
    confirmed: Exchange, member: User, giver: User
) -> None:
    feedback = services.leave_feedback(
        exchange=confirmed, author=member, helped=Helped.PARTLY, comment="Useful start"
    )
    assert selectors.own_feedback(confirmed, member) == feedback
    assert selectors.own_feedback(confirmed, giver) is None
    assert list(selectors.feedback_for_coordinators()) == [feedback]
    assert list(selectors.feedback_for_coordinators(helped=Helped.NO)) == []
    with pytest.raises(DomainError, match="already left feedback"):
        services.leave_feedback(exchange=confirmed, author=member, helped=Helped.YES)


def test_feedback_needs_a_confirmed_exchange(delivered: Exchange, member: User) -> None:
    with pytest.raises(DomainError, match="once the exchange is confirmed"):
        services.leave_feedback(exchange=delivered, author=member, helped=Helped.YES)
    assert not Feedback.objects.exists()


def test_feedback_needs_a_valid_answer(confirmed: Exchange, member: User) -> None:
    with pytest.raises(DomainError) as caught:
        services.leave_feedback(exchange=confirmed, author=member, helped="maybe")
    assert caught.value.field == "helped"
