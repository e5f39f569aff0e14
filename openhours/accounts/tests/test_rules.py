"""The shared rules for who counts: approved, active members and the coordinators."""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from django.test import Client
from django.urls import reverse

from openhours.accounts.models import Approval, Role, User, approved_member_q
from openhours.accounts.permissions import require_coordinator
from openhours.accounts.tests.factories import UserFactory
from openhours.core.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(db: None) -> dict[str, User]:
    """One user for every standing the rules tell apart."""
    return {
        "member": UserFactory(),
        "waiting": UserFactory(approval=Approval.PENDING),
        "declined": UserFactory(approval=Approval.DECLINED),
        "deactivated": UserFactory(is_active=False),
        "coordinator": UserFactory(role=Role.COORDINATOR),
        "leader": UserFactory(role=Role.LEADER),
        "waiting coordinator": UserFactory(role=Role.COORDINATOR, approval=Approval.PENDING),
        "declined coordinator": UserFactory(role=Role.COORDINATOR, approval=Approval.DECLINED),
        "deactivated coordinator": UserFactory(role=Role.COORDINATOR, is_active=False),
    }


def names(cast: dict[str, User], users: Iterable[User]) -> set[str]:
    by_pk = {u.pk: name for name, u in cast.items()}
    return {by_pk[u.pk] for u in users}


def test_approved_members_leave_out_the_waiting_the_declined_and_the_deactivated(
    cast: dict[str, User],
) -> None:
    assert names(cast, User.objects.approved_members()) == {"member", "coordinator", "leader"}
    assert {n for n, u in cast.items() if u.is_approved_member} == {
        "member",
        "coordinator",
        "leader",
    }


def test_the_coordinators_are_approved_active_coordinators_only_in_key_order(
    cast: dict[str, User],
) -> None:
    extra = UserFactory(role=Role.COORDINATOR, full_name="Aaron First By Name")
    assert list(User.objects.coordinators()) == [cast["coordinator"], extra]
    assert {n for n, u in cast.items() if u.is_coordinator} == {"coordinator"}


def test_the_rule_reaches_users_through_a_relation(cast: dict[str, User]) -> None:
    # approved_by is the one relation from a user to a user inside accounts.
    for name, user in cast.items():
        UserFactory(full_name=f"approved by {name}", approved_by=user)
    approved_by_members = User.objects.filter(approved_member_q("approved_by__"))
    assert {u.full_name for u in approved_by_members} == {
        "approved by member",
        "approved by coordinator",
        "approved by leader",
    }


@pytest.mark.parametrize(
    "who",
    ["member", "leader", "waiting coordinator", "declined coordinator", "deactivated coordinator"],
)
def test_require_coordinator_refuses_anyone_who_may_not_act_as_one(
    cast: dict[str, User], who: str
) -> None:
    with pytest.raises(DomainError) as caught:
        require_coordinator(cast[who], to="reverse transfers")
    assert caught.value.message == "Only coordinators can reverse transfers."
    assert caught.value.field is None


def test_require_coordinator_lets_an_approved_active_coordinator_act(
    cast: dict[str, User],
) -> None:
    require_coordinator(cast["coordinator"], to="reverse transfers")


@pytest.mark.parametrize("who", ["waiting coordinator", "declined coordinator"])
def test_a_coordinator_who_may_not_act_is_refused_the_coordinators_pages(
    cast: dict[str, User], who: str, client: Client
) -> None:
    client.force_login(cast[who])
    assert client.get(reverse("membership:approvals")).status_code == 403
    client.force_login(cast["coordinator"])
    assert client.get(reverse("membership:approvals")).status_code == 200
