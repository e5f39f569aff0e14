"""Blocking: a member can stop being brought together with someone, and lift it again."""

from __future__ import annotations

import html

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openhours.accounts.models import User
from openhours.accounts.tests.factories import UserFactory
from openhours.core.errors import DomainError
from openhours.members.models import Block
from openhours.members.selectors import blocked_either_way
from openhours.members.services import block_member, unblock_member

pytestmark = pytest.mark.django_db


def test_blocked_either_way_names_whom_i_blocked_and_who_blocked_me(
    member: User, outsider: User
) -> None:
    stranger = UserFactory()
    bystander = UserFactory()
    block_member(blocker=member, blocked=outsider)
    block_member(blocker=stranger, blocked=member)
    block_member(blocker=outsider, blocked=bystander)

    assert blocked_either_way(member.pk) == {outsider.pk, stranger.pk}
    assert blocked_either_way(outsider.pk) == {member.pk, bystander.pk}
    assert blocked_either_way(bystander.pk) == {outsider.pk}


def test_a_member_with_no_blocks_has_nobody_blocked(member: User) -> None:
    assert blocked_either_way(member.pk) == set()


def test_blocking_twice_keeps_one_block(member: User, outsider: User) -> None:
    first = block_member(blocker=member, blocked=outsider)
    second = block_member(blocker=member, blocked=outsider)
    assert first.pk == second.pk
    assert Block.objects.count() == 1


def test_unblocking_lifts_only_my_own_block(member: User, outsider: User) -> None:
    block_member(blocker=member, blocked=outsider)
    block_member(blocker=outsider, blocked=member)

    assert unblock_member(blocker=member, blocked=outsider) is True
    assert unblock_member(blocker=member, blocked=outsider) is False
    assert blocked_either_way(member.pk) == {outsider.pk}


def test_a_member_cannot_block_themselves(member: User) -> None:
    with pytest.raises(DomainError, match="yourself"):
        block_member(blocker=member, blocked=member)


def test_the_database_refuses_a_self_block_or_a_duplicate(member: User, outsider: User) -> None:
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        Block.objects.create(blocker=member, blocked=member, created_at=now)
    Block.objects.create(blocker=member, blocked=outsider, created_at=now)
    with pytest.raises(IntegrityError), transaction.atomic():
        Block.objects.create(blocker=member, blocked=outsider, created_at=now)


def _profile(user: User, **fields: object) -> None:
    from openhours.members.services import ProfileDetails, update_profile

    update_profile(user=user, details=ProfileDetails(full_name=user.full_name, **fields))  # type: ignore[arg-type]


def test_a_profile_offers_a_block_button_that_explains_before_blocking(
    member_client: Client, member: User, outsider: User
) -> None:
    _profile(outsider, job_title="Porter")
    page = member_client.get(reverse("members:detail", args=[outsider.pk])).content.decode()
    assert reverse("members:block", args=[outsider.pk]) in page

    confirm = member_client.get(reverse("members:block", args=[outsider.pk]))
    assert confirm.status_code == 200
    assert "won't suggest Otto Outsider" in html.unescape(confirm.content.decode())
    assert not Block.objects.exists()

    response = member_client.post(reverse("members:block", args=[outsider.pk]))
    assert response["Location"] == reverse("members:detail", args=[outsider.pk])
    assert blocked_either_way(member.pk) == {outsider.pk}
    page = member_client.get(reverse("members:detail", args=[outsider.pk])).content.decode()
    assert "You have blocked Otto Outsider" in page


def test_my_own_profile_links_to_my_blocked_members_and_has_no_block_button(
    member_client: Client, member: User
) -> None:
    _profile(member, job_title="QI lead", bio="Hello")
    page = member_client.get(reverse("members:detail", args=[member.pk])).content.decode()
    assert reverse("members:blocked") in page
    assert reverse("members:block", args=[member.pk]) not in page


def test_a_member_cannot_block_themselves_through_the_page(
    member_client: Client, member: User
) -> None:
    _profile(member, job_title="QI lead")
    response = member_client.post(reverse("members:block", args=[member.pk]))
    assert response.status_code == 302
    assert not Block.objects.exists()


def test_blocked_members_lists_my_blocks_and_unblocks(
    member_client: Client, member: User, outsider: User
) -> None:
    block_member(blocker=member, blocked=outsider)
    page = member_client.get(reverse("members:blocked")).content.decode()
    assert "Otto Outsider" in page

    response = member_client.post(reverse("members:unblock", args=[outsider.pk]))
    assert response["Location"] == reverse("members:blocked")
    assert blocked_either_way(member.pk) == set()
    member_client.get(response["Location"])  # shows (and uses up) "You have unblocked …"
    again = member_client.post(reverse("members:unblock", args=[outsider.pk]), follow=True)
    text = html.unescape(again.content.decode())
    # Any member id can be posted here: the answer must not say whose it is.
    assert "That member wasn't blocked" in text
    assert "Otto Outsider" not in text
    assert "You haven't blocked anyone" in text


@pytest.mark.parametrize(
    ("next_url", "lands_on_profile"),
    [
        ("profile-page", True),
        ("https://evil.example/", False),
        ("//evil.example/", False),
        ("profile", False),
        ("", False),
    ],
)
def test_unblocking_returns_only_to_a_page_of_this_site(
    member_client: Client, member: User, outsider: User, next_url: str, lands_on_profile: bool
) -> None:
    block_member(blocker=member, blocked=outsider)
    profile = reverse("members:detail", args=[outsider.pk])
    posted = profile if next_url == "profile-page" else next_url
    response = member_client.post(reverse("members:unblock", args=[outsider.pk]), {"next": posted})
    expected = profile if lands_on_profile else reverse("members:blocked")
    assert response["Location"] == expected


def test_unblocking_is_post_only_and_unknown_members_are_not_found(
    member_client: Client, outsider: User
) -> None:
    assert member_client.get(reverse("members:unblock", args=[outsider.pk])).status_code == 405
    assert member_client.post(reverse("members:unblock", args=[999999])).status_code == 404
    assert member_client.get(reverse("members:block", args=[999999])).status_code == 404


def test_a_hidden_profile_cannot_be_blocked_by_someone_who_cannot_see_it(
    member_client: Client, outsider: User
) -> None:
    _profile(outsider, visibility="hidden")
    assert member_client.post(reverse("members:block", args=[outsider.pk])).status_code == 404
    assert not Block.objects.exists()


def test_blocking_pages_need_a_signed_in_member(client: Client, outsider: User) -> None:
    response = client.get(reverse("members:blocked"))
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert client.post(reverse("members:block", args=[outsider.pk])).status_code == 302
    assert not Block.objects.exists()
