"""Exchange pages: the happy paths, and every refusal a person can meet in a browser."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openhours.accounts.models import Approval, User
from openhours.accounts.tests.factories import UserFactory
from openhours.exchanges import services
from openhours.exchanges.models import Exchange, Feedback, Helped, State, Thanks
from openhours.ledger.selectors import balance
from openhours.members.models import Visibility
from openhours.members.services import get_or_create_profile
from openhours.posts.models import Kind, Post
from openhours.posts.tests.factories import make_post

from .pages import page, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def giver_client(giver: User) -> Client:
    c = Client()
    c.force_login(giver)
    return c


# Starting ------------------------------------------------------------------------------


def proposal(**data: str) -> dict[str, str]:
    """A proposal form's fields, with the fresh key each form shown carries."""
    return {"proposal_key": str(uuid.uuid4()), **data}


def test_the_post_page_offers_the_right_button(
    request_post: Post, giver_client: Client, member_client: Client, giver: User
) -> None:
    detail = reverse("posts:detail", args=[request_post.pk])
    respond = reverse("exchanges:respond", args=[request_post.pk])
    assert "I can help" in page(giver_client.get(detail))
    assert respond in page(giver_client.get(detail))
    assert respond not in page(member_client.get(detail))  # the author
    offer = make_post(giver, kind=Kind.OFFER, title="QI coaching")
    assert "I'd like this" in page(member_client.get(reverse("posts:detail", args=[offer.pk])))


def test_a_member_offers_help_from_a_request(
    request_post: Post, giver_client: Client, giver: User
) -> None:
    response = giver_client.post(
        reverse("exchanges:respond", args=[request_post.pk]),
        proposal(message="Happy to help", estimated_hours="1.5"),
    )
    exchange = Exchange.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("detail", exchange)
    assert (exchange.giver, exchange.estimated_minutes) == (giver, 90)


def test_responding_twice_is_explained(request_post: Post, giver_client: Client) -> None:
    path = reverse("exchanges:respond", args=[request_post.pk])
    giver_client.post(path, proposal(message=""))
    response = giver_client.post(path, proposal(message=""))
    assert response.status_code == 400
    assert services.ALREADY_IN_PROGRESS in page(response)
    assert Exchange.objects.count() == 1


def test_a_bad_estimate_is_shown_beside_the_field(request_post: Post, giver_client: Client) -> None:
    response = giver_client.post(
        reverse("exchanges:respond", args=[request_post.pk]), proposal(estimated_hours="0.3")
    )
    assert response.status_code == 400
    assert 'id="id_estimated_hours_error"' in page(response)
    assert not Exchange.objects.exists()


def test_a_member_starts_an_exchange_from_a_profile(
    member_client: Client, member: User, giver: User
) -> None:
    get_or_create_profile(giver)
    get_or_create_profile(member)
    profile_page = page(member_client.get(reverse("members:detail", args=[giver.pk])))
    start = reverse("exchanges:start", args=[giver.pk])
    assert start in profile_page
    assert start not in page(member_client.get(reverse("members:detail", args=[member.pk])))
    response = member_client.post(
        start, proposal(direction="receive", title="A look at my audit plan", message="Hi")
    )
    exchange = Exchange.objects.get()
    assert response.status_code == 302
    assert (exchange.giver, exchange.receiver) == (giver, member)


def test_no_exchange_with_yourself_or_a_hidden_profile(
    member_client: Client, member: User, giver: User
) -> None:
    get_or_create_profile(member)
    response = member_client.post(
        reverse("exchanges:start", args=[member.pk]), proposal(direction="give", title="x")
    )
    assert response.status_code == 302
    profile = get_or_create_profile(giver)
    profile.visibility = Visibility.HIDDEN
    profile.save()
    response = member_client.get(reverse("exchanges:start", args=[giver.pk]))
    assert response.status_code == 404
    assert not Exchange.objects.exists()


def test_a_pending_member_is_sent_to_wait(request_post: Post) -> None:
    pending = UserFactory(approval=Approval.PENDING)
    c = Client()
    c.force_login(pending)
    response = c.post(reverse("exchanges:respond", args=[request_post.pk]), {})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:awaiting_approval")
    assert not Exchange.objects.exists()


def test_anonymous_visitors_are_asked_to_sign_in(proposed: Exchange, client: Client) -> None:
    response = client.get(url("detail", proposed))
    assert response.status_code == 302
    assert "login" in response["Location"]


# The exchange page ---------------------------------------------------------------------


def test_outsiders_and_coordinators_get_a_404(
    proposed: Exchange, outsider_client: Client, coordinator_client: Client
) -> None:
    for c in (outsider_client, coordinator_client):
        assert c.get(url("detail", proposed)).status_code == 404
        assert c.post(url("accept", proposed)).status_code == 404
        assert c.post(url("message", proposed), {"body": "hi"}).status_code == 404
    proposed.refresh_from_db()
    assert proposed.state == State.PROPOSED


def test_each_party_sees_only_their_own_buttons(
    proposed: Exchange, member_client: Client, giver_client: Client
) -> None:
    askee = page(member_client.get(url("detail", proposed)))
    assert url("accept", proposed) in askee
    assert url("decline", proposed) in askee
    proposer = page(giver_client.get(url("detail", proposed)))
    assert url("accept", proposed) not in proposer
    assert url("cancel", proposed) in proposer


def test_contact_details_are_hidden_until_accepted(
    proposed: Exchange, member_client: Client, giver_client: Client, member: User
) -> None:
    assert "maya@nhs.net" not in page(giver_client.get(url("detail", proposed)))
    assert "gil@nhs.net" not in page(member_client.get(url("detail", proposed)))
    response = member_client.post(url("accept", proposed))
    assert response.status_code == 302
    assert "maya@nhs.net" in page(giver_client.get(url("detail", proposed)))
    assert "gil@nhs.net" in page(member_client.get(url("detail", proposed)))


def test_the_whole_path_in_the_browser(
    proposed: Exchange, member_client: Client, giver_client: Client, giver: User
) -> None:
    member_client.post(url("accept", proposed))
    today = timezone.localdate().isoformat()
    response = giver_client.post(
        url("deliver", proposed), {"hours": "1.25", "delivered_on": today, "note": ""}
    )
    assert response.status_code == 302
    detail = page(member_client.get(url("detail", proposed)))
    assert "Confirm 1.25 hours" in detail
    member_client.post(url("confirm", proposed))
    proposed.refresh_from_db()
    assert proposed.state == State.CONFIRMED
    assert balance(giver) == 75
    assert "Repeat this exchange" in page(member_client.get(url("detail", proposed)))


def test_time_not_in_quarter_hours_is_refused_beside_the_hours_box(
    accepted: Exchange, giver_client: Client
) -> None:
    today = timezone.localdate().isoformat()
    response = giver_client.post(
        url("deliver", accepted), {"hours": "1.1", "delivered_on": today, "note": ""}
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "hours": ["Use quarter hours, for example 0.75 or 1.5."]
    }
    accepted.refresh_from_db()
    assert accepted.state == State.ACCEPTED


def test_a_wrong_step_is_explained_not_performed(accepted: Exchange, member_client: Client) -> None:
    response = member_client.post(url("confirm", accepted), follow=True)
    assert "no recorded time to confirm" in page(response)
    response = member_client.get(url("deliver", accepted), follow=True)
    assert "That step isn&#x27;t open to you" in page(response)
    response = member_client.post(
        url("deliver", accepted), {"hours": "1", "delivered_on": "", "note": ""}
    )
    assert response.status_code == 400
    assert "Only Gil Giver, who gave the time, can record it." in page(response)
    accepted.refresh_from_db()
    assert accepted.state == State.ACCEPTED


def test_a_ledger_refusal_is_shown_and_the_exchange_stays_delivered(
    delivered: Exchange, member_client: Client, settings: pytest.FixtureRequest
) -> None:
    settings.OPENHOURS_LEDGER_LOWER_LIMIT_MINUTES = -60  # type: ignore[attr-defined]
    response = member_client.post(url("confirm", delivered), follow=True)
    assert "lower limit" in page(response)
    delivered.refresh_from_db()
    assert delivered.state == State.DELIVERED


def test_declining_asks_first(proposed: Exchange, member_client: Client) -> None:
    response = member_client.get(url("decline", proposed))
    assert response.status_code == 200
    assert "Yes, decline it" in page(response)
    proposed.refresh_from_db()
    assert proposed.state == State.PROPOSED
    member_client.post(url("decline", proposed), {"reason": ""})
    proposed.refresh_from_db()
    assert proposed.state == State.DECLINED


def test_cancelling_asks_first(accepted: Exchange, giver_client: Client) -> None:
    assert "Yes, cancel it" in page(giver_client.get(url("cancel", accepted)))
    giver_client.post(url("cancel", accepted), {"reason": "Plans changed"})
    accepted.refresh_from_db()
    assert accepted.state == State.CANCELLED


def test_a_dispute_needs_a_reason_beside_the_field(
    delivered: Exchange, member_client: Client
) -> None:
    assert "Yes, ask a coordinator" in page(member_client.get(url("dispute", delivered)))
    response = member_client.post(url("dispute", delivered), {"reason": ""})
    assert response.status_code == 400
    assert 'id="id_reason_error"' in page(response)
    member_client.post(url("dispute", delivered), {"reason": "It didn't happen"})
    delivered.refresh_from_db()
    assert delivered.state == State.DISPUTED


def test_correction_and_its_answers(
    delivered: Exchange, member_client: Client, giver_client: Client
) -> None:
    member_client.post(url("correct", delivered), {"hours": "1", "reason": "Shorter"})
    delivered.refresh_from_db()
    assert delivered.state == State.CORRECTION_PROPOSED
    assert "Accept 1 hour" in page(giver_client.get(url("detail", delivered)))
    assert "Yes, reject it" in page(giver_client.get(url("reject_correction", delivered)))
    giver_client.post(url("accept_correction", delivered))
    delivered.refresh_from_db()
    assert (delivered.state, delivered.minutes) == (State.CONFIRMED, 60)


def test_rejecting_a_correction_sends_it_to_a_coordinator(
    corrected: Exchange, giver_client: Client
) -> None:
    giver_client.post(url("reject_correction", corrected), {"reason": "It was 90"})
    corrected.refresh_from_db()
    assert corrected.state == State.DISPUTED


def test_repeat_from_the_page(confirmed: Exchange, giver_client: Client) -> None:
    response = giver_client.post(url("repeat", confirmed))
    again = Exchange.objects.exclude(pk=confirmed.pk).get()
    assert response["Location"] == url("detail", again)
    assert again.repeat_of == confirmed


# Conversation --------------------------------------------------------------------------


def test_a_message_without_javascript(proposed: Exchange, member_client: Client) -> None:
    response = member_client.post(url("message", proposed), {"body": "Tuesday?"})
    assert response.status_code == 302
    assert response["Location"].endswith("#conversation")
    assert "Tuesday?" in page(member_client.get(url("detail", proposed)))


def test_a_message_with_htmx_returns_the_conversation(
    proposed: Exchange, member_client: Client
) -> None:
    response = member_client.post(
        url("message", proposed), {"body": "Tuesday?"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    body = page(response)
    assert body.lstrip().startswith('<section id="conversation"')
    assert "Tuesday?" in body and "I wrote one last year." in body
    assert "<html" not in body


def test_an_empty_message_is_explained(proposed: Exchange, member_client: Client) -> None:
    response = member_client.post(url("message", proposed), {"body": ""})
    assert response.status_code == 400
    assert 'id="id_body_error"' in page(response)


def test_a_coordinator_reads_the_conversation_only_once_disputed(
    delivered: Exchange, coordinator_client: Client, member: User
) -> None:
    services.post_message(exchange=delivered, author=member, body="Private detail")
    assert coordinator_client.get(url("detail", delivered)).status_code == 404
    assert coordinator_client.get(url("resolve", delivered)).status_code == 404
    services.dispute_exchange(exchange=delivered, actor=member, reason="Too long")
    detail = page(coordinator_client.get(url("detail", delivered)))
    assert "Private detail" in detail
    assert "maya@nhs.net" not in detail and "gil@nhs.net" not in detail
    assert url("message", delivered) not in detail  # read only
    assert "Private detail" in page(coordinator_client.get(url("resolve", delivered)))


# Thanks and feedback -------------------------------------------------------------------


def test_thanks_and_feedback_after_confirmation(
    confirmed: Exchange, member_client: Client, giver_client: Client
) -> None:
    detail = page(member_client.get(url("detail", confirmed)))
    assert "Say thank you" in detail and "Did this exchange help?" in detail
    member_client.post(url("thanks", confirmed), {"body": "You saved us weeks"})
    member_client.post(url("feedback", confirmed), {"helped": "yes", "comment": "Secret note"})
    assert Thanks.objects.get().body == "You saved us weeks"
    assert Feedback.objects.get().helped == Helped.YES
    giver_page = page(giver_client.get(url("detail", confirmed)))
    assert "You saved us weeks" in giver_page
    assert "Secret note" not in giver_page
    assert "Secret note" in page(member_client.get(url("detail", confirmed)))


def test_thanks_before_confirmation_are_refused(delivered: Exchange, member_client: Client) -> None:
    response = member_client.post(url("thanks", delivered), {"body": "Thanks"}, follow=True)
    assert "once the exchange is confirmed" in page(response)
    response = member_client.post(url("feedback", delivered), {"helped": "yes"}, follow=True)
    assert "once the exchange is confirmed" in page(response)
    assert not Feedback.objects.exists()
    assert not Thanks.objects.exists()


def test_members_cannot_open_the_feedback_list(
    confirmed: Exchange, member_client: Client, coordinator_client: Client, member: User
) -> None:
    services.leave_feedback(exchange=confirmed, author=member, helped="no", comment="Secret")
    assert member_client.get(reverse("exchanges:feedback_list")).status_code == 403
    response = coordinator_client.get(reverse("exchanges:feedback_list"))
    assert "Secret" in page(response)
    filtered = coordinator_client.get(reverse("exchanges:feedback_list") + "?helped=yes")
    assert "Secret" not in page(filtered)


# The list ------------------------------------------------------------------------------


def test_the_list_shows_what_needs_me(
    proposed: Exchange, member_client: Client, giver_client: Client
) -> None:
    mine = page(member_client.get(reverse("exchanges:list") + "?show=action"))
    assert proposed.title in mine and "Your turn" in mine
    theirs = page(giver_client.get(reverse("exchanges:list") + "?show=action"))
    assert "Nothing needs you right now." in theirs
    active = giver_client.get(reverse("exchanges:list"))
    assert proposed.title in page(active)
    assert 'aria-current="page"' in page(active)
    finished = page(giver_client.get(reverse("exchanges:list") + "?show=finished"))
    assert "No finished exchanges yet." in finished


def test_the_list_is_paginated(member: User, member_client: Client) -> None:
    for n in range(21):
        other = UserFactory()
        services.propose_to_member(proposer=member, other=other, proposer_gives=True, title=f"T{n}")
    first = page(member_client.get(reverse("exchanges:list")))
    assert "Page 1 of 2" in first
    second = page(member_client.get(reverse("exchanges:list") + "?page=2"))
    assert second.count('class="card exchange-card"') == 1


def test_the_nav_has_an_exchanges_item(member_client: Client) -> None:
    body = page(member_client.get(reverse("exchanges:list")))
    assert f'href="{reverse("exchanges:list")}" aria-current="page"' in body
