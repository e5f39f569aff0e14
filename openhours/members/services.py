"""Writes to member profiles and blocks."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from openhours.accounts.models import User
from openhours.core.errors import DomainError
from openhours.organisations.models import Organisation, Team

from .models import Block, Category, Profession, Profile, Skill

MAX_SKILLS = 20


@dataclass(frozen=True, kw_only=True)
class ProfileDetails:
    full_name: str
    job_title: str = ""
    profession: Profession | None = None
    band: str = ""
    organisations: list[Organisation] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)
    skills: list[Skill] = field(default_factory=list)
    new_skill_names: list[str] = field(default_factory=list)
    can_help_with: str = ""
    want_to_learn: str = ""
    bio: str = ""
    availability: str = ""
    mode_video: bool = True
    mode_phone: bool = True
    mode_in_person: bool = False
    mode_written: bool = True
    visibility: str = "members"


def get_or_create_profile(user: User) -> Profile:
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


def find_or_add_skill(name: str) -> Skill:
    """A skill by name, ignoring case; members may add ones the curated list lacks."""
    clean = " ".join(name.split())[:80]
    if len(clean) < 2:
        raise DomainError("A skill needs at least two letters.", field="new_skills")
    existing = Skill.objects.filter(name__iexact=clean).first()
    if existing:
        return existing
    skill, _ = Skill.objects.get_or_create(
        name=clean[0].upper() + clean[1:], defaults={"category": Category.OTHER}
    )
    return skill


def update_profile(*, user: User, details: ProfileDetails) -> Profile:
    name = " ".join(details.full_name.split())
    if len(name) < 2:
        raise DomainError("Enter your name so colleagues can recognise you.", field="full_name")
    with transaction.atomic():
        skills = list(details.skills) + [find_or_add_skill(n) for n in details.new_skill_names]
        unique_skills = list({s.pk: s for s in skills}.values())
        if len(unique_skills) > MAX_SKILLS:
            raise DomainError(f"Choose at most {MAX_SKILLS} skills.", field="skills")
        teams = [t for t in details.teams if t.organisation in details.organisations]
        profile = get_or_create_profile(user)
        user.full_name = name
        user.save(update_fields=["full_name"])
        profile.job_title = details.job_title.strip()
        profile.profession = details.profession
        profile.band = details.band
        profile.can_help_with = details.can_help_with.strip()
        profile.want_to_learn = details.want_to_learn.strip()
        profile.bio = details.bio.strip()
        profile.availability = details.availability.strip()
        profile.mode_video = details.mode_video
        profile.mode_phone = details.mode_phone
        profile.mode_in_person = details.mode_in_person
        profile.mode_written = details.mode_written
        profile.visibility = details.visibility
        profile.save()
        profile.organisations.set(details.organisations)
        profile.teams.set(teams)
        profile.skills.set(unique_skills)
    return profile


def block_member(*, blocker: User, blocked: User) -> Block:
    """`blocker` no longer wants to be brought together with `blocked`.

    Idempotent: blocking someone already blocked returns the existing block (a double
    click or a second tab does nothing more). Matching reads blocks in both directions.
    """
    if blocker.pk == blocked.pk:
        raise DomainError("You can't block yourself.")
    with transaction.atomic():
        block, _ = Block.objects.get_or_create(
            blocker=blocker, blocked=blocked, defaults={"created_at": timezone.now()}
        )
    return block


def unblock_member(*, blocker: User, blocked: User) -> bool:
    """Lift `blocker`'s block of `blocked`; True if there was one. Idempotent.

    A block the other member made stays: only its maker can lift it.
    """
    with transaction.atomic():
        deleted, _ = Block.objects.filter(blocker=blocker, blocked=blocked).delete()
    return deleted > 0
