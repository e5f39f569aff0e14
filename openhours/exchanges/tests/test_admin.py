"""The admin shows exchanges and their history but cannot change them."""

from __future__ import annotations

import pytest
from django.test import Client

from openhours.accounts.tests.factories import UserFactory
from openhours.exchanges.models import Exchange

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(db: None) -> Client:
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_the_admin_lists_exchanges_and_shows_their_events(
    admin_client_: Client, delivered: Exchange
) -> None:
    listing = admin_client_.get("/admin/exchanges/exchange/")
    assert listing.status_code == 200
    assert delivered.title in listing.content.decode()
    page = admin_client_.get(f"/admin/exchanges/exchange/{delivered.pk}/change/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "delivered" in body
    assert 'name="_save"' not in body  # view only


def test_the_admin_cannot_add_change_or_delete_an_exchange(
    admin_client_: Client, delivered: Exchange
) -> None:
    assert admin_client_.get("/admin/exchanges/exchange/add/").status_code == 403
    response = admin_client_.post(
        f"/admin/exchanges/exchange/{delivered.pk}/change/", {"title": "Edited"}
    )
    assert response.status_code == 403
    assert (
        admin_client_.post(
            f"/admin/exchanges/exchange/{delivered.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    delivered.refresh_from_db()
    assert delivered.title != "Edited"
    assert Exchange.objects.filter(pk=delivered.pk).exists()
