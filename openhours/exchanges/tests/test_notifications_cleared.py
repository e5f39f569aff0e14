"""Acting on an exchange clears the notifications that asked you to act."""

from __future__ import annotations

import pytest
from django.test import Client

from openhours.accounts.models import User
from openhours.exchanges import services
from openhours.exchanges.models import Exchange
from openhours.notifications.selectors import unread_count

pytestmark = pytest.mark.django_db


def test_confirming_clears_the_please_confirm_notification(
    delivered: Exchange, member: User, member_client: Client
) -> None:
    assert unread_count(member) >= 1
    page = member_client.get("/notifications/").content.decode()
    assert "Needs you" in page
    services.confirm_exchange(exchange=delivered, actor=member)
    assert unread_count(member) == 0
    assert "Needs you" not in member_client.get("/notifications/").content.decode()


def test_acting_clears_only_your_own_notifications(
    delivered: Exchange, member: User, giver: User
) -> None:
    giver_unread = unread_count(giver)
    services.confirm_exchange(exchange=delivered, actor=member)
    # The giver is told about the confirmation; nothing of theirs was cleared.
    assert unread_count(giver) == giver_unread + 1
