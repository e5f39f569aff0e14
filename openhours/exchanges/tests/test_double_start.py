"""Starting an exchange from a profile twice with one form (a double click, a retry after
a lost answer, two tabs posting at once) creates one exchange."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from openhours.accounts.models import User
from openhours.core.testing import needs_postgresql, run_together
from openhours.exchanges import services
from openhours.exchanges.models import Exchange
from openhours.members.services import get_or_create_profile
from openhours.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def profiles(member: User, giver: User) -> None:
    get_or_create_profile(member)
    get_or_create_profile(giver)


def _start(client: Client, other: User, key: str) -> str:
    response = client.post(
        reverse("exchanges:start", args=[other.pk]),
        {"direction": "give", "title": "A review of our audit plan", "proposal_key": key},
    )
    assert response.status_code == 302, response.content
    return str(response["Location"])


def test_the_same_form_posted_twice_starts_one_exchange(
    member_client: Client, member: User, giver: User
) -> None:
    key = str(uuid.uuid4())
    first = _start(member_client, giver, key)
    again = _start(member_client, giver, key)
    assert first == again  # the second post lands on the same exchange
    assert Exchange.objects.filter(giver=member, receiver=giver).count() == 1
    assert Notification.objects.filter(recipient=giver, verb="exchange.proposed").count() == 1

    # A new form (a new key) is a new proposal.
    _start(member_client, giver, str(uuid.uuid4()))
    assert Exchange.objects.filter(giver=member, receiver=giver).count() == 2


def test_a_form_without_its_key_is_refused(member_client: Client, giver: User) -> None:
    response = member_client.post(
        reverse("exchanges:start", args=[giver.pk]),
        {"direction": "give", "title": "A review of our audit plan"},
    )
    assert response.status_code == 400
    assert not Exchange.objects.exists()


class TestAtTheSameMoment:
    pytestmark = needs_postgresql

    def test_two_posts_at_once_start_one_exchange(self, member: User, giver: User) -> None:
        key = f"web:start:{member.pk}:{uuid.uuid4()}"

        def start() -> None:
            services.propose_to_member(
                proposer=member,
                other=giver,
                proposer_gives=True,
                title="A review of our audit plan",
                proposal_key=key,
            )

        assert run_together([start, start, start]) == []
        assert Exchange.objects.filter(giver=member, receiver=giver).count() == 1
