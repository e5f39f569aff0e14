"""Joining: sign-up, email verification and coordinator approval."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from openhours.accounts.models import Approval, User
from openhours.accounts.services import approval_for_email, decide_membership
from openhours.accounts.tests.factories import UserFactory
from openhours.core.errors import DomainError

pytestmark = pytest.mark.django_db

SIGNUP = {
    "full_name": "Priya Shah",
    "email": "priya.shah@nhs.net",
    "password1": "a-long-and-unusual-passphrase",
    "password2": "a-long-and-unusual-passphrase",
}


def _verification_link() -> str:
    body = mail.outbox[-1].body
    match = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+", body)
    assert match, body
    return match.group(0).split("testserver", 1)[-1]


def test_it_signs_up_and_asks_to_verify_the_email(client: Client) -> None:
    response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(email="priya.shah@nhs.net")
    assert user.full_name == "Priya Shah"
    assert len(mail.outbox) == 1
    assert "confirm" in mail.outbox[0].subject.lower()
    # Mandatory verification: not signed in until the link is followed.
    assert client.get(reverse("home")).context["user"].is_authenticated is False


def test_following_the_link_verifies_and_signs_in(client: Client) -> None:
    client.post(reverse("account_signup"), SIGNUP)
    link = _verification_link()
    assert client.get(link).status_code == 200
    response = client.post(link)
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"].email == "priya.shah@nhs.net"


def test_signup_without_a_name_shows_an_error_and_saves_nothing(client: Client) -> None:
    response = client.post(reverse("account_signup"), {**SIGNUP, "full_name": " "})
    assert response.status_code == 200
    assert "full_name" in response.context["form"].errors
    assert not User.objects.exists()


def test_signup_with_mismatched_passwords_saves_nothing(client: Client) -> None:
    response = client.post(
        reverse("account_signup"), {**SIGNUP, "password2": "something-else-entirely"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not User.objects.exists()


def test_a_duplicate_email_creates_nothing_and_reveals_nothing(
    client: Client, member: User
) -> None:
    # Account enumeration protection: the form looks like it worked, and the owner of the
    # address is emailed instead, so nobody can probe who is a member.
    response = client.post(reverse("account_signup"), {**SIGNUP, "email": member.email})
    assert response.status_code == 302
    assert User.objects.filter(email=member.email).count() == 1
    assert mail.outbox[-1].to == [member.email]
    member.refresh_from_db()
    assert member.full_name == "Maya Member"


def test_without_approval_rules_everyone_is_approved(settings) -> None:
    settings.OPENHOURS_REQUIRE_APPROVAL = False
    assert approval_for_email("someone@gmail.com") == Approval.APPROVED


def test_trusted_domains_skip_approval(settings) -> None:
    settings.OPENHOURS_REQUIRE_APPROVAL = True
    settings.OPENHOURS_TRUSTED_EMAIL_DOMAINS = ["nhs.net"]
    assert approval_for_email("a@nhs.net") == Approval.APPROVED
    assert approval_for_email("a@sub.nhs.net") == Approval.APPROVED
    assert approval_for_email("a@notnhs.net") == Approval.PENDING
    assert approval_for_email("a@gmail.com") == Approval.PENDING


def test_an_unapproved_member_waits_and_cannot_browse(client: Client, settings) -> None:
    settings.OPENHOURS_REQUIRE_APPROVAL = True
    settings.OPENHOURS_TRUSTED_EMAIL_DOMAINS = ["nhs.net"]
    client.post(reverse("account_signup"), {**SIGNUP, "email": "sam@charity.org.uk"})
    client.post(_verification_link())
    user = User.objects.get(email="sam@charity.org.uk")
    assert user.approval == Approval.PENDING
    for name in ["posts:list", "posts:create", "members:directory", "members:edit"]:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:awaiting_approval")
    assert client.get(reverse("accounts:awaiting_approval")).status_code == 200


def test_deciding_twice_is_refused(coordinator: User) -> None:
    pending = UserFactory(approval=Approval.PENDING)
    decide_membership(coordinator=coordinator, member=pending, approve=True)
    with pytest.raises(DomainError, match="not waiting"):
        decide_membership(coordinator=coordinator, member=pending, approve=False)


def test_password_reset_sends_an_email(client: Client, member: User) -> None:
    response = client.post(reverse("account_reset_password"), {"email": member.email})
    assert response.status_code == 302
    assert mail.outbox and member.email in mail.outbox[-1].to


def test_a_pending_member_lands_on_the_waiting_page(client: Client) -> None:
    pending = UserFactory(approval=Approval.PENDING)
    client.force_login(pending)
    response = client.get(reverse("home"))
    assert response["Location"] == reverse("accounts:awaiting_approval")


def test_verification_emails_name_openhours_not_example_com(client: Client) -> None:
    client.post(reverse("account_signup"), SIGNUP)
    message = mail.outbox[-1]
    assert "example.com" not in message.subject + message.body
    assert "OpenHours" in message.subject


def test_set_role_makes_a_coordinator(member: User) -> None:
    from django.core.management import call_command

    call_command("set_role", member.email, "coordinator")
    member.refresh_from_db()
    assert member.is_coordinator


def test_set_role_refuses_an_unknown_email() -> None:
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="No member"):
        call_command("set_role", "nobody@nowhere.test", "coordinator")


@pytest.mark.parametrize("password", ["short-pass1", "password1234", "123456789012"])
def test_a_short_or_common_password_is_refused(client: Client, password: str) -> None:
    data = {**SIGNUP, "email": "newcomer@nhs.net", "password1": password, "password2": password}
    response = client.post(reverse("account_signup"), data)
    assert response.status_code == 200  # the form again, with the reason
    assert not User.objects.filter(email="newcomer@nhs.net").exists()
