"""Invitations: who may invite whom to a request, and asking nobody twice."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core import mail

from openhours.accounts.models import Approval, User
from openhours.accounts.tests.factories import UserFactory
from openhours.core.errors import DomainError
from openhours.matching.models import RequestRouting, RoutingStage, Suggestion, SuggestionKind
from openhours.matching.services import invite_to_request, mark_handled
from openhours.members.services import block_member
from openhours.notifications.models import Notification
from openhours.posts.models import Kind, Post
from openhours.posts.services import close_post
from openhours.posts.tests.factories import make_post

pytestmark = pytest.mark.django_db

CaptureCallbacks = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


@pytest.fixture
def request_post(member: User) -> Post:
    return make_post(member, title="Power BI dashboard for falls data")


@pytest.fixture
def helper(db: None) -> User:
    return UserFactory(full_name="Hana Helper", email="hana@nhs.net")


def test_the_requester_invites_a_member_who_is_told_with_a_link(
    request_post: Post, member: User, helper: User
) -> None:
    suggestion = invite_to_request(post=request_post, member=helper, inviter=member)

    assert suggestion.kind == SuggestionKind.INVITATION
    assert suggestion.invited_by == member
    note = Notification.objects.get(recipient=helper)
    assert note.needs_action
    assert note.verb == "matching.invited"
    assert "Maya Member asked if you could help with “Power BI dashboard" in note.message
    assert note.url == f"/posts/{request_post.pk}/"


def test_a_coordinator_may_invite_on_the_requesters_behalf(
    request_post: Post, coordinator: User, helper: User
) -> None:
    invite_to_request(post=request_post, member=helper, inviter=coordinator)
    note = Notification.objects.get(recipient=helper)
    assert "Cole Coordinator, a coordinator, thought you could help" in note.message


def test_inviting_twice_asks_once(
    request_post: Post, member: User, coordinator: User, helper: User
) -> None:
    first = invite_to_request(post=request_post, member=helper, inviter=member)
    second = invite_to_request(post=request_post, member=helper, inviter=coordinator)
    assert first.pk == second.pk
    assert Suggestion.objects.count() == 1
    assert Notification.objects.filter(recipient=helper).count() == 1


def test_an_invitation_emails_a_member_who_wants_email_straight_away(
    request_post: Post,
    member: User,
    helper: User,
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invite_to_request(post=request_post, member=helper, inviter=member)
    assert [m.to for m in mail.outbox] == [[helper.email]]


def test_someone_else_may_not_invite_people_to_a_request(
    request_post: Post, outsider: User, helper: User
) -> None:
    with pytest.raises(DomainError, match="Only the person who asked, or a coordinator"):
        invite_to_request(post=request_post, member=helper, inviter=outsider)
    assert not Suggestion.objects.exists()


def test_nobody_is_invited_to_their_own_request(request_post: Post, member: User) -> None:
    with pytest.raises(DomainError, match="their own request"):
        invite_to_request(post=request_post, member=member, inviter=member)


def test_nobody_is_invited_across_a_block_either_way(
    request_post: Post, member: User, coordinator: User, helper: User, outsider: User
) -> None:
    block_member(blocker=member, blocked=helper)
    block_member(blocker=outsider, blocked=member)
    for blocked in (helper, outsider):
        with pytest.raises(DomainError, match="can't be invited"):
            invite_to_request(post=request_post, member=blocked, inviter=coordinator)
    assert not Suggestion.objects.exists()
    assert not Notification.objects.filter(recipient__in=[helper, outsider]).exists()


@pytest.mark.parametrize(
    "account", [{"is_active": False}, {"approval": Approval.PENDING}], ids=["inactive", "pending"]
)
def test_inactive_or_unapproved_members_are_not_invited(
    request_post: Post, member: User, account: dict[str, object]
) -> None:
    someone = UserFactory(**account)
    with pytest.raises(DomainError, match="isn't an active member"):
        invite_to_request(post=request_post, member=someone, inviter=member)


def test_nobody_is_invited_to_a_closed_request_or_an_offer(
    request_post: Post, member: User, helper: User
) -> None:
    offer = make_post(member, kind=Kind.OFFER, title="Excel training")
    with pytest.raises(DomainError, match="requests only"):
        invite_to_request(post=offer, member=helper, inviter=member)
    close_post(actor=member, post=request_post)
    with pytest.raises(DomainError, match="closed"):
        invite_to_request(post=request_post, member=helper, inviter=member)


def test_a_coordinator_marks_a_queued_request_handled_once(
    request_post: Post, coordinator: User
) -> None:
    from django.utils import timezone

    now = timezone.now()
    RequestRouting.objects.create(
        post=request_post, stage=RoutingStage.QUEUED, routed_at=now, queued_at=now
    )
    mark_handled(post=request_post, coordinator=coordinator)
    other = UserFactory(role="coordinator")
    routing = mark_handled(post=request_post, coordinator=other)
    assert routing.handled_by == coordinator


def test_only_queued_requests_can_be_marked_handled_and_only_by_coordinators(
    request_post: Post, coordinator: User, member: User
) -> None:
    with pytest.raises(DomainError, match="isn't in the coordinators' queue"):
        mark_handled(post=request_post, coordinator=coordinator)
    with pytest.raises(DomainError, match="Only coordinators"):
        mark_handled(post=request_post, coordinator=member)
