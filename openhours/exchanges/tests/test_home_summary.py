"""The home page tells a member what is waiting for them and where their credits stand."""

from __future__ import annotations

import pytest
from django.test import Client

from openhours.accounts.models import User
from openhours.exchanges import services
from openhours.exchanges.models import Exchange

pytestmark = pytest.mark.django_db


def test_home_says_nothing_is_waiting_when_nothing_is(member_client: Client) -> None:
    page = member_client.get("/").content.decode()
    assert "Nothing is waiting for you." in page
    assert "You have given <strong>0 min</strong>" in page


def test_home_counts_exchanges_waiting_for_the_member(
    member_client: Client, delivered: Exchange
) -> None:
    page = member_client.get("/").content.decode()
    assert "1 exchange is waiting for you." in page
    assert "?show=action" in page


def test_home_shows_what_the_member_received_once_confirmed(
    member_client: Client, member: User, delivered: Exchange
) -> None:
    services.confirm_exchange(exchange=delivered, actor=member)
    page = member_client.get("/").content.decode()
    assert "Nothing is waiting for you." in page
    assert "received <strong>1 h 30 min</strong>" in page
