"""The joining grant arrives exactly when a member becomes approved, and only then."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.db import DatabaseError
from django.test import Client
from django.urls import reverse

from openhours.accounts.models import Approval, User
from openhours.accounts.tests.factories import UserFactory
from openhours.core.errors import DomainError
from openhours.ledger.models import Transfer, TransferKind
from openhours.ledger.selectors import balance
from openhours.membership import services

pytestmark = pytest.mark.django_db

SIGNUP = {
    "full_name": "Priya Shah",
    "password1": "a-long-and-unusual-passphrase",
    "password2": "a-long-and-unusual-passphrase",
}


@pytest.fixture(autouse=True)
def _rules(settings) -> None:  # type: ignore[no-untyped-def]
    settings.OPENHOURS_REQUIRE_APPROVAL = True
    settings.OPENHOURS_TRUSTED_EMAIL_DOMAINS = ["nhs.net"]
    settings.OPENHOURS_LEDGER_JOINING_GRANT_MINUTES = 120


def _sign_up(client: Client, email: str) -> User:
    client.post(reverse("account_signup"), {**SIGNUP, "email": email})
    return User.objects.get(email=email)


def _grants(user: User) -> int:
    return Transfer.objects.filter(
        kind=TransferKind.JOINING_GRANT, entries__account__owner=user
    ).count()


def test_an_auto_approved_sign_up_gets_the_joining_grant(client: Client) -> None:
    user = _sign_up(client, "priya.shah@nhs.net")
    assert user.approval == Approval.APPROVED
    assert balance(user) == 120
    assert _grants(user) == 1


def test_a_pending_member_gets_nothing_until_approved(
    client: Client, coordinator_client: Client
) -> None:
    user = _sign_up(client, "sam@charity.org.uk")
    assert user.approval == Approval.PENDING
    assert balance(user) == 0
    assert _grants(user) == 0

    coordinator_client.post(reverse("membership:decide", args=[user.pk]), {"decision": "approve"})

    user.refresh_from_db()
    assert user.approval == Approval.APPROVED
    assert balance(user) == 120
    assert _grants(user) == 1


def test_a_declined_member_gets_nothing(coordinator_client: Client) -> None:
    pending = UserFactory(approval=Approval.PENDING)
    coordinator_client.post(
        reverse("membership:decide", args=[pending.pk]), {"decision": "decline"}
    )
    pending.refresh_from_db()
    assert pending.approval == Approval.DECLINED
    assert _grants(pending) == 0


def test_with_the_grant_turned_off_nobody_gets_one(
    client: Client, coordinator: User, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.OPENHOURS_LEDGER_JOINING_GRANT_MINUTES = 0
    auto = _sign_up(client, "priya.shah@nhs.net")
    pending = UserFactory(approval=Approval.PENDING)
    services.decide_membership(coordinator=coordinator, member=pending, approve=True)
    assert auto.is_approved
    assert balance(auto) == balance(pending) == 0
    assert not Transfer.objects.exists()


def test_a_refused_decision_grants_nothing(coordinator: User, member: User) -> None:
    # member is already approved: deciding again is refused and must not mint credit.
    with pytest.raises(DomainError, match="not waiting"):
        services.decide_membership(coordinator=coordinator, member=member, approve=True)
    assert _grants(member) == 0


def test_approval_and_grant_roll_back_together(
    coordinator: User, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks
) -> None:
    pending = UserFactory(approval=Approval.PENDING)

    def broken_grant(*, user: User) -> None:
        raise DatabaseError("the ledger is unavailable")

    monkeypatch.setattr(services, "grant_joining_credit", broken_grant)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DatabaseError):
        services.decide_membership(coordinator=coordinator, member=pending, approve=True)

    pending.refresh_from_db()
    assert pending.approval == Approval.PENDING  # not approved without the grant
    assert not any("approved" in m.subject for m in mail.outbox)  # and nobody was told


def test_a_sign_up_that_fails_to_grant_is_not_saved(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_grant(*, user: User) -> None:
        raise DatabaseError("the ledger is unavailable")

    monkeypatch.setattr(services, "grant_joining_credit", broken_grant)
    client.raise_request_exception = False
    response = client.post(reverse("account_signup"), {**SIGNUP, "email": "priya.shah@nhs.net"})
    assert response.status_code == 500
    assert not User.objects.filter(email="priya.shah@nhs.net").exists()


def test_the_verification_email_still_goes_to_a_granted_member(client: Client) -> None:
    _sign_up(client, "priya.shah@nhs.net")
    assert re.search(r"/accounts/confirm-email/", mail.outbox[-1].body)
