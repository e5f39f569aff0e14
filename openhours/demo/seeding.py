"""Write a demo Integrated Care System: real organisations, invented people and posts.

The first ``service_limit`` members and posts go through the same services a real member
uses (``members.services.update_profile``, ``posts.services.create_post``), so the demo
exercises the rules those services enforce. Beyond that, for load-testing sizes, rows are
written with ``bulk_create``: a hundred thousand calls to the services would take most of
an hour on SQLite. The plans come from ``generator`` either way, so both paths write the
same content for the same seed. Post rows are inserted normally, so the SQLite full-text
triggers (and the PostgreSQL index) keep search right.

Then ``history`` gives the first ``HISTORY_MEMBER_LIMIT`` members (and the coordinator and
member demo logins) six months of exchanges, group sessions, donations and pool work,
through the exchange, group-session and ledger services with the clock moved back to each
moment.

Everything runs in one transaction: a failed run leaves no half-built demo behind for
``--if-empty`` to mistake for a finished one.

The three demo logins: a coordinator and a member (with profiles, posts and history), and
a system leader, who reads the insight dashboard and has a profile but no posts or history.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q
from django.test.utils import override_settings
from django.utils import timezone
from tqdm import tqdm

from openhours.accounts.models import Role, User
from openhours.members.models import Profession, Profile, Skill
from openhours.members.services import ProfileDetails, update_profile
from openhours.organisations.importer import (
    ImportReport,
    import_organisations,
    load_reference_data,
)
from openhours.organisations.models import ICB, Organisation, OrganisationKind, Place
from openhours.posts.models import Post, Status
from openhours.posts.services import PostDetails, create_post

from .content.showcase import (
    COORDINATOR,
    DEMO_PASSWORD,
    INVENTED_ORGANISATIONS,
    LEADER,
    LEADER_EMAIL,
    MEMBER,
    ShowcaseMember,
)
from .generator import (
    Author,
    DemoGenerator,
    MemberPlan,
    OrgChoice,
    PostPlan,
    World,
    email_domain,
    setting_of,
)
from .history import HISTORY_MEMBER_LIMIT, History, HistoryReport, Participant
from .showcase_history import plan_showcase

SERVICE_LIMIT = 1000
SILENT_EMAIL = "django.core.mail.backends.dummy.EmailBackend"
BATCH = 1000
DEFAULT_MEMBERS = 320
MIN_DEFAULT_POSTS = 220

Say = Callable[[str], None]


class DemoDataError(Exception):
    """The demo cannot be built as asked; the message says why."""


@dataclass(frozen=True)
class SeedResult:
    icb_name: str
    members: int
    posts: int
    invented_organisations: int
    import_report: ImportReport
    seconds: float
    sample_email: str
    history: HistoryReport | None


def default_post_count(members: int) -> int:
    """About one post per member, and never so few that browsing looks empty."""
    return max(members, MIN_DEFAULT_POSTS)


def demo_data_present() -> bool:
    """Any account at all counts: ``--if-empty`` must never add to a real database."""
    return User.objects.exists()


def seed_demo(
    *,
    icb_code: str = "QUY",
    members: int = DEFAULT_MEMBERS,
    posts: int | None = None,
    seed: int = 1,
    now: datetime | None = None,
    service_limit: int = SERVICE_LIMIT,
    history: bool = True,
    progress: bool = False,
    say: Say | None = None,
) -> SeedResult:
    """Build the demo: import one ICB, add invented organisations, members and posts, and
    (unless ``history`` is off) months of exchanges among the first members.

    ``members`` counts every account created, the three demo logins included; ``posts``
    counts every post, the demo member's three included.
    """
    started = time.monotonic()
    say = say or (lambda _message: None)
    posts = default_post_count(members) if posts is None else posts
    _refuse_unbuildable(members=members, posts=posts)
    now = now or timezone.now()
    report: HistoryReport | None = None

    # The history notifies members as it goes, and those who want email "straight away"
    # would get it once the transaction commits: hundreds of messages about events
    # months old, to addresses that look real. Nobody is emailed about demo history.
    with override_settings(EMAIL_BACKEND=SILENT_EMAIL), transaction.atomic():
        imported = import_organisations(icb_codes=[icb_code])
        icb = ICB.objects.get(ods_code=icb_code.strip().upper())
        say(f"Imported {icb.name}: {sum(t.total for t in imported.organisations.values())} orgs")
        invented = _ensure_invented_organisations(icb)
        world = _world(icb, invented, now)
        cast = _create_cast(
            world,
            members=members,
            posts=posts,
            seed=seed,
            now=now,
            service_limit=service_limit,
            progress=progress,
        )
        if history:
            report = _write_history(
                coordinator=cast.coordinator,
                member=cast.member,
                authors=cast.authors[: min(service_limit, HISTORY_MEMBER_LIMIT)],
                icb_name=icb.name,
                seed=seed,
                now=now,
                progress=progress,
            )

    return SeedResult(
        icb_name=icb.name,
        members=members,
        posts=posts,
        invented_organisations=len(invented),
        import_report=imported,
        seconds=time.monotonic() - started,
        sample_email=User.objects.filter(pk=cast.authors[0].index)
        .values_list("email", flat=True)
        .first()
        or MEMBER.email,
        history=report,
    )


def _refuse_unbuildable(*, members: int, posts: int) -> None:
    """A demo too small for the demo logins, or one already built, is refused."""
    if members < 3:
        raise DemoDataError("The demo needs at least 3 members: the three demo logins.")
    if posts < 0:
        raise DemoDataError("The number of posts cannot be negative.")
    if User.objects.filter(email__in=[COORDINATOR.email, MEMBER.email, LEADER_EMAIL]).exists():
        raise DemoDataError(
            "Demo data already present: the demo logins exist. Use a fresh database, or "
            "--if-empty to skip quietly."
        )


@dataclass(frozen=True)
class _Cast:
    coordinator: User
    member: User
    authors: list[Author]


def _create_cast(
    world: World,
    *,
    members: int,
    posts: int,
    seed: int,
    now: datetime,
    service_limit: int,
    progress: bool,
) -> _Cast:
    """The demo logins, the invented members and every post, in the order that keeps the
    demo the same from one run to the next."""
    lookups = _Lookups.load()
    password = make_password(DEMO_PASSWORD)
    taken = set(User.objects.values_list("email", flat=True))
    generator = DemoGenerator(world, seed=seed, taken_emails=taken)

    coordinator = _create_showcase_member(
        COORDINATOR, world, lookups, role=Role.COORDINATOR, now=now
    )
    demo_member = _create_showcase_member(MEMBER, world, lookups, role=Role.MEMBER, now=now)
    showcase_posts = _create_showcase_posts(demo_member, world, lookups, now, limit=posts)

    authors = _create_members(
        generator,
        count=members - 3,
        lookups=lookups,
        password=password,
        service_limit=service_limit,
        progress=progress,
    )
    if not authors:  # only the demo logins: let the demo member write every post
        authors = [_showcase_author(demo_member, world)]
    _create_posts(
        generator,
        authors,
        count=posts - showcase_posts,
        lookups=lookups,
        service_limit=service_limit,
        progress=progress,
    )
    # After the members, so the first members by id are still those the services wrote.
    _create_showcase_member(LEADER, world, lookups, role=Role.LEADER, now=now)
    return _Cast(coordinator=coordinator, member=demo_member, authors=authors)


def _write_history(
    *,
    coordinator: User,
    member: User,
    authors: Sequence[Author],
    icb_name: str,
    seed: int,
    now: datetime,
    progress: bool,
) -> HistoryReport:
    weights = {a.index: a.weight for a in authors}
    weights.setdefault(member.pk, 1.0)
    weights.setdefault(coordinator.pk, 1.0)
    users = User.objects.in_bulk(list(weights))
    participants = [
        Participant(user=user, joined_at=user.date_joined, weight=weights[pk])
        for pk, user in sorted(users.items())
        if user.is_approved
    ]
    posts = Post.objects.filter(author_id__in=list(weights), status=Status.OPEN).order_by("pk")
    history = History(
        participants=participants,
        coordinator=users[coordinator.pk],
        member=users[member.pk],
        posts=list(posts),
        seed=seed,
        now=now,
        icb_name=icb_name,
    )
    history.plan(showcase=plan_showcase)
    return history.run(progress=progress)


# ---------------------------------------------------------------------------------------
# The world: organisations and places members can belong to
# ---------------------------------------------------------------------------------------


def _ensure_invented_organisations(icb: ICB) -> list[Organisation]:
    """The voluntary, hospice, university and care organisations, created if missing."""
    places = list(Place.objects.filter(icb=icb).order_by("name", "pk"))
    names = {f"place{i}": places[i % len(places)].name if places else "" for i in range(3)}
    organisations = []
    for invented in INVENTED_ORGANISATIONS:
        organisation, _ = Organisation.objects.get_or_create(
            name=" ".join(invented.name.format(**names).split()),
            icb=icb,
            ods_code=None,
            defaults={
                "kind": invented.kind,
                "place": places[invented.place % len(places)] if places else None,
            },
        )
        organisations.append(organisation)
    return organisations


def _world(icb: ICB, invented: Sequence[Organisation], now: datetime) -> World:
    """The organisations of the ICB as the reference data lists them, plus the invented.

    Trusts and councils serving several ICBs may be recorded against another one, so they
    are found by the codes the reference data lists for this ICB, not by their ``icb``.
    """
    reference = load_reference_data()
    shared = reference.trusts_by_icb.get(icb.ods_code, []) + reference.las_by_icb.get(
        icb.ods_code, []
    )
    own_kinds = [OrganisationKind.ICB, OrganisationKind.GP_PRACTICE, OrganisationKind.PCN]
    orgs = (
        Organisation.objects.filter(
            Q(icb=icb, kind__in=own_kinds, ods_code__isnull=False)
            | Q(ods_code__in=shared)
            | Q(pk__in=[o.pk for o in invented])
        )
        .filter(is_active=True)
        .select_related("place")
        .order_by("kind", "name", "pk")
    )
    choices: list[OrgChoice] = []
    for org in orgs:
        place = org.place.name if org.place else ""
        choices.append(
            OrgChoice(
                id=org.pk,
                name=org.name,
                kind=org.kind,
                setting=setting_of(org.kind, org.name),
                place_id=org.place_id,
                place_name=place,
                email_domain=email_domain(org.kind, org.name, place),
            )
        )
    places = tuple(Place.objects.filter(icb=icb).order_by("name", "pk").values_list("id", "name"))
    return World(icb_name=icb.name, organisations=tuple(choices), places=places, now=now)


@dataclass(frozen=True)
class _Lookups:
    professions: dict[str, Profession]
    skills: dict[str, Skill]

    @classmethod
    def load(cls) -> _Lookups:
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
# The three demo logins
# ---------------------------------------------------------------------------------------


def _create_showcase_member(
    person: ShowcaseMember, world: World, lookups: _Lookups, *, role: str, now: datetime
) -> User:
    coordinator = role == Role.COORDINATOR
    user = User.objects.create_user(
        person.email,
        DEMO_PASSWORD,
        full_name=person.full_name,
        role=role,
        is_staff=coordinator,
        is_superuser=coordinator,
        date_joined=now - timedelta(days=400 if coordinator else 120),
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    organisations = []
    for kind in person.organisation_kinds:
        first = next((o for o in world.organisations if o.kind == kind), None)
        if first is not None:
            organisations.append(first.id)
    update_profile(
        user=user,
        details=ProfileDetails(
            full_name=person.full_name,
            job_title=person.job_title,
            profession=lookups.profession(person.profession),
            band=person.band,
            organisations=list(Organisation.objects.filter(pk__in=organisations)),
            skills=lookups.skill_list(person.skills),
            can_help_with=person.can_help_with,
            want_to_learn=person.want_to_learn,
            bio=person.bio.format(icb=world.icb_name),
            availability=person.availability,
            mode_in_person=person.mode_in_person,
        ),
    )
    return user


def _create_showcase_posts(
    author: User, world: World, lookups: _Lookups, now: datetime, *, limit: int
) -> int:
    org = author.profile.organisations.select_related("place").first()
    place = org.place if org and org.place else None
    if place is None and world.places:
        place = Place.objects.get(pk=world.places[0][0])
    place_label = place.name if place else "the area"
    for post in MEMBER.posts[:limit]:
        create_post(
            author=author,
            details=PostDetails(
                kind=post.kind,
                title=post.title,
                description=post.description.format(place=place_label),
                category=post.category,
                estimated_minutes=post.minutes,
                mode=post.mode,
                place=place,
                skills=lookups.skill_list(post.skills),
            ),
            now=now - timedelta(days=post.days_ago, hours=3),
        )
    return min(limit, len(MEMBER.posts))


def _showcase_author(user: User, world: World) -> Author:
    return Author(
        index=user.pk,
        organisation=world.organisations[0],
        skills=MEMBER.skills,
        wants=("Power BI dashboards", "Demand and capacity modelling"),
        years=11,
        availability=MEMBER.availability,
        weight=1.0,
    )


# ---------------------------------------------------------------------------------------
# Members
# ---------------------------------------------------------------------------------------


def _create_members(
    generator: DemoGenerator,
    *,
    count: int,
    lookups: _Lookups,
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
            authors.append(_author_for(plan.author, user.pk))
        bar.update(size)
    bar.close()
    return authors


def _author_for(author: Author, user_id: int) -> Author:
    return Author(
        index=user_id,
        organisation=author.organisation,
        skills=author.skills,
        wants=author.wants,
        years=author.years,
        availability=author.availability,
        weight=author.weight,
    )


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
    plans: Sequence[MemberPlan], users: Sequence[User], lookups: _Lookups
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
    plan: MemberPlan, lookups: _Lookups, organisations: list[Organisation]
) -> ProfileDetails:
    return ProfileDetails(
        full_name=plan.full_name,
        profession=lookups.profession(plan.profession),
        organisations=organisations,
        skills=lookups.skill_list(plan.skills),
        **_copied(plan),
    )


def _write_profiles_in_bulk(
    plans: Sequence[MemberPlan], users: Sequence[User], lookups: _Lookups
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


def _create_posts(
    generator: DemoGenerator,
    authors: Sequence[Author],
    *,
    count: int,
    lookups: _Lookups,
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


def _post_details(plan: PostPlan, lookups: _Lookups, places: dict[int, Place]) -> PostDetails:
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


def _write_posts_with_services(plans: Sequence[PostPlan], lookups: _Lookups) -> None:
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


def _write_posts_in_bulk(plans: Sequence[PostPlan], lookups: _Lookups) -> None:
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
