"""The home page: a landing page for visitors, the newest posts for approved members."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from openhours.accounts.models import Approval, User
from openhours.accounts.tests.factories import UserFactory
from openhours.posts.models import Kind
from openhours.posts.tests.factories import make_post

pytestmark = pytest.mark.django_db


def test_a_visitor_gets_the_landing_page(client: Client) -> None:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response.templates[0].name == "home/landing.html"


def test_a_member_awaiting_approval_is_sent_to_the_waiting_page(client: Client) -> None:
    client.force_login(UserFactory(approval=Approval.PENDING))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:awaiting_approval")


def test_a_member_sees_the_newest_open_requests_and_offers(
    member_client: Client, outsider: User
) -> None:
    asked = make_post(outsider, title="Help me read a run chart")
    offered = make_post(outsider, kind=Kind.OFFER, title="I can teach SPC charts")
    response = member_client.get(reverse("home"))
    assert response.status_code == 200
    assert response.context["requests"] == [asked]
    assert response.context["offers"] == [offered]
    html = response.content.decode()
    assert "Help me read a run chart" in html
    assert "I can teach SPC charts" in html
