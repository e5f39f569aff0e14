"""The refresh: facts and aggregates built from real exchanges, incrementally or from scratch."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from openhours.accounts.models import User
from openhours.exchanges import services as exchanges
from openhours.group_sessions import services as group_sessions
from openhours.group_sessions.models import GroupSession, SessionStatus
from openhours.insight.models import (
    ExchangeFact,
    MemberCount,
    MemberFact,
    MonthFlow,
    OrgBetweenness,
    OrgFlow,
    OrgFlowWindow,
    ProfessionFlow,
    ProfessionFlowWindow,
    RequestFact,
    RequestWindow,
    SiloWindow,
    SkillMonth,
    SkillWindow,
    SpannerScore,
    StaleRequest,
)
from openhours.insight.refresh import refresh
from openhours.insight.selectors import dashboard, default_filters, spanner_members_dataset
from openhours.members.services import get_or_create_profile
from openhours.posts.tests.factories import make_post

from .helpers import exchange, organisation, person, profession, recorder

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


def _ei(**kwargs: Any) -> dict[str, float | None]:
    data = dashboard(default_filters(), suppress=False, **kwargs)
    return {label: score.index for label, score, _prev, _cell in data.ei["organisation"]}


def test_e_i_index_is_minus_one_zero_and_plus_one_on_a_hand_made_network() -> None:
    rita = recorder()
    a, b, c, d = (organisation(n) for n in ("Avon Trust", "Bath Trust", "Cam Council", "Dee PCN"))
    a1, a2 = person("A One", a), person("A Two", a)
    b1, b2 = person("B One", b), person("B Two", b)
    c1, d1 = person("C One", c), person("D One", d)
    exchange(rita, a1, a2)  # Avon: inside only
    exchange(rita, a2, a1)
    exchange(rita, b1, b2)  # Bath: one inside, one across
    exchange(rita, b1, c1)
    exchange(rita, d1, c1)  # Cam and Dee: across only

    refresh()

    scores = _ei()
    assert scores["Avon Trust"] == -1
    assert scores["Bath Trust"] == 0
    assert scores["Cam Council"] == 1
    assert scores["Dee PCN"] == 1


def test_the_bridge_member_is_the_top_boundary_spanner() -> None:
    rita = recorder()
    north, south = organisation("North Trust"), organisation("South Trust")
    n = [person(f"North {i}", north) for i in range(3)]
    s = [person(f"South {i}", south) for i in range(3)]
    bridge = person("Bea Bridge", north)
    for group in (n, s):
        exchange(rita, group[0], group[1])
        exchange(rita, group[1], group[2])
        exchange(rita, group[2], group[0])
    exchange(rita, n[0], bridge)
    exchange(rita, bridge, s[0])

    refresh()

    top = SpannerScore.objects.order_by("-betweenness").first()
    assert top is not None and top.user_id == bridge.pk
    assert top.organisations_reached == 1  # South Trust
    assert spanner_members_dataset().rows[0][0] == "Bea Bridge"


def test_facts_carry_both_sides_and_whether_the_exchange_crossed_a_boundary() -> None:
    rita = recorder()
    nurse, gp = profession("Registered nurse"), profession("General practitioner")
    trust, practice = organisation("Trust"), organisation("Practice", kind="gp_practice")
    giver, receiver = person("Gina", trust, nurse), person("Rob", practice, gp)
    done = exchange(rita, giver, receiver, minutes=90)

    refresh()

    fact = ExchangeFact.objects.get()
    assert fact.exchange_id == done.pk
    assert (fact.giver_org, fact.receiver_org) == (trust.pk, practice.pk)
    assert (fact.giver_kind, fact.receiver_kind) == ("nhs_trust", "gp_practice")
    assert fact.crosses_org and fact.crosses_profession
    assert fact.minutes == 90
    flow = OrgFlow.objects.get()
    assert (flow.exchanges, flow.minutes, flow.givers, flow.receivers) == (1, 90, 1, 1)
    assert MemberFact.objects.get(user_id=giver.pk).minutes_given == 90
    assert MemberFact.objects.get(user_id=receiver.pk).received_count == 1


def test_a_member_with_several_organisations_counts_in_the_first_by_id() -> None:
    first, second = organisation("First"), organisation("Second")
    member = person("Multi", second)
    get_or_create_profile(member).organisations.add(first)

    refresh()

    assert MemberFact.objects.get(user_id=member.pk).organisation_id == min(first.pk, second.pk)


def _snapshot() -> dict[str, list[tuple[Any, ...]]]:
    tables: dict[str, list[tuple[Any, ...]]] = {}
    for model in (
        MemberFact,
        ExchangeFact,
        OrgFlow,
        ProfessionFlow,
        RequestFact,
        SkillMonth,
        SpannerScore,
        OrgFlowWindow,
        MonthFlow,
        MemberCount,
        StaleRequest,
        OrgBetweenness,
        ProfessionFlowWindow,
        SkillWindow,
        RequestWindow,
        SiloWindow,
    ):
        # active_since is each run's own time less 90 days (its counts are compared).
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if f.attname not in ("id", "active_since")
        ]
        rows = model.objects.values_list(*fields)
        tables[model.__name__] = sorted(tuple(map(repr, row)) for row in rows)
    return tables


def test_an_incremental_refresh_leaves_exactly_what_a_rebuild_would(settings: Any) -> None:
    settings.OPENHOURS_INSIGHT_SPANNERS_EVERY_MINUTES = 0
    rita = recorder()
    nurse, gp = profession("Registered nurse"), profession("General practitioner")
    trust, practice = organisation("Trust"), organisation("Practice", kind="gp_practice")
    people = [
        person(f"P{i}", trust if i % 2 else practice, nurse if i % 3 else gp) for i in range(6)
    ]
    with time_machine.travel(timezone.now() - timedelta(days=70)):
        exchange(rita, people[0], people[1])
        make_post(people[2])
    exchange(rita, people[1], people[2])
    refresh(rebuild=True)

    # Changes of every kind since: new exchanges, a member who moved, a new post and member.
    exchange(rita, people[3], people[4], minutes=120)
    exchange(rita, people[4], people[0])
    moved = get_or_create_profile(people[1])
    moved.organisations.set([practice])
    moved.profession = gp
    moved.save()
    newcomer = person("New", trust, nurse)
    make_post(newcomer)
    exchange(rita, newcomer, people[5])

    result = refresh()
    assert not result.rebuild
    incremental = _snapshot()
    refresh(rebuild=True)
    assert _snapshot() == incremental


def test_a_second_refresh_with_nothing_new_changes_nothing() -> None:
    rita = recorder()
    trust = organisation("Trust")
    exchange(rita, person("A", trust), person("B", trust))
    refresh()
    before = _snapshot()
    window_ids = set(OrgFlowWindow.objects.values_list("pk", flat=True))

    result = refresh()

    assert _snapshot() == before
    assert result.members_changed == 0
    # Exchanges from the last few minutes are looked at again (the overlap), harmlessly,
    # and as nothing came out different, no window was summed again.
    assert result.exchanges_changed == 1
    assert set(OrgFlowWindow.objects.values_list("pk", flat=True)) == window_ids


def test_exchanges_are_counted_in_the_month_they_were_confirmed() -> None:
    rita = recorder()
    trust = organisation("Trust")
    a, b = person("A", trust), person("B", trust)
    with time_machine.travel(timezone.now() - timedelta(days=62)):
        exchange(rita, a, b)
    exchange(rita, b, a)

    refresh()

    assert OrgFlow.objects.values("month").distinct().count() == 2
    series = dashboard(default_filters(), suppress=False).series
    assert [total.value for _month, total, _o, _p in series] == [1, 1]


def test_requests_record_their_first_response_and_when_they_were_fulfilled() -> None:
    trust = organisation("Trust")
    asker, helper = person("Asker", trust), person("Helper", trust)
    post = make_post(asker)
    make_post(asker, title="Nobody answers this one")
    answer = exchanges.respond_to_post(responder=helper, post=post, message="I can help")
    refresh()

    fact = RequestFact.objects.get(post_id=post.pk)
    assert fact.first_response_at == answer.created_at
    assert not fact.fulfilled

    exchanges.accept_exchange(exchange=answer, actor=asker)
    exchanges.record_delivery(exchange=answer, actor=helper, minutes=60)
    exchanges.confirm_exchange(exchange=answer, actor=asker)
    refresh()  # incremental: the post itself didn't change, its answer did

    assert RequestFact.objects.get(post_id=post.pk).fulfilled
    assert RequestFact.objects.filter(fulfilled=False).count() == 1


def _settled_session(giver: User, attendees: list[User], absent: list[User]) -> GroupSession:
    """A one-hour session with half an hour's preparation, settled by its attendees."""
    start = timezone.now() - timedelta(days=3)
    session = group_sessions.create_session(
        giver=giver,
        details=group_sessions.SessionDetails(
            title="QI for beginners",
            description="Plan-Do-Study-Act, with a worked example.",
            starts_at=start,
            planned_minutes=60,
            capacity=10,
        ),
        now=start - timedelta(days=7),
    )
    for member in [*attendees, *absent]:
        group_sessions.sign_up(session=session, member=member, now=start - timedelta(days=6))
    group_sessions.record_delivery(
        session=session,
        giver=giver,
        delivered_minutes=60,
        preparation_minutes=30,
        attendees=attendees,
        now=start + timedelta(hours=2),
    )
    for member in attendees:  # the last confirmation settles it, now
        group_sessions.confirm_attendance(session=session, member=member)
    session.refresh_from_db()
    assert session.status == SessionStatus.SETTLED
    return session


def test_a_group_session_counts_as_the_length_from_the_giver_to_each_attendee(
    settings: Any,
) -> None:
    settings.OPENHOURS_INSIGHT_SPANNERS_EVERY_MINUTES = 0
    north, south = organisation("North Trust"), organisation("South Trust", kind="gp_practice")
    teacher = person("Tess Teacher", north)
    near, far = person("Nia Near", north), person("Sam Far", south)
    absent = person("Abe Absent", south)
    refresh()  # before the session: the session arrives by an incremental refresh
    _settled_session(teacher, [near, far], [absent])

    assert not refresh().rebuild

    facts = ExchangeFact.objects.order_by("receiver_id")
    assert [(f.giver_id, f.receiver_id, f.minutes) for f in facts] == [
        (teacher.pk, near.pk, 60),
        (teacher.pk, far.pk, 60),
    ]
    assert all(f.exchange_id < 0 for f in facts)
    flows = {(f.giver_org, f.receiver_org): (f.exchanges, f.minutes) for f in OrgFlow.objects.all()}
    assert flows == {(north.pk, north.pk): (1, 60), (north.pk, south.pk): (1, 60)}
    giver = MemberFact.objects.get(user_id=teacher.pk)
    # Preparation is paid to the giver by the ledger but is no one's help received.
    assert (giver.given_count, giver.minutes_given) == (2, 120)
    assert MemberFact.objects.get(user_id=far.pk).minutes_received == 60
    assert MemberFact.objects.get(user_id=absent.pk).received_count == 0
    headline = dict(dashboard(default_filters(), suppress=False).datasets["headline"].rows)
    assert (headline["Exchanges"], headline["Hours exchanged"]) == ("2", "2")

    # The giver joins two attendees who never exchanged: a bridge.
    assert SpannerScore.objects.get().user_id == teacher.pk
    incremental = _snapshot()
    refresh(rebuild=True)
    assert _snapshot() == incremental


def test_a_session_not_yet_settled_counts_for_nothing() -> None:
    teacher, learner = person("Tess Teacher"), person("Lee Learner")
    start = timezone.now() - timedelta(days=1)
    session = group_sessions.create_session(
        giver=teacher,
        details=group_sessions.SessionDetails(
            title="Sepsis update", description="The new screening tool.", starts_at=start,
            planned_minutes=60, capacity=5,
        ),
        now=start - timedelta(days=2),
    )  # fmt: skip
    group_sessions.sign_up(session=session, member=learner, now=start - timedelta(days=1))
    group_sessions.record_delivery(
        session=session, giver=teacher, delivered_minutes=60, preparation_minutes=0,
        attendees=[learner], now=start + timedelta(hours=1),
    )  # fmt: skip

    refresh()

    assert not ExchangeFact.objects.exists()


def test_the_refresh_keeps_windows_months_and_member_counts_for_the_page() -> None:
    rita = recorder()
    trust, practice = organisation("Trust"), organisation("Practice", kind="gp_practice")
    a, b, c = person("A", trust), person("B", trust), person("C", practice)
    exchange(rita, a, b)
    exchange(rita, a, c, minutes=30)

    refresh()

    this_month = timezone.localdate().replace(day=1)
    window = OrgFlowWindow.objects.filter(first_month=this_month, last_month=this_month)
    assert sorted((w.giver_org, w.receiver_org, w.minutes) for w in window) == [
        (trust.pk, trust.pk, 60),
        (trust.pk, practice.pk, 30),
    ]
    everyone = MonthFlow.objects.get(month=this_month, scope_place=0, scope_kind="")
    assert (everyone.exchanges, everyone.cross_org) == (2, 1)
    practices = MonthFlow.objects.get(month=this_month, scope_kind="gp_practice", scope_place=0)
    assert practices.exchanges == 1
    counts = {m.org_kind: (m.members, m.both, m.either) for m in MemberCount.objects.all()}
    assert counts["nhs_trust"] == (2, 0, 2)
    assert counts["gp_practice"] == (1, 0, 1)
