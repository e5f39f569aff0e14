"""Input no page can use is refused clearly, and the error page needs no database."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client, RequestFactory

from openhours.accounts.models import User
from openhours.core import views
from openhours.posts.models import Post

NUL_GETS = [
    "/posts/?q=%00",
    "/members/?q=a%00b",
    "/members/search/?q=%00",
    "/organisations/search/?q=%00",
    "/posts/?page=%00",
    "/posts/?kind%00=offer",
    "/about/%00",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", NUL_GETS)
def test_a_nul_byte_in_an_address_is_a_clear_400(client: Client, member: User, path: str) -> None:
    client.force_login(member)
    response = client.get(path)
    assert response.status_code == 400
    assert b"could not be read" in response.content


@pytest.mark.django_db
def test_a_nul_byte_in_a_form_changes_nothing(client: Client, member: User) -> None:
    client.force_login(member)
    before = Post.objects.count()
    response = client.post(
        "/posts/new/",
        {"kind": "request", "title": "Help\x00 please", "description": "A NUL in the title."},
    )
    assert response.status_code == 400
    assert Post.objects.count() == before


def test_database_connections_are_checked_before_reuse() -> None:
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


@pytest.mark.django_db
def test_the_error_page_renders_when_the_database_is_down(
    monkeypatch: pytest.MonkeyPatch, member: User
) -> None:
    def down(*args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("the database is down")

    request = RequestFactory().get("/")
    request.user = member
    monkeypatch.setattr(connection, "cursor", down)
    response = views.error_500(request)
    assert response.status_code == 500
    assert b"Sorry, something went wrong" in response.content
