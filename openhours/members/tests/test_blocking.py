"""Blocking: a member can stop being brought together with someone, and lift it again."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from openhours.accounts.models import User
from openhours.core.errors import DomainError
from openhours.factories import UserFactory
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
