"""Reads of member profiles: the directory and the one access function for a profile."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from .models import Profile, Visibility


@dataclass(frozen=True, kw_only=True)
class DirectoryFilters:
    text: str = ""
    skill_id: int | None = None
    organisation_id: int | None = None
    organisation_kind: str = ""
    profession_id: int | None = None
    place_id: int | None = None


def directory(filters: DirectoryFilters, *, viewer: Any) -> QuerySet[Profile]:
    """Approved, active members who let others see them (coordinators see everyone)."""
    profiles = Profile.objects.filter(user__is_active=True, user__approval="approved")
    if not getattr(viewer, "is_coordinator", False):
        profiles = profiles.filter(Q(visibility=Visibility.MEMBERS) | Q(user=viewer))
    if filters.skill_id:
        profiles = profiles.filter(skills__id=filters.skill_id)
    if filters.organisation_id:
        profiles = profiles.filter(organisations__id=filters.organisation_id)
    if filters.organisation_kind:
        profiles = profiles.filter(organisations__kind=filters.organisation_kind)
    if filters.profession_id:
        profiles = profiles.filter(profession_id=filters.profession_id)
    if filters.place_id:
        profiles = profiles.filter(organisations__place_id=filters.place_id)
    for word in filters.text.split()[:6]:
        profiles = profiles.filter(
            Q(user__full_name__icontains=word)
            | Q(job_title__icontains=word)
            | Q(can_help_with__icontains=word)
            | Q(skills__name__icontains=word)
        )
    ids = profiles.values("pk")
    return (
        Profile.objects.filter(pk__in=ids)
        .select_related("user", "profession")
        .prefetch_related("skills", "organisations")
        .order_by("user__full_name", "pk")
    )


def get_profile_for_viewer(user_id: int, viewer: Any) -> Profile:
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
    if profile.user.approval != "approved" or profile.visibility != Visibility.MEMBERS:
        raise Http404("No such member.")
    return profile
