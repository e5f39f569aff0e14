"""Coordinators' exchange pages: disputes and their resolution, offline records, feedback."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openhours.accounts.models import User
from openhours.exchanges.models import Exchange, State
from openhours.ledger.selectors import balance

from .pages import page, url

pytestmark = pytest.mark.django_db


# Coordinators --------------------------------------------------------------------------


def test_coordinator_pages_refuse_members(member_client: Client) -> None:
    for name in ("disputes", "record", "feedback_list"):
        assert member_client.get(reverse(f"exchanges:{name}")).status_code == 403


def test_a_coordinator_resolves_a_dispute(
    disputed: Exchange, coordinator_client: Client, giver: User
) -> None:
    listing = page(coordinator_client.get(reverse("exchanges:disputes")))
    assert url("resolve", disputed) in listing
    response = coordinator_client.post(
        url("resolve", disputed), {"outcome": "confirm", "hours": "", "reason": "x"}
    )
    assert response.status_code == 400
    assert 'id="id_hours_error"' in page(response)
    response = coordinator_client.post(
        url("resolve", disputed), {"outcome": "confirm", "hours": "0.75", "reason": "Agreed"}
    )
    assert response.status_code == 302
    disputed.refresh_from_db()
    assert (disputed.state, disputed.minutes) == (State.CONFIRMED, 45)
    assert balance(giver) == 45
    assert "No disputes waiting" in page(coordinator_client.get(reverse("exchanges:disputes")))


def test_a_coordinator_cancels_a_dispute(disputed: Exchange, coordinator_client: Client) -> None:
    coordinator_client.post(url("resolve", disputed), {"outcome": "cancel", "reason": "No-show"})
    disputed.refresh_from_db()
    assert disputed.state == State.CANCELLED


def post_offline_record(client: Client, **fields: object) -> HttpResponse:
    """Post a coordinator's offline record: a valid one, with ``fields`` added or changed
    (the giver and receiver always come from the test)."""
    data = {
        "hours": "2",
        "delivered_on": timezone.localdate().isoformat(),
        "title": "Ward audit",
        "reason": "Both offline",
        **fields,
    }
    response: HttpResponse = client.post(reverse("exchanges:record"), data)
    return response


def test_a_coordinator_records_an_offline_exchange(
    coordinator_client: Client, giver: User, member: User
) -> None:
    response = post_offline_record(
        coordinator_client, giver=giver.pk, receiver=member.pk, description=""
    )
    exchange = Exchange.objects.get()
    assert response["Location"] == url("detail", exchange)
    assert exchange.state == State.CONFIRMED
    assert balance(giver) == 120
    assert coordinator_client.get(url("detail", exchange)).status_code == 200


def test_an_offline_record_for_the_same_person_twice_is_refused(
    coordinator_client: Client, giver: User
) -> None:
    response = post_offline_record(coordinator_client, giver=giver.pk, receiver=giver.pk)
    assert response.status_code == 400
    assert "must be different people" in page(response)
    assert not Exchange.objects.exists()


@pytest.mark.parametrize(
    "choice",
    [
        {"giver": "999999"},
        {"giver": "not-a-number"},
        {"giver": "", "giver_query": "Gil Giver"},
        {"receiver": "", "receiver_query": "nobody@nhs.net"},
    ],
)
def test_a_tampered_or_unchosen_member_in_an_offline_record_is_an_error_not_a_500(
    coordinator_client: Client, giver: User, member: User, choice: dict[str, str]
) -> None:
    people = {"giver": giver.pk, "receiver": member.pk}
    response = post_offline_record(coordinator_client, **(people | choice))
    assert response.status_code == 400
    field = next(iter(choice))
    assert response.context["form"].errors[field]
    assert f'id="id_{field}_error"' in page(response)
    assert not Exchange.objects.exists()


def test_an_offline_record_can_name_members_by_email_without_javascript(
    coordinator_client: Client, giver: User, member: User
) -> None:
    response = post_offline_record(
        coordinator_client, giver_query=giver.email, receiver_query=member.email, hours="1"
    )
    assert response.status_code == 302
    exchange = Exchange.objects.get()
    assert (exchange.giver, exchange.receiver) == (giver, member)


def test_the_offline_record_page_does_not_list_every_member(
    coordinator_client: Client, giver: User
) -> None:
    html = page(coordinator_client.get(reverse("exchanges:record")))
    assert giver.full_name not in html
    assert 'id="id_giver_listbox"' in html
    assert 'id="id_receiver_listbox"' in html
