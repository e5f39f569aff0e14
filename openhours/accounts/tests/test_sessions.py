"""A sign-in ends after a spell without activity, and in any case after a fixed lifetime;
browsing within the spell writes the session at most every few minutes."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client

from openhours.accounts.models import User

pytestmark = pytest.mark.django_db

NINE = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/London"))
PASSWORD = "correct horse battery staple"


@pytest.fixture
def signed_in(client: Client, member: User, settings: Any) -> Client:
    settings.OPENHOURS_SESSION_IDLE_MINUTES = 60
    member.set_password(PASSWORD)
    member.save()
    with time_machine.travel(NINE, tick=False):
        response = client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_a_member_active_within_the_hour_stays_signed_in(signed_in: Client) -> None:
    for minutes in (30, 80, 130):  # never an hour apart
        with time_machine.travel(NINE + timedelta(minutes=minutes), tick=False):
            assert signed_in.get("/posts/").status_code == 200


def test_an_hour_without_activity_signs_the_member_out(signed_in: Client) -> None:
    with time_machine.travel(NINE + timedelta(minutes=61), tick=False):
        response = signed_in.get("/posts/?kind=request")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/posts/%3Fkind%3Drequest")
    with time_machine.travel(NINE + timedelta(minutes=62), tick=False):
        assert signed_in.get("/credits/").status_code == 302  # signed out for good


def test_browsing_writes_the_session_at_most_every_five_minutes(signed_in: Client) -> None:
    key = signed_in.cookies[settings.SESSION_COOKIE_NAME].value

    def stored() -> str:
        return Session.objects.get(session_key=key).session_data

    after_login = stored()
    with time_machine.travel(NINE + timedelta(minutes=2), tick=False):
        signed_in.get("/posts/")
    assert stored() == after_login
    with time_machine.travel(NINE + timedelta(minutes=6), tick=False):
        signed_in.get("/posts/")
    assert stored() != after_login


def test_the_session_has_a_fixed_lifetime() -> None:
    assert settings.SESSION_COOKIE_AGE == 14 * 24 * 3600
    assert settings.SESSION_SAVE_EVERY_REQUEST is False  # so the lifetime isn't renewed
