"""The admin shows transfers with their entries and cannot change them."""

from __future__ import annotations

import pytest
from django.test import Client

from openhours.accounts.tests.factories import UserFactory
from openhours.ledger import services

pytestmark = pytest.mark.django_db


def test_a_transfer_page_shows_its_entries_read_only() -> None:
    member = UserFactory(full_name="Maya Member")
    transfer = services.grant_joining_credit(user=member)
    assert transfer is not None
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(f"/admin/ledger/transfer/{transfer.pk}/change/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Maya Member" in body
    assert 'name="_save"' not in body
    assert (
        client.post(f"/admin/ledger/transfer/{transfer.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
