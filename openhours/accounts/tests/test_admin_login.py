"""The Django admin has no sign-in form of its own: staff sign in through the site's
(rate-limited) sign-in, and non-staff members are refused."""

from __future__ import annotations

import pytest
from django.test import Client

from openhours.accounts.models import User

pytestmark = pytest.mark.django_db


def test_the_admin_sends_visitors_to_the_sites_sign_in(client: Client) -> None:
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    # Its own form is never shown, so it can't be guessed against without the limits.
    assert client.post("/admin/login/", {"username": "x", "password": "y"}).status_code == 302


def test_a_member_who_is_not_staff_is_refused(client: Client, member: User) -> None:
    client.force_login(member)
    assert client.get("/admin/login/").status_code == 403


def test_staff_reach_the_admin(client: Client, member: User) -> None:
    member.is_staff = True
    member.is_superuser = True
    member.save()
    client.force_login(member)
    assert client.get("/admin/login/?next=/admin/").status_code in (200, 302)
    assert client.get("/admin/").status_code == 200
