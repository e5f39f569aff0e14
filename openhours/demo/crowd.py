"""The invented members and their posts, written from ``generator``'s plans.

The first ``service_limit`` of each go through the services a real member uses
(``members.services.update_profile``, ``posts.services.create_post``); the rest are written
with ``bulk_create``, the same rows for the same plans (see ``seeding``).
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from tqdm import tqdm

from openhours.accounts.models import Role, User
from openhours.members.models import Profession, Profile, Skill
from openhours.members.services import ProfileDetails, update_profile
from openhours.organisations.models import Organisation, Place
from openhours.posts.models import Post, Status
from openhours.posts.services import PostDetails, create_post

from .generator import Author, DemoGenerator, MemberPlan, PostPlan

BATCH = 1000


class DemoDataError(Exception):
    """The demo cannot be built as asked; the message says why."""


@dataclass(frozen=True)
class Lookups:
    professions: dict[str, Profession]
    skills: dict[str, Skill]

    @classmethod
    def load(cls) -> Lookups:
        return cls(
            professions={p.name: p for p in Profession.objects.all()},
            skills={s.name: s for s in Skill.objects.filter(curated=True)},
        )

    def profession(self, name: str) -> Profession:
        try:
            return self.professions[name]
        except KeyError:
            raise DemoDataError(
                f"Profession {name!r} is missing: run `manage.py migrate` first."
            ) from None

    def skill_list(self, names: Sequence[str]) -> list[Skill]:
        missing = [n for n in names if n not in self.skills]
        if missing:
            raise DemoDataError(
                f"Curated skill(s) {', '.join(missing)} missing: run `manage.py migrate` first."
            )
        return [self.skills[n] for n in names]


# ---------------------------------------------------------------------------------------
# Members
# ---------------------------------------------------------------------------------------


def create_members(
    generator: DemoGenerator,
    *,
    count: int,
    lookups: Lookups,
    password: str,
    service_limit: int,
    progress: bool,
) -> list[Author]:
    """Create ``count`` members; return them as post authors, indexed by user id."""
    authors: list[Author] = []
    bar = tqdm(total=count, desc="Members", unit=" members", disable=not progress)
    for start, size in _batches(count, BATCH):
        plans = [generator.member(start + i) for i in range(size)]
        through_services = max(0, min(size, service_limit - start))
        users = _create_users(plans, password)
        _write_profiles_with_services(plans[:through_services], users[:through_services], lookups)
        _write_profiles_in_bulk(plans[through_services:], users[through_services:], lookups)
        for plan, user in zip(plans, users, strict=True):
            authors.append(dataclasses.replace(plan.author, index=user.pk))
        bar.update(size)
    bar.close()
    return authors


def _create_users(plans: Sequence[MemberPlan], password: str) -> list[User]:
    """Accounts with verified emails, sharing one password hash.

    Every demo member signs in with the same published password, so hashing it once and
    reusing the result is equivalent to hashing it for each account, and far faster.
    """
    users = User.objects.bulk_create(
        [
            User(
                email=plan.email,
                full_name=plan.full_name,
                password=password,
                role=Role.MEMBER,
                date_joined=plan.joined_at,
            )
            for plan in plans
        ],
        batch_size=500,
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
        batch_size=500,
    )
    return users


def _write_profiles_with_services(
    plans: Sequence[MemberPlan], users: Sequence[User], lookups: Lookups
) -> None:
    ids = list({o.id for plan in plans for o in plan.organisations})
    organisations = Organisation.objects.in_bulk(ids) if ids else {}
    for plan, user in zip(plans, users, strict=True):
        update_profile(
            user=user,
            details=_details(plan, lookups, [organisations[o.id] for o in plan.organisations]),
        )


# The profile fields a plan gives as they are: both write paths (``update_profile`` and
# the bulk insert) take these from one place, so they cannot drift apart.
_COPIED = (
    "job_title",
    "band",
    "can_help_with",
    "want_to_learn",
    "bio",
    "availability",
    "mode_video",
    "mode_phone",
    "mode_in_person",
    "mode_written",
    "visibility",
)


def _copied(plan: MemberPlan) -> dict[str, Any]:
    return {name: getattr(plan, name) for name in _COPIED}


def _details(
    plan: MemberPlan, lookups: Lookups, organisations: list[Organisation]
) -> ProfileDetails:
    return ProfileDetails(
        full_name=plan.full_name,
        profession=lookups.profession(plan.profession),
        organisations=organisations,
        skills=lookups.skill_list(plan.skills),
        **_copied(plan),
    )


def _write_profiles_in_bulk(
    plans: Sequence[MemberPlan], users: Sequence[User], lookups: Lookups
) -> None:
    """What ``update_profile`` writes, as a few multi-row inserts."""
    if not plans:
        return
    profiles = Profile.objects.bulk_create(
        [
            Profile(
                user=user,
                profession=lookups.profession(plan.profession),
                **_copied(plan),
            )
            for plan, user in zip(plans, users, strict=True)
        ],
        batch_size=500,
    )
    org_links = Profile.organisations.through
    skill_links = Profile.skills.through
    org_links.objects.bulk_create(
        [
            org_links(profile_id=profile.pk, organisation_id=org.id)
            for plan, profile in zip(plans, profiles, strict=True)
            for org in plan.organisations
        ],
        batch_size=900,
    )
    skill_links.objects.bulk_create(
        [
            skill_links(profile_id=profile.pk, skill_id=skill.pk)
            for plan, profile in zip(plans, profiles, strict=True)
            for skill in lookups.skill_list(plan.skills)
        ],
        batch_size=900,
    )


# ---------------------------------------------------------------------------------------
# Posts
# ---------------------------------------------------------------------------------------


def create_posts(
    generator: DemoGenerator,
    authors: Sequence[Author],
    *,
    count: int,
    lookups: Lookups,
    service_limit: int,
    progress: bool,
) -> None:
    """Create ``count`` posts, most of them by the most active members."""
    if count <= 0:
        return
    weights = [a.weight for a in authors]
    if not any(weights):
        weights = [1.0] * len(authors)
    cum_weights = list(itertools.accumulate(weights))
    bar = tqdm(total=count, desc="Posts", unit=" posts", disable=not progress)
    for start, size in _batches(count, BATCH):
        plans = [generator.post(authors, cum_weights, start + i, count) for i in range(size)]
        through_services = max(0, min(size, service_limit - start))
        _write_posts_with_services(plans[:through_services], lookups)
        _write_posts_in_bulk(plans[through_services:], lookups)
        bar.update(size)
    bar.close()


def _post_details(plan: PostPlan, lookups: Lookups, places: dict[int, Place]) -> PostDetails:
    return PostDetails(
        kind=plan.kind,
        title=plan.title,
        description=plan.description,
        category=plan.category,
        estimated_minutes=plan.estimated_minutes,
        mode=plan.mode,
        online=plan.online,
        location=plan.location,
        place=places.get(plan.place_id) if plan.place_id else None,
        skills=lookups.skill_list(plan.skills),
    )


def _write_posts_with_services(plans: Sequence[PostPlan], lookups: Lookups) -> None:
    if not plans:
        return
    users = User.objects.in_bulk(list({p.author for p in plans}))
    places = Place.objects.in_bulk(list({p.place_id for p in plans if p.place_id}))
    for plan in plans:
        create_post(
            author=users[plan.author],
            details=_post_details(plan, lookups, places),
            now=plan.created_at,
        )


def _write_posts_in_bulk(plans: Sequence[PostPlan], lookups: Lookups) -> None:
    """What ``create_post`` writes, as multi-row inserts.

    Rows are inserted (not copied in behind the ORM's back), so the FTS5 triggers on
    posts_post index each one. The lifetime rule is the service's:
    OPENHOURS_POST_LIFETIME_DAYS from creation.
    """
    if not plans:
        return
    lifetime = timedelta(days=settings.OPENHOURS_POST_LIFETIME_DAYS)
    posts = Post.objects.bulk_create(
        [
            Post(
                author_id=plan.author,
                kind=plan.kind,
                title=plan.title.strip(),
                description=plan.description.strip(),
                category=plan.category,
                estimated_minutes=plan.estimated_minutes,
                mode=plan.mode,
                online=plan.online,
                location=plan.location.strip(),
                place_id=plan.place_id,
                status=Status.OPEN,
                created_at=plan.created_at,
                updated_at=plan.created_at,
                expires_at=plan.created_at + lifetime,
            )
            for plan in plans
        ],
        batch_size=500,
    )
    links = Post.skills.through
    links.objects.bulk_create(
        [
            links(post_id=post.pk, skill_id=skill.pk)
            for plan, post in zip(plans, posts, strict=True)
            for skill in lookups.skill_list(plan.skills)
        ],
        batch_size=900,
    )


def _batches(count: int, size: int) -> Iterator[tuple[int, int]]:
    for start in range(0, count, size):
        yield start, min(size, count - start)
