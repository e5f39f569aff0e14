"""Known-answer tests: each figure of docs/insight.md (sections 1, 2, 5 and 6) computed on a
tiny hand-made network, the expected value worked out by hand from the definition.

Every network is built through the real services (offline exchanges recorded by a
coordinator, posts, responses), refreshed, and read in the coordinator's view
(``suppress=False``), where small numbers are exact. Tests run at midday (UTC), so that a
day's exchanges and posts all fall on the same date and month whatever the clock says.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from openhours.accounts.models import User
from openhours.exchanges import services as exchanges
from openhours.insight import selectors
from openhours.insight.models import UnitCost
from openhours.insight.refresh import refresh
from openhours.insight.values import Matrix
from openhours.members.models import Skill
from openhours.organisations.tests.factories import PlaceFactory
from openhours.posts.services import close_post
from openhours.posts.tests.factories import make_post

from .helpers import exchange, organisation, person, profession, recorder

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


@pytest.fixture(autouse=True)
def midday() -> Iterator[datetime]:
    """Today at 12:00 UTC: far from midnight, so "today" is one date in every time zone
    the tests care about (UTC months, Europe/London dates)."""
    noon = timezone.now().replace(hour=12, minute=0, second=0, microsecond=0)
    with time_machine.travel(noon, tick=False):
        yield noon


def _page() -> selectors.Dashboard:
    """The coordinator's dashboard: the default period (the last twelve months), no filters."""
    return selectors.dashboard(selectors.default_filters(), suppress=False)


def _headlines(data: selectors.Dashboard) -> dict[str, tuple[str, str]]:
    return {h.label: (h.value, h.hint) for h in data.headlines}


def _rows(data: selectors.Dashboard, key: str) -> list[list[str]]:
    return data.datasets[key].display_rows()


# A small network for sections 1 and 2 ------------------------------------------------------------


@pytest.fixture
def network(midday: datetime) -> dict[str, Any]:
    """Two organisations in two places, three professions (one without a unit cost), one
    member without a profession, one who never exchanges, and the coordinator who records.

    ====  ================  ============  =================
    who   organisation      place         profession (cost)
    ====  ================  ============  =================
    a1    Avon Trust        North         Test nurse (Nurse, £47/hour)
    a2    Avon Trust        North         Test pharmacist (Pharmacist, £57/hour)
    b1    Brook Practice    South         Test admin (Admin, no cost)
    b2    Brook Practice    South         none ("Not recorded")
    idle  Avon Trust        North         Test nurse
    rita  none              none          none (a coordinator, also a member)
    ====  ================  ============  =================

    Exchanges (giver → receiver, minutes):

    * E1 today: a1 → a2, 60
    * E2 today: a1 → b1, 90
    * E3 today: a2 → a1, 30
    * E4 120 days ago: b1 → b2, 120
    """
    # The unit costs as an admin would set them, whatever the seeded figures say.
    for group, pence in (("Nurse", 4700), ("Pharmacist", 5700), ("Admin", None)):
        UnitCost.objects.update_or_create(role_group=group, defaults={"pence_per_hour": pence})
    north, south = PlaceFactory(name="North"), PlaceFactory(name="South")
    avon = organisation("Avon Trust", kind="nhs_trust", place=north)
    brook = organisation("Brook Practice", kind="gp_practice", place=south)
    nurse = profession("Test nurse", "Nurse")
    pharmacist = profession("Test pharmacist", "Pharmacist")
    admin = profession("Test admin", "Admin")
    rita = recorder()
    people = {
        "a1": person("Ann One", avon, nurse),
        "a2": person("Abe Two", avon, pharmacist),
        "b1": person("Bea One", brook, admin),
        "b2": person("Bob Two", brook, None),
        "idle": person("Ida Idle", avon, nurse),
        "rita": rita,
    }
    with time_machine.travel(midday - timedelta(days=120), tick=False):
        exchange(rita, people["b1"], people["b2"], minutes=120)
    exchange(rita, people["a1"], people["a2"], minutes=60)
    exchange(rita, people["a1"], people["b1"], minutes=90)
    exchange(rita, people["a2"], people["a1"], minutes=30)
    refresh()
    return people


def test_headline_member_counts_exchanges_and_hours(network: dict[str, Any]) -> None:
    """Section 1.

    * Members: every approved, active account: a1, a2, b1, b2, idle and rita = 6.
    * Active members: latest exchange within 90 days of today: a1, a2, b1 = 3 (b2's only
      exchange is 120 days old; idle and rita have none).
    * Exchanges in the period (the last twelve months): E1-E4 = 4.
    * Hours exchanged: (60 + 90 + 30 + 120) / 60 = 5.
    * Both given and received: a1 (gave E1, E2; received E3), a2 (received E1, gave E3), b1
      (received E2, gave E4) = 3; of those with either: the same and b2 = 4; 3/4 = 75%.
    * No requests: "Requests fulfilled" and the median have nothing to rest on.
    """
    figures = _headlines(_page())
    assert figures["Members"][0] == "6"
    assert figures["Active members"][0] == "3"
    assert figures["Exchanges"][0] == "4"
    assert figures["Hours exchanged"][0] == "5"
    assert figures["Members who have both given and received"][0] == "75%"
    assert figures["Requests fulfilled"][0] == "\u2013"
    assert figures["Median time to first response"][0] == "\u2013"


def test_active_members_count_the_last_90_days_of_the_page_s_today(
    network: dict[str, Any], midday: datetime
) -> None:
    """Section 1, "Active members": latest exchange within the last 90 days of the page's
    today. E1-E3 were today, E4 120 days ago. 85 days from now, E1-E3 are 85 days old:
    a1, a2 and b1 are active (3). 91 days from now they are 91 days old: nobody (0)."""
    filters = selectors.default_filters()
    later = selectors.dashboard(filters, suppress=False, now=midday + timedelta(days=85))
    assert _headlines(later)["Active members"][0] == "3"
    much_later = selectors.dashboard(filters, suppress=False, now=midday + timedelta(days=91))
    assert _headlines(much_later)["Active members"][0] == "0"


def test_notional_value_prices_hours_at_the_giver_s_cost_group(network: dict[str, Any]) -> None:
    """Section 1, "Notional value": hours given x the giver's cost group's hourly cost.

    * a1 (Nurse, £47): E1 + E2 = 150 minutes = 2.5 hours → £117.50
    * a2 (Pharmacist, £57): E3 = 0.5 hours → £28.50
    * b1 (Admin, no cost): E4 = 2 hours, counted separately
    * value: 117.50 + 28.50 = £146; 2 hours have no unit cost.

    "Notional value by staff group": the same hours by cost group (Admin 2, Nurse 2.5,
    Pharmacist 0.5), the hourly cost and the product; all staff groups: 5 hours, £146.
    """
    data = _page()
    value, hint = _headlines(data)["Notional value"]
    assert value == "£146"
    assert "2 hours have no unit cost" in hint
    assert _rows(data, "value") == [
        ["Admin", "2", "no unit cost", "0"],
        ["Nurse", "2.5", "£47.00", "117.5"],
        ["Pharmacist", "0.5", "£57.00", "28.5"],
        ["All staff groups", "5", "", "146"],
    ]


def test_hours_given_by_profession_and_by_kind_of_organisation(network: dict[str, Any]) -> None:
    """Section 1: the giver's profession (or kind), summed over the period, with the total.

    * Test nurse (a1): 60 + 90 = 150 minutes = 2.5 hours
    * Test admin (b1): 120 minutes = 2 hours
    * Test pharmacist (a2): 30 minutes = 0.5 hours
    * NHS trust (a1, a2): 60 + 90 + 30 = 3 hours; GP practice (b1): 2 hours
    * All: 5 hours. Largest first.
    """
    data = _page()
    assert _rows(data, "by_profession") == [
        ["Test nurse", "2.5"],
        ["Test admin", "2"],
        ["Test pharmacist", "0.5"],
        ["All", "5"],
    ]
    assert [(bar.label, bar.cell.value) for bar in data.bars["by_profession"]] == [
        ("Test nurse", 2.5),
        ("Test admin", 2),
        ("Test pharmacist", 0.5),
    ]
    assert _rows(data, "by_kind") == [["NHS trust", "3"], ["GP practice", "2"], ["All", "5"]]
    assert [(bar.label, bar.cell.value) for bar in data.bars["by_kind"]] == [
        ("NHS trust", 3),
        ("GP practice", 2),
    ]


def _cells(matrix: Matrix) -> dict[tuple[Any, Any], float]:
    """The non-empty cells (a pair with no exchange may be left out or kept as 0)."""
    return {key: cell.value for key, cell in matrix.cells.items() if cell.value}


def test_heat_maps_of_kinds_and_places_with_their_totals(network: dict[str, Any]) -> None:
    """Section 2: hours from the giver's group (rows) to the receiver's (columns).

    Kinds: NHS trust → NHS trust: E1 + E3 = 1.5; NHS trust → GP practice: E2 = 1.5;
    GP practice → GP practice: E4 = 2; GP practice → NHS trust: nothing.
    Row totals (given): NHS trust 3, GP practice 2. Column totals (received): NHS trust 1.5,
    GP practice 3.5. Grand total 5. Places: the same with North for Avon and South for Brook.
    """
    data = _page()
    for key, here, there in (("kind", "NHS trust", "GP practice"), ("place", "North", "South")):
        matrix = data.matrices[key]
        assert _cells(matrix) == {(here, here): 1.5, (here, there): 1.5, (there, there): 2}
        assert (there, here) not in matrix.cells or matrix.cells[(there, here)].value == 0
        assert {k: c.value for k, c in matrix.row_totals.items()} == {here: 3, there: 2}
        assert {k: c.value for k, c in matrix.column_totals.items()} == {here: 1.5, there: 3.5}
        assert matrix.total.value == 5
        rows = {(r[0], r[1]): r[2] for r in _rows(data, f"flow_{key}") if r[2] != "0"}
        assert rows == {
            (here, here): "1.5",
            (here, there): "1.5",
            (there, there): "2",
            (here, "All"): "3",
            (there, "All"): "2",
            ("All", here): "1.5",
            ("All", there): "3.5",
            ("All", "All"): "5",
        }


def test_share_of_exchanges_crossing_a_boundary_by_month(
    network: dict[str, Any], midday: datetime
) -> None:
    """Section 2, "Crossing a boundary, by month": per month, the percentage of its
    confirmed exchanges whose parties are in different organisations (both known), and in
    different professions (both known).

    One more exchange today, E5: x (no organisation, Test nurse) → a1 (Avon, Test nurse).

    * This month: E1 (Avon/Avon, nurse/pharmacist), E2 (Avon/Brook, nurse/admin), E3
      (Avon/Avon, pharmacist/nurse), E5 (unknown/Avon, nurse/nurse): 4 exchanges.
      Cross an organisation: E2 only (E5's giver has no organisation) → 1/4 = 25%.
      Cross a profession: E1, E2, E3 → 3/4 = 75%.
    * 120 days ago: E4 (Brook/Brook, admin/unknown): 1 exchange; 0% and 0% (the same
      organisation; a profession not known).
    """
    x = person("Xan Nowhere", None, profession("Test nurse", "Nurse"))
    exchange(network["rita"], x, network["a1"], minutes=15)
    refresh()
    data = _page()
    this_month = midday.date().replace(day=1)
    then = (midday - timedelta(days=120)).date().replace(day=1)
    series = {month: (n.value, o, p) for month, n, o, p in data.series if n.value}
    assert set(series) == {this_month, then}
    n, cross_org, cross_profession = series[this_month]
    assert n == 4
    assert cross_org is not None and cross_org.value == 25
    assert cross_profession is not None and cross_profession.value == 75
    n, cross_org, cross_profession = series[then]
    assert n == 1
    assert cross_org is not None and cross_org.value == 0
    assert cross_profession is not None and cross_profession.value == 0
    crossing = {row[0]: row[1:] for row in _rows(data, "crossing")}
    assert crossing[this_month.strftime("%Y-%m")] == ["4", "25", "75"]
    assert crossing[then.strftime("%Y-%m")] == ["1", "0", "0"]
    # The headline counts E5 too: E1-E5 = 5 exchanges.
    assert _headlines(data)["Exchanges"][0] == "5"


# Section 5: skills requested against offered, requests open longer than 14 days ------------------


def _skill(name: str) -> Skill:
    return Skill.objects.get(name=name)


def test_skills_requested_against_offered_count_a_post_once_per_skill() -> None:
    """Section 5: for each skill, the requests and offers created in the period that name it
    (a post naming several skills counts once for each), and requests minus offers.

    * R1 request [Business cases, Options appraisal]; R2 request [Business cases];
      R3 request [Business cases], later closed (still created in the period);
      O1 offer [Options appraisal]; O2 offer [Options appraisal, Clinical audit].
    * Business cases: 3 requests, 0 offers, +3; Options appraisal: 1, 2, -1;
      Clinical audit: 0, 1, -1. Ranked by requests (then offers).
    """
    trust = organisation("Avon Trust")
    asker, helper = person("Ann Asker", trust), person("Hal Helper", trust)
    cases, options, audit = (
        _skill(n) for n in ("Business cases", "Options appraisal", "Clinical audit")
    )
    make_post(asker, skills=[cases, options])
    make_post(asker, skills=[cases])
    close_post(actor=helper, post=make_post(helper, skills=[cases]))
    make_post(helper, kind="offer", skills=[options])
    make_post(helper, kind="offer", skills=[options, audit])
    refresh()
    data = _page()
    assert _rows(data, "skills") == [
        ["Business cases", "3", "0", "3"],
        ["Options appraisal", "1", "2", "-1"],
        ["Clinical audit", "0", "1", "-1"],
    ]
    # The chart shows skills with requests, each bar paired with its offers.
    assert [(b.label, b.cell.value, b.second and b.second.value) for b in data.bars["skills"]] == [
        ("Business cases", 3, 0),
        ("Options appraisal", 1, 2),
    ]


def test_requests_open_longer_than_14_days_by_skill_and_by_kind(midday: datetime) -> None:
    """Section 5: requests still open, with no confirmed exchange, created more than 14 days
    before now, by skill and by the author's kind of organisation, with the total.

    Authors: a (Avon Trust, NHS trust), b (Brook Practice, GP practice); h helps.

    * S1 20 days ago, a, [Business cases, Options appraisal], open: counted
    * S2 20 days ago, b, [Business cases], open: counted
    * S3 5 days ago, a, [Business cases], open: too recent
    * S4 20 days ago, a, [Clinical audit], closed: not open
    * S5 20 days ago, b, [Clinical audit], answered by a confirmed exchange: fulfilled
    * S6 20 days ago, b, [Options appraisal], answered but not (yet) confirmed: counted
    * O1 20 days ago, a, an offer [Business cases]: not a request

    By skill: Business cases 2 (S1, S2), Options appraisal 2 (S1, S6); equal counts by skill
    id. By kind: GP practice 2 (S2, S6), NHS trust 1 (S1); all 3 requests.
    """
    avon = organisation("Avon Trust", kind="nhs_trust")
    brook = organisation("Brook Practice", kind="gp_practice")
    a, b, h = person("Ann Avon", avon), person("Bea Brook", brook), person("Hal Helper", avon)
    cases, options, audit = (
        _skill(n) for n in ("Business cases", "Options appraisal", "Clinical audit")
    )
    with time_machine.travel(midday - timedelta(days=20), tick=False):
        make_post(a, skills=[cases, options])
        make_post(b, skills=[cases])
        close_post(actor=a, post=make_post(a, skills=[audit]))
        answered = make_post(b, skills=[audit])
        pending = make_post(b, skills=[options])
        make_post(a, kind="offer", skills=[cases])
    with time_machine.travel(midday - timedelta(days=19), tick=False):
        done = exchanges.respond_to_post(responder=h, post=answered, message="I can help")
        exchanges.accept_exchange(exchange=done, actor=b)
        exchanges.record_delivery(exchange=done, actor=h, minutes=60)
        exchanges.confirm_exchange(exchange=done, actor=b)
        exchanges.respond_to_post(responder=h, post=pending, message="I can help")
    with time_machine.travel(midday - timedelta(days=5), tick=False):
        make_post(a, skills=[cases])
    refresh()
    data = _page()
    by_skill = sorted([cases, options], key=lambda s: s.pk)
    assert _rows(data, "stale_by_skill") == [[s.name, "2"] for s in by_skill]
    assert _rows(data, "stale_by_kind") == [["GP practice", "2"], ["NHS trust", "1"], ["All", "3"]]
    # Not filtered by date: a period that ended before the requests were made counts them.
    today = midday.date()
    old = selectors.Filters(start=today - timedelta(days=400), end=today - timedelta(days=300))
    earlier = selectors.dashboard(old, suppress=False)
    assert earlier.datasets["stale_by_kind"].display_rows()[-1] == ["All", "3"]


# Section 6: balance health ----------------------------------------------------------------------


def test_members_by_balance_and_members_to_nudge(settings: Any) -> None:
    """Section 6. Limits: lowest balance -600 minutes, most credit 600, warned within 120;
    nobody gets a joining grant (approved directly), so balances start at 0.

    Exchanges (giver → receiver, minutes): p1 → p2 480; p3 → p4 300; p5 → p6 180;
    p6 → p5 60. Balances: p1 +480, p2 -480, p3 +300, p4 -300, p5 +120, p6 -120,
    p7 (no exchange) 0, rita (the coordinator, a member) 0.

    Bands in minutes (lower bound included, upper excluded):

    * below -5 hours (< -300): p2 → 1
    * -5 to 0 (-300 ≤ b < 0): p4 (-300, on the bound), p6 → 2
    * 0 to 2 (0 ≤ b < 120): p7, rita → 2
    * 2 to 5 (120 ≤ b < 300): p5 (120, on the bound) → 1
    * 5 to 10 (300 ≤ b < 600): p1, p3 (300, on the bound) → 2
    * 10 to 20, 20 or more: 0; all members: 8

    Members to nudge: only given: p1, p3 → 2; only received: p2, p4 → 2 (p5 and p6 did
    both); within 120 of the lower limit (≤ -480): p2 → 1; within 120 of the upper limit
    (≥ 480): p1 → 1.
    """
    settings.OPENHOURS_LEDGER_LOWER_LIMIT_MINUTES = -600
    settings.OPENHOURS_LEDGER_UPPER_LIMIT_MINUTES = 600
    settings.OPENHOURS_LEDGER_WARNING_MINUTES = 120
    settings.OPENHOURS_LEDGER_JOINING_GRANT_MINUTES = 0
    rita = recorder()
    trust = organisation("Avon Trust")
    p: dict[int, User] = {i: person(f"Person {i}", trust) for i in range(1, 8)}
    exchange(rita, p[1], p[2], minutes=480)
    exchange(rita, p[3], p[4], minutes=300)
    exchange(rita, p[5], p[6], minutes=180)
    exchange(rita, p[6], p[5], minutes=60)
    refresh()
    data = _page()
    assert _rows(data, "balances") == [
        ["below \u22125 hours", "1"],
        ["\u22125 to 0 hours", "2"],
        ["0 to 2 hours", "2"],
        ["2 to 5 hours", "1"],
        ["5 to 10 hours", "2"],
        ["10 to 20 hours", "0"],
        ["20 hours or more", "0"],
        ["All members", "8"],
    ]
    assert [bar.cell.value for bar in data.bars["balances"]] == [1, 2, 2, 1, 2, 0, 0]
    assert _rows(data, "balance_groups") == [
        ["have only given, never received", "2"],
        ["have only received, never given", "2"],
        ["within 2 hours of the lowest balance allowed", "1"],
        ["within 2 hours of the most credit allowed", "1"],
    ]


def test_balance_figures_follow_the_place_and_kind_filter(settings: Any) -> None:
    """Section 6: "members (with the place/kind filter)". Two in a practice, three in a
    trust: t1 → t2 120 minutes, g1 → g2 300 minutes, t3 idle (rita, no organisation, is in
    neither). GP practice: g1 +300 (5 to 10), g2 -300 (-5 to 0): 2 members, one only
    gives, one only receives. NHS trust: t1 +120 (2 to 5), t2 -120 (-5 to 0), t3 0 (0 to 2):
    3 members."""
    settings.OPENHOURS_LEDGER_JOINING_GRANT_MINUTES = 0
    rita = recorder()
    trust = organisation("Avon Trust", kind="nhs_trust")
    practice = organisation("Brook Practice", kind="gp_practice")
    t1, t2, _t3 = (person(f"Trust {i}", trust) for i in range(1, 4))
    g1, g2 = person("Practice 1", practice), person("Practice 2", practice)
    exchange(rita, t1, t2, minutes=120)
    exchange(rita, g1, g2, minutes=300)
    refresh()
    today = timezone.localdate()
    period = selectors.default_filters(today)
    practices = selectors.dashboard(
        selectors.Filters(period.start, period.end, org_kind="gp_practice"), suppress=False
    )
    assert [row[1] for row in _rows(practices, "balances")] == [
        "0", "1", "0", "0", "1", "0", "0", "2",
    ]  # fmt: skip
    assert _headlines(practices)["Members"][0] == "2"
    assert [row[1] for row in _rows(practices, "balance_groups")][:2] == ["1", "1"]
    trusts = selectors.dashboard(
        selectors.Filters(period.start, period.end, org_kind="nhs_trust"), suppress=False
    )
    assert [row[1] for row in _rows(trusts, "balances")] == [
        "0", "1", "1", "1", "0", "0", "0", "3",
    ]  # fmt: skip
    assert [row[1] for row in _rows(trusts, "balance_groups")][:2] == ["1", "1"]
