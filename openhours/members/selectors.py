"""Reads of member profiles: the directory, the member picker's search and the one access
function for a profile."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Exists, OuterRef, Q, QuerySet, When
from django.http import Http404

from openhours.accounts.models import User, approved_member_q
from openhours.accounts.permissions import Viewer
from openhours.core.pagination import CappedPaginator
from openhours.organisations.models import Organisation

from .models import Block, Profile, Visibility


@dataclass(frozen=True, kw_only=True)
class DirectoryFilters:
    text: str = ""
    skill_id: int | None = None
    organisation_id: int | None = None
    organisation_kind: str = ""
    profession_id: int | None = None
    place_id: int | None = None


# The directory's order: by name, then by member (the ``members_user_directory_order``
# index on accounts_user serves it; migration members/0004).
DIRECTORY_ORDER = ("user__full_name", "user_id")
# The directory counts matches up to this many and says "more than" beyond it.
DIRECTORY_COUNT_LIMIT = 1000


def _for_the_directory() -> QuerySet[Profile]:
    return Profile.objects.select_related("user", "profession").prefetch_related(
        "skills", "organisations"
    )


def directory(filters: DirectoryFilters, *, viewer: Viewer) -> QuerySet[Profile]:
    """Approved, active members who let others see them (coordinators see everyone),
    by name.

    Filters on skills and organisations are ``EXISTS`` conditions, not joins, so a member
    appears once however many of their skills match, and the list stays a walk of the
    name index: a page of the first names reads a few dozen rows, not every member.
    """
    profiles = _for_the_directory().filter(approved_member_q("user__"))
    if not getattr(viewer, "is_coordinator", False):
        profiles = profiles.filter(Q(visibility=Visibility.MEMBERS) | Q(user=viewer))
    if filters.profession_id:
        profiles = profiles.filter(profession_id=filters.profession_id)
    with_skill = Profile.skills.through.objects.filter(profile_id=OuterRef("pk"))
    at_organisation = Profile.organisations.through.objects.filter(profile_id=OuterRef("pk"))
    if filters.skill_id:
        profiles = profiles.filter(Exists(with_skill.filter(skill_id=filters.skill_id)))
    for lookup, value in (
        ("organisation_id", filters.organisation_id),
        ("organisation__kind", filters.organisation_kind),
        ("organisation__place_id", filters.place_id),
    ):
        if value:
            profiles = profiles.filter(Exists(at_organisation.filter(**{lookup: value})))
    for word in filters.text.split()[:6]:
        profiles = profiles.filter(
            Q(user__full_name__icontains=word)
            | Q(job_title__icontains=word)
            | Q(can_help_with__icontains=word)
            | Exists(with_skill.filter(skill__name__icontains=word))
        )
    return profiles.order_by(*DIRECTORY_ORDER)


class DirectoryPaginator(CappedPaginator[Profile]):
    """Pages of ``directory`` counted up to ``DIRECTORY_COUNT_LIMIT`` (``core.pagination``):
    "more than 1,000 people" rather than an exact count of every profile."""

    def __init__(self, profiles: QuerySet[Profile], per_page: int) -> None:
        super().__init__(
            profiles,
            per_page,
            limit=DIRECTORY_COUNT_LIMIT,
            in_order=lambda ids: _for_the_directory().filter(pk__in=ids).order_by(*DIRECTORY_ORDER),
        )


def get_profile_for_viewer(user_id: int, viewer: Viewer) -> Profile:
    """The one way a view obtains someone's profile; hidden profiles 404 for others."""
    profile = (
        Profile.objects.select_related("user", "profession")
        .prefetch_related("skills", "organisations", "teams")
        .filter(user_id=user_id, user__is_active=True)
        .first()
    )
    if profile is None:
        raise Http404("No such member.")
    if profile.user_id == getattr(viewer, "pk", None) or getattr(viewer, "is_coordinator", False):
        return profile
    if not profile.user.is_approved or profile.visibility != Visibility.MEMBERS:
        raise Http404("No such member.")
    return profile


# Capped here, whatever a caller asks for: a picker shows a handful, never a table.
MEMBER_SEARCH_MAX = 20


def search_members(
    query: str, *, viewer: Viewer, limit: int = 10, exclude_viewer: bool = False
) -> list[User]:
    """Approved, active members matching what was typed, for the member picker.

    Every word must appear in the member's name, job title or one of their organisations'
    names ("maya bristol" finds Maya at North Bristol NHS Trust). The directory's privacy
    rule applies: a member who hid their profile is found only by coordinators (and by
    themselves). A member who has not written a profile yet has not hidden it, so they
    are found by name, as the select they replace listed them. Names that start with the
    first word come first; the rest are in name order.
    """
    words = query.split()[:6]
    if not words:
        return []
    people = User.objects.approved_members()
    if exclude_viewer and viewer.pk is not None:
        people = people.exclude(pk=viewer.pk)
    if not getattr(viewer, "is_coordinator", False):
        people = people.filter(
            Q(profile__isnull=True)
            | Q(profile__visibility=Visibility.MEMBERS)
            | Q(pk=getattr(viewer, "pk", None))
        )
    for word in words:
        # Exists, not a join, so a member at several matching organisations appears once.
        at_organisation = Organisation.objects.filter(
            profiles__user=OuterRef("pk"), name__icontains=word
        )
        people = people.filter(
            Q(full_name__icontains=word)
            | Q(profile__job_title__icontains=word)
            | Q(Exists(at_organisation))
        )
    starts = Case(When(full_name__istartswith=words[0], then=0), default=1)
    return list(
        people.select_related("profile")
        .prefetch_related("profile__organisations")
        .order_by(starts, "full_name", "pk")[: max(1, min(limit, MEMBER_SEARCH_MAX))]
    )


def blocked_either_way(user_id: int) -> set[int]:
    """Ids of the members `user_id` blocked plus those who blocked them.

    Matching uses it both ways: such a member is never suggested to this one, nor this
    one to them, and neither is alerted about the other's requests. One read, both indexes.
    """
    pairs = Block.objects.filter(Q(blocker_id=user_id) | Q(blocked_id=user_id)).values_list(
        "blocker_id", "blocked_id"
    )
    return {blocked if blocker == user_id else blocker for blocker, blocked in pairs}


def blocks_made_by(user_id: int) -> QuerySet[Block]:
    """The blocks a member made, newest first, for their "Blocked members" page."""
    return Block.objects.filter(blocker_id=user_id).select_related("blocked", "blocked__profile")


def has_blocked(blocker_id: int, blocked_id: int) -> bool:
    return Block.objects.filter(blocker_id=blocker_id, blocked_id=blocked_id).exists()
