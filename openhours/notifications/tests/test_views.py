"""The notifications pages: only ever the member's own, and they work without JavaScript."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from openhours.accounts.models import Approval, User
from openhours.accounts.tests.factories import UserFactory
from openhours.notifications import selectors, services
from openhours.notifications.models import EmailPreference, Notification
from openhours.notifications.views import PAGE_SIZE, is_safe_relative_url

pytestmark = pytest.mark.django_db

CaptureCallbacks = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


def _notify(
    recipient: User, actor: User, message: str = "Otto offered to help", **kw: Any
) -> Notification:
    notification = services.notify(
        recipient=recipient, actor=actor, verb="exchange.proposed", message=message, **kw
    )
    assert notification is not None
    return notification


def test_the_list_shows_the_members_own_with_unread_highlighted(
    member_client: Client, member: User, outsider: User
) -> None:
    read = _notify(member, outsider, "Otto confirmed 2 hours")
    services.mark_read(user=member, notification=read)
    _notify(member, outsider, "Otto offered to help with QI coaching")
    _notify(outsider, member, "Maya asked Otto something private")

    response = member_client.get(reverse("notifications:list"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Otto offered to help with QI coaching" in page
    assert "Otto confirmed 2 hours" in page
    assert "Maya asked Otto something private" not in page
    assert page.count("notification-unread") == 1
    assert "Mark all as read" in page
    assert page.index("QI coaching") < page.index("confirmed 2 hours")  # newest first


def test_the_empty_list_says_nothing_new(member_client: Client) -> None:
    response = member_client.get(reverse("notifications:list"))

    assert response.status_code == 200
    assert "Nothing new" in response.content.decode()
    assert "Mark all as read" not in response.content.decode()


def test_the_list_is_paginated(member_client: Client, member: User, outsider: User) -> None:
    for number in range(PAGE_SIZE + 1):
        _notify(member, outsider, f"Notification number {number}")

    first = member_client.get(reverse("notifications:list")).content.decode()
    second = member_client.get(reverse("notifications:list") + "?page=2").content.decode()

    assert first.count('<li class="notification') == PAGE_SIZE
    assert "Page 1 of 2" in first
    assert second.count('<li class="notification') == 1
    assert "Notification number 0<" in second


@pytest.mark.parametrize(
    ("name", "args"),
    [("notifications:list", []), ("notifications:settings", []), ("notifications:read_all", [])],
)
def test_anonymous_visitors_are_sent_to_sign_in(client: Client, name: str, args: list[int]) -> None:
    response = client.post(reverse(name, args=args))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_pending_members_wait_for_approval(client: Client) -> None:
    client.force_login(UserFactory(approval=Approval.PENDING))

    response = client.get(reverse("notifications:list"))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:awaiting_approval")


def test_opening_marks_read_and_goes_to_the_thing(
    member_client: Client, member: User, outsider: User
) -> None:
    notification = _notify(member, outsider, url="/posts/")

    response = member_client.post(reverse("notifications:open", args=[notification.pk]))

    assert response.status_code == 302
    assert response["Location"] == "/posts/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_needs_a_post(member_client: Client, member: User, outsider: User) -> None:
    notification = _notify(member, outsider, url="/posts/")

    response = member_client.get(reverse("notifications:open", args=[notification.pk]))

    assert response.status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


@pytest.mark.parametrize(
    "url",
    [
        "",
        "https://evil.example/phish",
        "//evil.example/phish",
        "/\\evil.example",
        "javascript:alert(1)",
        "posts/",
    ],
)
def test_unsafe_or_missing_urls_go_back_to_the_list(
    member_client: Client, member: User, outsider: User, url: str
) -> None:
    notification = _notify(member, outsider, url=url)

    response = member_client.post(reverse("notifications:open", args=[notification.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:list")
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("/exchanges/7/", True),
        ("/posts/?kind=offer#top", True),
        ("//evil.example", False),
        ("/\\evil.example", False),
        ("http://testserver/posts/", False),
        ("\x00/posts/", False),
    ],
)
def test_is_safe_relative_url(url: str, safe: bool) -> None:
    assert is_safe_relative_url(url) is safe


def test_nobody_else_can_open_a_members_notification(
    outsider_client: Client, coordinator_client: Client, member: User, outsider: User
) -> None:
    notification = _notify(member, outsider, url="/posts/")

    url = reverse("notifications:open", args=[notification.pk])
    assert outsider_client.post(url).status_code == 404
    assert coordinator_client.post(url).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_read_all_marks_only_the_members_own(
    member_client: Client, member: User, outsider: User
) -> None:
    _notify(member, outsider)
    _notify(member, outsider)
    _notify(outsider, member)

    response = member_client.post(reverse("notifications:read_all"))

    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:list")
    assert selectors.unread_count(member) == 0
    assert selectors.unread_count(outsider) == 1
    assert member_client.get(reverse("notifications:read_all")).status_code == 405


def test_settings_show_the_current_choice(member_client: Client, member: User) -> None:
    services.set_email_preference(user=member, preference=EmailPreference.DIGEST)

    page = member_client.get(reverse("notifications:settings")).content.decode()

    assert 'value="digest" required id="id_email_1" checked>' in page
    assert page.count(" checked>") == 1
    assert "Once a day: one summary of everything I haven&#x27;t read" in page


@pytest.mark.parametrize("choice", EmailPreference.values)
def test_a_member_changes_their_email_choice(
    member_client: Client, member: User, choice: str
) -> None:
    response = member_client.post(reverse("notifications:settings"), {"email": choice})

    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:settings")
    assert selectors.preference_for(member) == choice


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({}, "Choose how often we should email you."),
        ({"email": "hourly"}, "Choose one of the three options."),
    ],
)
def test_an_invalid_choice_is_explained_beside_the_field(
    member_client: Client, member: User, data: dict[str, str], error: str
) -> None:
    response = member_client.post(reverse("notifications:settings"), data)

    page = response.content.decode()
    assert response.status_code == 400
    assert (
        '<p class="field-error" id="id_email_error">'
        f'<span class="visually-hidden">Error:</span> {error}' in page
    )
    assert 'href="#id_email"' in page  # the error summary links to the field
    assert selectors.preference_for(member) == EmailPreference.IMMEDIATE


def test_the_header_shows_the_unread_count(
    member_client: Client, member: User, outsider: User
) -> None:
    for _ in range(3):
        _notify(member, outsider)

    page = member_client.get(reverse("notifications:settings")).content.decode()

    assert '<span class="badge">3<span class="visually-hidden"> unread</span></span>' in page


def test_the_header_has_no_badge_when_all_is_read(
    member_client: Client, member: User, outsider: User
) -> None:
    services.mark_read(user=member, notification=_notify(member, outsider))

    page = member_client.get(reverse("notifications:settings")).content.decode()

    assert reverse("notifications:list") in page
    assert 'class="badge"' not in page


def test_the_unread_count_costs_one_query(
    member_client: Client, member: User, outsider: User
) -> None:
    _notify(member, outsider)
    member_client.get(reverse("notifications:settings"))  # warm the session

    with CaptureQueriesContext(connection) as queries:
        member_client.get(reverse("notifications:settings"))

    notification_queries = [q for q in queries if '"notifications_notification"' in q["sql"]]
    assert len(notification_queries) == 1


def test_visitors_get_no_count_and_no_link(client: Client) -> None:
    response = client.get(reverse("home"))

    assert response.context["unread_notifications"] == 0
    assert reverse("notifications:list") not in response.content.decode()


def test_the_digest_command_reports_what_it_sent(member: User, outsider: User) -> None:
    services.set_email_preference(user=member, preference=EmailPreference.DIGEST)
    notification = _notify(member, outsider)
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - timedelta(hours=1)
    )
    out = StringIO()

    call_command("send_notification_digest", stdout=out)
    call_command("send_notification_digest", stdout=out)

    assert out.getvalue() == "Sent 1 digest email.\nSent 0 digest emails.\n"
    assert len(mail.outbox) == 1
