"""Members' pages are never stored by browsers or proxies; no page may use the camera."""

from __future__ import annotations

import pytest
from django.test import Client

from openhours.accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/posts/", "/credits/", "/notifications/", "/about/"])
def test_a_members_pages_are_not_stored(client: Client, member: User, path: str) -> None:
    client.force_login(member)
    response = client.get(path)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_public_pages_keep_their_own_caching(client: Client) -> None:
    assert "Cache-Control" not in client.get("/about/")
    # /health/ sets never_cache's header itself; it is kept as it is.
    assert client.get("/health/")["Cache-Control"].startswith("max-age=0")


def test_every_page_turns_off_what_no_page_uses(client: Client, member: User) -> None:
    for response in (client.get("/about/"), client.get("/accounts/login/")):
        assert "camera=()" in response["Permissions-Policy"]
        assert "geolocation=()" in response["Permissions-Policy"]
