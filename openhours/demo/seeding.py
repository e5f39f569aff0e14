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

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q
from django.test.utils import override_settings
from django.utils import timezone

from openhours.accounts.models import Role, User
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
from .crowd import DemoDataError as DemoDataError  # raised to seed_demo's callers
from .crowd import Lookups, create_members, create_posts
from .generator import (
    Author,
    DemoGenerator,
    OrgChoice,
    World,
    email_domain,
    setting_of,
)
from .history import HISTORY_MEMBER_LIMIT, History, HistoryReport
from .showcase_history import plan_showcase
from .stories import Participant

SERVICE_LIMIT = 1000
SILENT_EMAIL = "django.core.mail.backends.dummy.EmailBackend"
DEFAULT_MEMBERS = 320
MIN_DEFAULT_POSTS = 220

Say = Callable[[str], None]


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
        imported, invented, world = _import_world(icb_code, now=now, say=say)
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
                icb_name=world.icb_name,
                seed=seed,
                now=now,
                progress=progress,
            )

    return SeedResult(
        icb_name=world.icb_name,
        members=members,
        posts=posts,
        invented_organisations=len(invented),
        import_report=imported,
        seconds=time.monotonic() - started,
        sample_email=_email_of(cast.authors[0].index) or MEMBER.email,
        history=report,
    )


def _import_world(
    icb_code: str, *, now: datetime, say: Say
) -> tuple[ImportReport, list[Organisation], World]:
    """The ICB's organisations imported, the invented ones added, and the world of both."""
    imported = import_organisations(icb_codes=[icb_code])
    icb = ICB.objects.get(ods_code=icb_code.strip().upper())
    say(f"Imported {icb.name}: {sum(t.total for t in imported.organisations.values())} orgs")
    invented = _ensure_invented_organisations(icb)
    return imported, invented, _world(icb, invented, now)


def _email_of(user_id: int) -> str | None:
    return User.objects.filter(pk=user_id).values_list("email", flat=True).first()


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
    lookups = Lookups.load()
    password = make_password(DEMO_PASSWORD)
    taken = set(User.objects.values_list("email", flat=True))
    generator = DemoGenerator(world, seed=seed, taken_emails=taken)

    coordinator = _create_showcase_member(
        COORDINATOR, world, lookups, role=Role.COORDINATOR, now=now
    )
    demo_member = _create_showcase_member(MEMBER, world, lookups, role=Role.MEMBER, now=now)
    showcase_posts = _create_showcase_posts(demo_member, world, lookups, now, limit=posts)

    authors = create_members(
        generator,
        count=members - 3,
        lookups=lookups,
        password=password,
        service_limit=service_limit,
        progress=progress,
    )
    if not authors:  # only the demo logins: let the demo member write every post
        authors = [_showcase_author(demo_member, world)]
    create_posts(
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


# ---------------------------------------------------------------------------------------
# The three demo logins
# ---------------------------------------------------------------------------------------


def _create_showcase_member(
    person: ShowcaseMember, world: World, lookups: Lookups, *, role: str, now: datetime
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
    author: User, world: World, lookups: Lookups, now: datetime, *, limit: int
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
