"""The exchange workflow through its services: every transition, who may make it, and
what each refusal says."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from openhours.accounts.models import Approval, User
from openhours.accounts.tests.factories import UserFactory
from openhours.core.errors import DomainError
from openhours.exchanges import services
from openhours.exchanges.models import (
    Exchange,
    ExchangeMessage,
    State,
)
from openhours.ledger.models import Transfer
from openhours.ledger.selectors import balance
from openhours.notifications.models import Notification
from openhours.posts.models import Kind, Post
from openhours.posts.services import close_post
from openhours.posts.tests.factories import make_post

pytestmark = pytest.mark.django_db

History = Callable[[Exchange], list[tuple[str, str]]]


# Proposing ---------------------------------------------------------------------------


def test_answering_a_request_makes_the_responder_the_giver(
    proposed: Exchange, giver: User, member: User, request_post: Post
) -> None:
    assert proposed.state == State.PROPOSED
    assert (proposed.giver, proposed.receiver, proposed.proposed_by) == (giver, member, giver)
    assert proposed.title == request_post.title
    assert proposed.estimated_minutes == 120
    assert proposed.post == request_post
    assert ExchangeMessage.objects.get(exchange=proposed).body == "I wrote one last year."
    event = proposed.events.get()
    assert (event.from_state, event.to_state, event.actor) == ("", State.PROPOSED, giver)


def test_asking_for_an_offer_makes_the_author_the_giver(member: User, giver: User) -> None:
    offer = make_post(giver, kind=Kind.OFFER, title="QI coaching")
    exchange = services.respond_to_post(responder=member, post=offer, estimated_minutes=45)
    assert (exchange.giver, exchange.receiver) == (giver, member)
    assert exchange.estimated_minutes == 45
    assert not exchange.messages.exists()


def test_the_other_party_is_asked_to_act_on_a_proposal(proposed: Exchange, member: User) -> None:
    note = Notification.objects.get(recipient=member)
    assert note.verb == "exchange.proposed"
    assert note.needs_action
    assert note.url == f"/exchanges/{proposed.pk}/"


def test_a_member_starts_an_exchange_from_a_profile(member: User, giver: User) -> None:
    exchange = services.propose_to_member(
        proposer=member, other=giver, proposer_gives=False, title="Coffee and a chat about QI"
    )
    assert (exchange.giver, exchange.receiver, exchange.post) == (giver, member, None)
    mine = services.propose_to_member(
        proposer=member, other=giver, proposer_gives=True, title="I'll review your slides"
    )
    assert (mine.giver, mine.receiver) == (member, giver)


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("own", "This is your own request."),
        ("closed", "This request is closed."),
        ("twice", services.ALREADY_IN_PROGRESS),
        ("pending", "Your membership is waiting for a coordinator's approval."),
        ("author_pending", "Maya Member can't take part in exchanges at the moment."),
        ("estimate", "Record time in quarter hours, for example 0.75 or 1.5 hours."),
    ],
)
def test_responding_to_a_post_is_refused_when_it_cannot_go_ahead(
    setup: str, message: str, member: User, giver: User, request_post: Post
) -> None:
    responder, estimate = giver, None
    if setup == "own":
        responder = member
    elif setup == "closed":
        request_post = close_post(actor=member, post=request_post)
    elif setup == "twice":
        services.respond_to_post(responder=giver, post=request_post)
    elif setup == "pending":
        responder = UserFactory(approval=Approval.PENDING)
    elif setup == "author_pending":
        member.approval = Approval.PENDING
        member.save()
    elif setup == "estimate":
        estimate = 50
    before = Exchange.objects.count()
    with pytest.raises(DomainError) as caught:
        services.respond_to_post(responder=responder, post=request_post, estimated_minutes=estimate)
    assert caught.value.message == message
    assert Exchange.objects.count() == before


def test_nobody_starts_an_exchange_with_themselves(member: User) -> None:
    with pytest.raises(DomainError, match="with yourself"):
        services.propose_to_member(proposer=member, other=member, proposer_gives=True, title="x")


def test_a_direct_proposal_needs_a_title(member: User, giver: User) -> None:
    with pytest.raises(DomainError) as caught:
        services.propose_to_member(proposer=member, other=giver, proposer_gives=True, title=" ")
    assert caught.value.field == "title"


# Answering ---------------------------------------------------------------------------


def test_the_person_asked_accepts(
    accepted: Exchange, member: User, giver: User, states: History
) -> None:
    assert accepted.state == State.ACCEPTED
    assert accepted.accepted_at is not None
    assert states(accepted) == [("", "proposed"), ("proposed", "accepted")]
    assert Notification.objects.filter(recipient=giver, verb="exchange.accepted").exists()


def test_the_person_asked_declines(proposed: Exchange, member: User, states: History) -> None:
    exchange = services.decline_exchange(exchange=proposed, actor=member, reason="No time")
    assert exchange.state == State.DECLINED
    assert states(exchange)[-1] == ("proposed", "declined")
    assert exchange.events.last().note == "No time"  # type: ignore[union-attr]


@pytest.mark.parametrize("action", [services.accept_exchange, services.decline_exchange])
def test_the_proposer_cannot_answer_their_own_proposal(
    action: Callable[..., Exchange], proposed: Exchange, giver: User
) -> None:
    with pytest.raises(DomainError) as caught:
        action(exchange=proposed, actor=giver)
    verb = "accept" if action is services.accept_exchange else "decline"
    assert caught.value.message == f"You proposed this exchange, so Maya Member needs to {verb} it."
    proposed.refresh_from_db()
    assert proposed.state == State.PROPOSED


@pytest.mark.parametrize(
    "action",
    [
        services.accept_exchange,
        services.decline_exchange,
        services.cancel_exchange,
        services.confirm_exchange,
        services.accept_correction,
    ],
)
def test_an_outsider_is_refused_every_action(
    action: Callable[..., Exchange], proposed: Exchange, outsider: User
) -> None:
    with pytest.raises(DomainError) as caught:
        action(exchange=proposed, actor=outsider)
    assert caught.value.message == "You're not part of this exchange."
    assert proposed.events.count() == 1


def test_an_outsider_cannot_record_correct_or_dispute(delivered: Exchange, outsider: User) -> None:
    calls: list[Callable[[], object]] = [
        lambda: services.record_delivery(exchange=delivered, actor=outsider, minutes=60),
        lambda: services.propose_correction(
            exchange=delivered, actor=outsider, minutes=60, reason="x"
        ),
        lambda: services.dispute_exchange(exchange=delivered, actor=outsider, reason="x"),
        lambda: services.reject_correction(exchange=delivered, actor=outsider, reason="x"),
        lambda: services.repeat_exchange(exchange=delivered, actor=outsider),
    ]
    for call in calls:
        with pytest.raises(DomainError, match="You're not part of this exchange"):
            call()


def test_an_answered_proposal_cannot_be_answered_again(accepted: Exchange, member: User) -> None:
    with pytest.raises(DomainError, match="no longer waiting for an answer"):
        services.decline_exchange(exchange=accepted, actor=member)


# Cancelling --------------------------------------------------------------------------


def test_either_party_cancels_before_delivery(
    either_party: User, accepted: Exchange, states: History
) -> None:
    exchange = services.cancel_exchange(
        exchange=accepted, actor=either_party, reason="Plans changed"
    )
    assert exchange.state == State.CANCELLED
    assert states(exchange)[-1] == ("accepted", "cancelled")
    other = exchange.other_party(either_party)
    assert Notification.objects.filter(recipient=other, verb="exchange.cancelled").exists()


def test_the_proposer_can_withdraw_a_proposal(proposed: Exchange, giver: User) -> None:
    assert services.cancel_exchange(exchange=proposed, actor=giver).state == State.CANCELLED


def test_a_delivered_exchange_cannot_be_cancelled(delivered: Exchange, member: User) -> None:
    with pytest.raises(DomainError) as caught:
        services.cancel_exchange(exchange=delivered, actor=member)
    assert "dispute it" in caught.value.message
    delivered.refresh_from_db()
    assert delivered.state == State.DELIVERED


def test_a_finished_exchange_cannot_be_cancelled(confirmed: Exchange, giver: User) -> None:
    with pytest.raises(DomainError, match="already finished"):
        services.cancel_exchange(exchange=confirmed, actor=giver)


# Delivering --------------------------------------------------------------------------


def test_the_giver_records_the_time(delivered: Exchange, member: User, states: History) -> None:
    assert delivered.state == State.DELIVERED
    assert delivered.minutes == 90
    assert delivered.delivered_on == timezone.localdate()
    assert states(delivered)[-1] == ("accepted", "delivered")
    assert delivered.events.last().minutes == 90  # type: ignore[union-attr]
    note = Notification.objects.get(recipient=member, verb="exchange.delivered")
    assert note.needs_action
    assert balance(member) == 0  # nothing moves until it is confirmed


def test_the_receiver_cannot_record_the_time(accepted: Exchange, member: User) -> None:
    with pytest.raises(DomainError) as caught:
        services.record_delivery(exchange=accepted, actor=member, minutes=60)
    assert caught.value.message == (
        "Only Gil Giver, who gave the time, can record it. You confirm it once they have."
    )


def test_time_is_recorded_only_once_agreed(proposed: Exchange, giver: User) -> None:
    with pytest.raises(DomainError, match="Wait until the exchange is agreed"):
        services.record_delivery(exchange=proposed, actor=giver, minutes=60)


@pytest.mark.parametrize(
    ("minutes", "message"),
    [
        (0, "Record at least a quarter of an hour."),
        (-15, "Record at least a quarter of an hour."),
        (50, "Record time in quarter hours, for example 0.75 or 1.5 hours."),
        (495, "One exchange can record at most 8 hours."),
    ],
)
def test_time_is_recorded_in_quarter_hours_up_to_the_maximum(
    minutes: int, message: str, accepted: Exchange, giver: User
) -> None:
    with pytest.raises(DomainError) as caught:
        services.record_delivery(exchange=accepted, actor=giver, minutes=minutes)
    assert caught.value.message.startswith(message)
    assert caught.value.field == "hours"


def test_the_maximum_is_configurable(
    accepted: Exchange, giver: User, settings: pytest.FixtureRequest
) -> None:
    settings.OPENHOURS_EXCHANGE_MAX_MINUTES = 60  # type: ignore[attr-defined]
    with pytest.raises(DomainError, match="at most 1 hour"):
        services.record_delivery(exchange=accepted, actor=giver, minutes=75)


def test_time_cannot_be_recorded_for_a_future_date(accepted: Exchange, giver: User) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(DomainError) as caught:
        services.record_delivery(exchange=accepted, actor=giver, minutes=60, delivered_on=tomorrow)
    assert caught.value.field == "delivered_on"


def test_time_cannot_be_recorded_for_a_day_before_the_exchange_was_agreed(
    accepted: Exchange, giver: User
) -> None:
    assert accepted.accepted_at is not None
    agreed = timezone.localdate(accepted.accepted_at)
    with pytest.raises(DomainError, match="before the exchange was agreed") as caught:
        services.record_delivery(
            exchange=accepted, actor=giver, minutes=60, delivered_on=agreed - timedelta(days=1)
        )
    assert caught.value.field == "delivered_on"
    accepted.refresh_from_db()
    assert accepted.state == State.ACCEPTED
    # The day it was agreed is fine.
    done = services.record_delivery(exchange=accepted, actor=giver, minutes=60, delivered_on=agreed)
    assert done.delivered_on == agreed


# Confirming --------------------------------------------------------------------------


def test_the_receiver_confirms_and_the_credits_move(
    confirmed: Exchange, member: User, giver: User, states: History
) -> None:
    assert confirmed.state == State.CONFIRMED
    assert confirmed.transfer is not None
    assert confirmed.transfer.reference == f"exchange:{confirmed.pk}"
    assert confirmed.transfer.idempotency_key == f"exchange:{confirmed.pk}:confirm"
    assert confirmed.transfer.created_by == member
    assert (balance(giver), balance(member)) == (90, -90)
    assert states(confirmed)[-1] == ("delivered", "confirmed")
    assert Notification.objects.filter(recipient=giver, verb="exchange.confirmed").exists()


def test_the_giver_cannot_confirm_their_own_time(delivered: Exchange, giver: User) -> None:
    with pytest.raises(DomainError) as caught:
        services.confirm_exchange(exchange=delivered, actor=giver)
    assert caught.value.message == "Only Maya Member, who received the time, can confirm it."
    assert balance(giver) == 0


def test_nothing_to_confirm_before_delivery(accepted: Exchange, member: User) -> None:
    with pytest.raises(DomainError, match="no recorded time to confirm"):
        services.confirm_exchange(exchange=accepted, actor=member)


def test_confirming_twice_posts_once(delivered: Exchange, member: User, giver: User) -> None:
    first = services.confirm_exchange(exchange=delivered, actor=member)
    second = services.confirm_exchange(exchange=delivered, actor=member)  # stale object
    assert first.transfer_id == second.transfer_id
    assert Transfer.objects.filter(reference=f"exchange:{delivered.pk}").count() == 1
    assert delivered.events.filter(to_state=State.CONFIRMED).count() == 1
    assert balance(giver) == 90


def test_a_ledger_limit_leaves_the_exchange_delivered(
    delivered: Exchange, member: User, giver: User, settings: pytest.FixtureRequest
) -> None:
    settings.OPENHOURS_LEDGER_LOWER_LIMIT_MINUTES = -60  # type: ignore[attr-defined]
    with pytest.raises(DomainError) as caught:
        services.confirm_exchange(exchange=delivered, actor=member)
    assert "lower limit" in caught.value.message
    delivered.refresh_from_db()
    assert delivered.state == State.DELIVERED
    assert delivered.transfer_id is None
    assert not delivered.events.filter(to_state=State.CONFIRMED).exists()
    assert (balance(giver), balance(member)) == (0, 0)
    assert not Notification.objects.filter(verb="exchange.confirmed").exists()


# Correcting --------------------------------------------------------------------------


def test_the_receiver_proposes_a_correction(
    corrected: Exchange, giver: User, states: History
) -> None:
    assert corrected.state == State.CORRECTION_PROPOSED
    assert (corrected.minutes, corrected.corrected_minutes) == (90, 60)
    assert corrected.correction_reason == "We finished early."
    assert states(corrected)[-1] == ("delivered", "correction_proposed")
    note = Notification.objects.get(recipient=giver, verb="exchange.correction_proposed")
    assert note.needs_action


def test_the_giver_accepts_a_correction(
    corrected: Exchange, giver: User, member: User, states: History
) -> None:
    exchange = services.accept_correction(exchange=corrected, actor=giver)
    assert exchange.state == State.CONFIRMED
    assert exchange.minutes == 60
    assert (balance(giver), balance(member)) == (60, -60)
    assert states(exchange)[-1] == ("correction_proposed", "confirmed")


def test_the_giver_rejects_a_correction(
    corrected: Exchange, giver: User, coordinator: User, states: History
) -> None:
    exchange = services.reject_correction(
        exchange=corrected, actor=giver, reason="It was 90 minutes."
    )
    assert exchange.state == State.DISPUTED
    assert exchange.disputed_at is not None
    assert states(exchange)[-1] == ("correction_proposed", "disputed")
    assert Notification.objects.filter(recipient=coordinator, verb="exchange.disputed").exists()
    assert balance(giver) == 0


def test_rejecting_a_correction_needs_a_reason(corrected: Exchange, giver: User) -> None:
    with pytest.raises(DomainError) as caught:
        services.reject_correction(exchange=corrected, actor=giver, reason="  ")
    assert caught.value.field == "reason"


def test_only_the_giver_answers_a_correction(corrected: Exchange, member: User) -> None:
    with pytest.raises(DomainError) as caught:
        services.accept_correction(exchange=corrected, actor=member)
    assert caught.value.message == "Gil Giver, who gave the time, answers the correction."


def test_the_receiver_must_wait_for_the_answer_to_a_correction(
    corrected: Exchange, member: User
) -> None:
    with pytest.raises(DomainError, match="Gil Giver needs to answer it first"):
        services.confirm_exchange(exchange=corrected, actor=member)


def test_only_the_receiver_corrects(delivered: Exchange, giver: User) -> None:
    with pytest.raises(DomainError, match="Only Maya Member, who received the time"):
        services.propose_correction(exchange=delivered, actor=giver, minutes=60, reason="x")


def test_a_correction_must_change_the_time_and_give_a_reason(
    delivered: Exchange, member: User
) -> None:
    with pytest.raises(DomainError, match="confirm it instead"):
        services.propose_correction(exchange=delivered, actor=member, minutes=90, reason="x")
    with pytest.raises(DomainError, match="Say why the time should be different"):
        services.propose_correction(exchange=delivered, actor=member, minutes=60, reason="")


def test_no_correction_to_answer(delivered: Exchange, giver: User) -> None:
    with pytest.raises(DomainError, match="no correction waiting"):
        services.accept_correction(exchange=delivered, actor=giver)


# Disputing ---------------------------------------------------------------------------


def test_either_party_disputes_recorded_time(
    either_party: User, delivered: Exchange, coordinator: User
) -> None:
    exchange = services.dispute_exchange(
        exchange=delivered, actor=either_party, reason="Wrong hours"
    )
    assert exchange.state == State.DISPUTED
    assert exchange.events.last().note == "Wrong hours"  # type: ignore[union-attr]
    assert Notification.objects.get(recipient=coordinator).needs_action


def test_a_correction_can_be_disputed(corrected: Exchange, member: User) -> None:
    exchange = services.dispute_exchange(exchange=corrected, actor=member, reason="No answer")
    assert exchange.state == State.DISPUTED


@pytest.mark.parametrize(
    ("fixture", "message"),
    [
        ("accepted", "No time has been recorded yet. You can cancel this exchange instead."),
        ("disputed", "This exchange is already with a coordinator."),
        ("confirmed", "This exchange is finished, so it can't be disputed."),
    ],
)
def test_disputes_only_for_recorded_unconfirmed_time(
    fixture: str, message: str, request: pytest.FixtureRequest, member: User
) -> None:
    exchange = request.getfixturevalue(fixture)
    with pytest.raises(DomainError) as caught:
        services.dispute_exchange(exchange=exchange, actor=member, reason="x")
    assert caught.value.message == message


def test_a_dispute_needs_a_reason(delivered: Exchange, member: User) -> None:
    with pytest.raises(DomainError) as caught:
        services.dispute_exchange(exchange=delivered, actor=member, reason="")
    assert caught.value.message == "Say what went wrong, so a coordinator can help."
    assert caught.value.field == "reason"
