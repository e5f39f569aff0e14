"""Guessing a password is locked out: after a few wrong tries even the right password is
refused for a while, with a clear message (allauth's limits, counted in the shared cache)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from openhours.accounts.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def test_wrong_passwords_lock_the_account_out_for_a_while(
    client: Client, member: User, settings: Any
) -> None:
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,3/300s/key"}
    member.set_password(PASSWORD)
    member.save()
    for _ in range(3):
        wrong = client.post("/accounts/login/", {"login": member.email, "password": "guess-1234"})
        assert wrong.status_code == 200
        assert b"not correct" in wrong.content
    locked = client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    assert locked.status_code == 200  # the form again, saying why
    assert b"Too many failed login attempts. Try again later." in locked.content
    assert "_auth_user_id" not in client.session
