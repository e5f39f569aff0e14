"""A coordinator's approval queue (views over membership.services.decide_membership)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from openhours.accounts.models import Approval, User
from openhours.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_coordinator_approves_and_the_member_is_told(
    coordinator_client: Client, coordinator: User, django_capture_on_commit_callbacks
) -> None:
    pending = UserFactory(approval=Approval.PENDING, email="new@charity.org.uk")
    response = coordinator_client.get(reverse("membership:approvals"))
    assert pending.email in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            reverse("membership:decide", args=[pending.pk]), {"decision": "approve"}
        )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.approval == Approval.APPROVED
    assert pending.approved_by == coordinator
    assert any("approved" in m.subject for m in mail.outbox)


def test_a_coordinator_can_decline(coordinator_client: Client) -> None:
    pending = UserFactory(approval=Approval.PENDING)
    coordinator_client.post(
        reverse("membership:decide", args=[pending.pk]), {"decision": "decline"}
    )
    pending.refresh_from_db()
    assert pending.approval == Approval.DECLINED


def test_an_unknown_decision_changes_nothing(coordinator_client: Client) -> None:
    pending = UserFactory(approval=Approval.PENDING)
    coordinator_client.post(reverse("membership:decide", args=[pending.pk]), {"decision": "maybe"})
    pending.refresh_from_db()
    assert pending.approval == Approval.PENDING


def test_the_outsider_cannot_approve(outsider_client: Client) -> None:
    pending = UserFactory(approval=Approval.PENDING)
    assert outsider_client.get(reverse("membership:approvals")).status_code == 403
    response = outsider_client.post(
        reverse("membership:decide", args=[pending.pk]), {"decision": "approve"}
    )
    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.approval == Approval.PENDING
