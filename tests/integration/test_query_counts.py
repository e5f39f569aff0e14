"""Every page a member, coordinator or leader uses makes a bounded number of queries,
whatever the data size, and a GET writes nothing.

Each page is rendered on small data and again after ``grow`` has tripled every row the
pages list (members with profiles, posts, exchanges, group sessions, credits,
notifications); the number of queries must not change. A page that read one row more per
member, post or exchange (an N+1) would fail here long before it hurt at 100,000 members.

Writes: a GET must not INSERT, UPDATE or DELETE anything. Not even the session is written
(signing in is a POST). The one exception is matching's: the home page and a request's
page bring the matching documents up to date (``sync_documents``, INSERT INTO
matching_requestdocument) when the index in the web process refreshes itself, on the
request path. Another part of issue 19 moves that refresh off it; then
``MATCHING_TABLES`` goes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from openhours.accounts.models import Role, User
from openhours.accounts.tests.factories import UserFactory
from openhours.exchanges.models import Exchange
from openhours.exchanges.services import (
    accept_exchange,
    confirm_exchange,
    record_delivery,
    respond_to_post,
)
from openhours.group_sessions.models import GroupSession
from openhours.group_sessions.services import sign_up
from openhours.group_sessions.tests.factories import make_group_session
from openhours.insight.refresh import refresh
from openhours.ledger.services import grant_joining_credit
from openhours.members.models import Profession, Skill
from openhours.members.services import ProfileDetails, update_profile
from openhours.notifications.services import notify
from openhours.organisations.models import Organisation
from openhours.organisations.tests.factories import OrganisationFactory
from openhours.posts.models import Kind, Post
from openhours.posts.tests.factories import make_post

pytestmark = pytest.mark.django_db

# Tables a GET may write today, and why (see the module's docstring).
MATCHING_TABLES = {"matching_memberdocument", "matching_requestdocument"}
WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


@dataclass
class World:
    member: User
    coordinator: User
    leader: User
    request: Post
    other_request: Post
    exchange: Exchange
    session: GroupSession
    organisations: list[Organisation]
    skills: list[Skill]
    profession: Profession
    grown: int = 0


def _profile(user: User, world: World, n: int) -> None:
    update_profile(
        user=user,
        details=ProfileDetails(
            full_name=user.full_name,
            job_title=f"Audit lead {n}",
            profession=world.profession,
            organisations=world.organisations[n % 3 : n % 3 + 2],
            skills=world.skills[n % 4 : n % 4 + 3],
            can_help_with="Clinical audit, survey design and quality improvement.",
            bio="Happy to help with audit.",
        ),
    )


@pytest.fixture
def world(reference_data: None) -> World:
    member = UserFactory(full_name="Maya Member", email="maya@nhs.net")
    coordinator = UserFactory(
        full_name="Cole Coordinator", email="cole@nhs.net", role=Role.COORDINATOR
    )
    leader = UserFactory(full_name="Lee Leader", email="lee@nhs.net", role=Role.LEADER)
    organisations = [OrganisationFactory(name=f"Trust {n}") for n in range(4)]
    w = World(
        member=member,
        coordinator=coordinator,
        leader=leader,
        request=None,  # type: ignore[arg-type]
        other_request=None,  # type: ignore[arg-type]
        exchange=None,  # type: ignore[arg-type]
        session=None,  # type: ignore[arg-type]
        organisations=organisations,
        skills=list(Skill.objects.filter(curated=True).order_by("pk")[:8]),
        profession=Profession.objects.order_by("pk").first(),  # type: ignore[arg-type]
    )
    for n, user in enumerate([member, coordinator, leader]):
        _profile(user, w, n)
        grant_joining_credit(user=user)
    w.request = make_post(member, title="Help with a clinical audit of falls")
    w.other_request = make_post(coordinator, title="Survey design for a patient audit")
    grow(w, 3)
    w.exchange = Exchange.objects.filter(receiver=member).order_by("pk").first()  # type: ignore[assignment]
    w.session = GroupSession.objects.order_by("pk").first()  # type: ignore[assignment]
    return w


def grow(w: World, count: int) -> None:
    """``count`` more of everything the pages list, around the three personas."""
    for _ in range(count):
        w.grown += 1
        n = w.grown
        helper = UserFactory(full_name=f"Helper {n:03d} Audit")
        _profile(helper, w, n)
        grant_joining_credit(user=helper)
        make_post(helper, title=f"Audit question number {n}")
        make_post(helper, title=f"Audit offer number {n}", kind=Kind.OFFER)
        # A confirmed exchange with the member (credits move both ways over time) ...
        done = respond_to_post(responder=helper, post=w.request)
        accept_exchange(exchange=done, actor=w.member)
        record_delivery(exchange=done, actor=helper, minutes=30)
        confirm_exchange(exchange=done, actor=w.member)
        # ... one still waiting for the member to answer, on the coordinator's request too,
        asked = make_post(helper, title=f"Needs a hand {n}")
        respond_to_post(responder=w.member, post=asked)
        respond_to_post(responder=helper, post=w.other_request)
        # a group session the member signed up for, and notifications.
        session = make_group_session(helper, title=f"Audit basics {n}")
        sign_up(session=session, member=w.member)
        notify(recipient=w.member, actor=helper, verb="test.page", message=f"Note {n}", url="/")
        notify(recipient=w.coordinator, actor=helper, verb="test.page", message="Note", url="/")
    refresh(rebuild=True, now=timezone.now() + timedelta(seconds=1))


Page = tuple[str, str, Callable[[World], str]]

PAGES: list[Page] = [
    ("about", "anonymous", lambda w: "/about/"),
    ("about", "member", lambda w: "/about/"),
    ("home", "member", lambda w: "/"),
    ("home", "coordinator", lambda w: "/"),
    ("browse", "member", lambda w: "/posts/?kind=request"),
    ("browse offers", "member", lambda w: "/posts/?kind=offer"),
    ("search", "member", lambda w: "/posts/?q=audit"),
    ("request with helpers", "member", lambda w: f"/posts/{w.request.pk}/"),
    ("request", "coordinator", lambda w: f"/posts/{w.other_request.pk}/"),
    ("my posts", "member", lambda w: "/posts/mine/"),
    ("profile", "member", lambda w: f"/members/{w.coordinator.pk}/"),
    ("own profile", "member", lambda w: f"/members/{w.member.pk}/"),
    ("directory", "member", lambda w: "/members/"),
    ("directory", "coordinator", lambda w: "/members/"),
    ("directory search", "member", lambda w: "/members/?q=audit"),
    ("directory by skill", "member", lambda w: f"/members/?skill={w.skills[2].pk}"),
    ("statement", "member", lambda w: "/credits/"),
    ("notifications", "member", lambda w: "/notifications/"),
    ("exchanges", "member", lambda w: "/exchanges/"),
    ("exchange", "member", lambda w: f"/exchanges/{w.exchange.pk}/"),
    ("sessions", "member", lambda w: "/sessions/"),
    ("session", "member", lambda w: f"/sessions/{w.session.pk}/"),
    ("insight", "leader", lambda w: "/insight/"),
    ("approvals", "coordinator", lambda w: "/membership/approvals/"),
]


def _client(w: World, persona: str) -> Client:
    client = Client()
    if persona != "anonymous":
        client.force_login(getattr(w, persona))
    return client


def _visit(client: Client, url: str) -> CaptureQueriesContext:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return queries


def _writes(queries: CaptureQueriesContext) -> list[str]:
    tables = []
    for query in queries.captured_queries:
        found = WRITE.match(query["sql"])
        if found and found.group(2) not in MATCHING_TABLES:
            tables.append(f"{found.group(1)} {found.group(2)}")
    return tables


def test_every_page_makes_as_many_queries_on_three_times_the_data(world: World) -> None:
    clients = {p: _client(world, p) for p in ("anonymous", "member", "coordinator", "leader")}
    for _, persona, url in PAGES:
        _visit(clients[persona], url(world))  # first visits: caches, the matching index
    small = {
        (name, persona): len(_visit(clients[persona], url(world))) for name, persona, url in PAGES
    }
    grow(world, 2 * world.grown)
    for _, persona, url in PAGES:
        _visit(clients[persona], url(world))
    large = {
        (name, persona): len(_visit(clients[persona], url(world))) for name, persona, url in PAGES
    }
    grew = {page: (small[page], large[page]) for page in small if large[page] != small[page]}
    assert grew == {}


@pytest.mark.parametrize(("name", "persona", "url"), PAGES, ids=[f"{p[0]}-{p[1]}" for p in PAGES])
def test_a_get_writes_nothing(world: World, name: str, persona: str, url: Callable) -> None:
    client = _client(world, persona)
    first = _visit(client, url(world))
    again = _visit(client, url(world))
    assert _writes(first) == []
    assert _writes(again) == []


def test_the_trivial_view_answers_without_the_database(client: Client) -> None:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/health/live")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert len(queries) == 0


# The counts above stay fast at scale only if PostgreSQL plans them with statistics:
# after a bulk load it knows nothing of the new rows until autovacuum looks.
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="ANALYZE statistics are PostgreSQL's"
)


def _last_analysed(*tables: str) -> dict[str, object]:
    with connection.cursor() as cursor:
        # Statistics views are read once per transaction unless the snapshot is cleared.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT relname, last_analyze FROM pg_stat_user_tables WHERE relname = ANY(%s)",
            [list(tables)],
        )
        return dict(cursor.fetchall())


def _sampled(table: str) -> int:
    """Columns with statistics for ``table``: rows the planner knows of (pg_stats is
    transactional, so this sees an ANALYZE made inside the test's transaction)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = %s", [table])
        return int(cursor.fetchone()[0])


@pytest.mark.postgres
@postgresql_only
def test_importing_organisations_leaves_their_tables_analysed(db: None) -> None:
    from openhours.organisations.importer import import_organisations

    before = _last_analysed("organisations_organisation", "organisations_place")
    import_organisations(icb_codes=["QUY"])
    after = _last_analysed("organisations_organisation", "organisations_place")
    assert set(after) == {"organisations_organisation", "organisations_place"}
    for table, analysed in after.items():
        assert analysed is not None and analysed != before.get(table)
    assert _sampled("organisations_organisation") > 0


@pytest.mark.postgres
@postgresql_only
def test_seed_demo_leaves_the_database_analysed(db: None) -> None:
    from io import StringIO

    from django.core.management import call_command

    tables = ("accounts_user", "members_profile", "posts_post", "ledger_entry")
    before = _last_analysed(*tables)
    out = StringIO()
    call_command("seed_demo", "--members=12", "--posts=12", "--no-history", stdout=out)
    after = _last_analysed(*tables)
    assert "Analysed the database" in out.getvalue()
    for table in tables:
        assert after[table] is not None and after[table] != before.get(table), table
    assert _sampled("members_profile") > 0


def test_seed_demo_says_nothing_of_statistics_on_sqlite(db: None) -> None:
    if connection.vendor == "postgresql":
        pytest.skip("the PostgreSQL case is the test above")
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("seed_demo", "--members=5", "--posts=5", "--no-history", stdout=out)
    assert "Analysed" not in out.getvalue()


@pytest.mark.parametrize("url", ["/members/", "/posts/?kind=request"])
def test_filter_forms_read_their_lists_without_a_server_side_cursor(world: World, url: str) -> None:
    # On PostgreSQL Django's choice iterator would DECLARE, FETCH and CLOSE a cursor for
    # each list of skills, professions or places: three round trips instead of one.
    queries = _visit(_client(world, "member"), url)
    assert [q["sql"] for q in queries.captured_queries if "DECLARE" in q["sql"]] == []


def test_the_layout_costs_a_member_three_queries_and_a_visitor_none(world: World) -> None:
    # The session, the member, and the unread count for the header's badge.
    queries = _visit(_client(world, "member"), "/about/")
    assert len(queries) == 3
    assert "notifications_notification" in queries.captured_queries[-1]["sql"]
    assert len(_visit(_client(world, "anonymous"), "/about/")) == 0
