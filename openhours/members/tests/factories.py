"""Test members with profiles, written through ``members.services`` so their rules apply."""

from __future__ import annotations

from django.utils import timezone

from openhours.accounts.models import User
from openhours.members.services import ProfileDetails, update_profile
from openhours.organisations.models import Organisation


def describe(
    user: User,
    *,
    can_help_with: str,
    job_title: str = "",
    organisations: list[Organisation] | None = None,
    availability: str = "",
    **extra: object,
) -> User:
    """Give ``user`` a profile saying what they can help with, and a recent sign-in (so
    matching counts them as active)."""
    update_profile(
        user=user,
        details=ProfileDetails(
            full_name=user.full_name,
            job_title=job_title,
            can_help_with=can_help_with,
            organisations=organisations or [],
            availability=availability,
            **extra,  # type: ignore[arg-type]
        ),
    )
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    return user
