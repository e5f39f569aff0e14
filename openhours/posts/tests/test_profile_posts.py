"""A member's open posts on their profile, rendered by posts' own tag (``{% profile_posts %}``)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openhours.accounts.models import User
from openhours.members.models import Visibility
from openhours.members.services import get_or_create_profile
from openhours.posts.models import Kind
from openhours.posts.services import close_post
from openhours.posts.templatetags.posts import PROFILE_POSTS
from openhours.posts.tests.factories import make_post

pytestmark = pytest.mark.django_db


def _profile(client: Client, user: User) -> str:
    response = client.get(reverse("members:detail", args=[user.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_profile_lists_the_members_open_posts_newest_first(
    member_client: Client, outsider: User
) -> None:
    get_or_create_profile(outsider)
    start = timezone.now() - timedelta(days=30)
    for n in range(PROFILE_POSTS + 1):
        with time_machine.travel(start + timedelta(days=n), tick=False):
            make_post(outsider, title=f"Request number {n:02d}")

    html = _profile(member_client, outsider)

    assert "Open posts" in html
    # The newest ten, newest first; the oldest is left off.
    assert html.index("Request number 10") < html.index("Request number 09")
    assert "Request number 01" in html
    assert "Request number 00" not in html
    assert "No open offers or requests." not in html


def test_closed_posts_and_other_members_posts_are_not_listed(
    member_client: Client, member: User, outsider: User
) -> None:
    get_or_create_profile(outsider)
    make_post(outsider, kind=Kind.OFFER, title="I can teach SPC charts")
    closed = make_post(outsider, title="An old question")
    close_post(post=closed, actor=outsider)
    make_post(member, title="Maya's own request")

    html = _profile(member_client, outsider)

    assert "I can teach SPC charts" in html
    assert "An old question" not in html
    assert "Maya&#x27;s own request" not in html
    assert "Maya's own request" not in html


def test_a_member_without_open_posts_gets_a_line_saying_so(
    member_client: Client, outsider: User
) -> None:
    get_or_create_profile(outsider)
    html = _profile(member_client, outsider)
    assert "Open posts" in html
    assert "No open offers or requests." in html


def test_a_hidden_profile_shows_none_of_its_posts(member_client: Client, outsider: User) -> None:
    profile = get_or_create_profile(outsider)
    profile.visibility = Visibility.HIDDEN
    profile.save()
    make_post(outsider, title="A request from a hidden profile")
    response = member_client.get(reverse("members:detail", args=[outsider.pk]))
    assert response.status_code == 404
    assert "A request from a hidden profile" not in response.content.decode()
