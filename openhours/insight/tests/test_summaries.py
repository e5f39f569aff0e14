"""Figures read from the refresh's summaries are the figures grouped from the monthly rows.

``OrgFlowWindow``, ``MonthFlow``, ``MemberCount`` and ``StaleRequest`` only make a cold
page faster: for every filter and both kinds of viewer, the dashboard must be the same with
them as without them (``RefreshState.windows_month`` empty, as before the first refresh that
builds them).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from openhours.exchanges import services as exchanges
from openhours.insight import selectors
from openhours.insight.metrics.headlines import kept_requests, request_figures
from openhours.insight.metrics.stale_requests import stale_requests
from openhours.insight.models import RefreshState, RequestWindow, SiloWindow, SkillWindow
from openhours.insight.names import Names
from openhours.insight.refresh import refresh
from openhours.insight.windows import add_months
from openhours.members.models import Profession
from openhours.organisations.models import Organisation, Place
from openhours.organisations.tests.factories import PlaceFactory
from openhours.posts.tests.factories import make_post

from .helpers import exchange, organisation, person, profession, recorder

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


def _without_summaries(filters: selectors.Filters, *, suppress: bool, now: datetime) -> Any:
    state = RefreshState.objects.get()
    month, stale_before = state.windows_month, state.stale_before
    RefreshState.objects.update(windows_month=None, stale_before=None)
    try:
        return selectors.dashboard(filters, suppress=suppress, now=now, every_pair=True)
    finally:
        RefreshState.objects.update(windows_month=month, stale_before=stale_before)


def _comparable(data: selectors.Dashboard) -> Any:
    return (
        data.headlines,
        data.datasets,
        data.bars,
        data.matrices,
        data.series,
        data.ei,
        data.org_betweenness,
    )


@pytest.fixture
def network() -> dict[str, Any]:
    """Exchanges over several months between two places and three kinds of organisation."""
    north, south = PlaceFactory(name="North"), PlaceFactory(name="South")
    orgs = [
        organisation("North Trust", place=north),
        organisation("North Practice", kind="gp_practice", place=north),
        organisation("South Trust", place=south),
        organisation("South Charity", kind="voluntary", place=south),
    ]
    jobs = [profession("Registered nurse", "Nurse"), profession("Pharmacist", "Pharmacist")]
    people = [person(f"P{i}", orgs[i % 4], jobs[i % 2]) for i in range(16)]
    rita = recorder()
    today = timezone.now()
    for back in (400, 200, 100, 40, 0):
        with time_machine.travel(today - timedelta(days=back)):
            for i in range(0, 16, 3):
                exchange(
                    rita, people[i], people[(i + back // 20 + 1) % 16], minutes=15 * (1 + i % 4)
                )
            make_post(people[back % 16])
    refresh()
    return {"north": north, "south": south}


def test_every_figure_is_the_same_read_from_the_summaries(network: dict[str, Any]) -> None:
    # Every kind of summary is there to be read (else this would compare one path with itself).
    for kept in (SkillWindow, RequestWindow):
        assert kept.objects.exists()
    for what in ("organisation", "profession"):
        assert SiloWindow.objects.filter(what=what, scope_place=network["north"].pk).exists()
    today = timezone.localdate()
    month = today.replace(day=1)
    ranges = [selectors.default_filters()]
    for length in (1, 3, 6, 12):  # every standard window and its previous period
        first = add_months(month, -(length - 1))
        ranges.append(selectors.Filters(start=first, end=today))
    ranges.append(selectors.Filters(start=add_months(month, -4), end=today))  # not kept
    ranges.append(selectors.Filters(start=date(today.year - 2, 1, 1), end=today))
    now = timezone.now()
    for span in ranges:
        for place, kind in (
            (None, None),
            (network["north"].pk, None),
            (None, "gp_practice"),
            (network["south"].pk, "nhs_trust"),
        ):
            filters = selectors.Filters(span.start, span.end, place=place, org_kind=kind)
            for suppress in (False, True):
                summarised = selectors.dashboard(
                    filters, suppress=suppress, now=now, every_pair=True
                )
                grouped = _without_summaries(filters, suppress=suppress, now=now)
                assert _comparable(summarised) == _comparable(grouped), (filters, suppress)


def test_active_members_are_counted_at_the_page_s_time_not_the_refresh_s(
    network: dict[str, Any],
) -> None:
    filters = selectors.default_filters()
    # 40 days after the refresh, the exchanges of 100 days before it are 140 days old,
    # and those of 40 days before it 80 days old: members move out of "active".
    for later in (timedelta(days=40), timedelta(days=61), -timedelta(days=30)):
        now = timezone.now() + later
        summarised = selectors.dashboard(filters, suppress=False, now=now)
        grouped = _without_summaries(filters, suppress=False, now=now)
        assert summarised.headlines == grouped.headlines


def test_a_page_before_the_first_refresh_of_summaries_groups_the_monthly_rows(
    network: dict[str, Any],
) -> None:
    RefreshState.objects.update(windows_month=None)
    data = selectors.dashboard(selectors.default_filters(), suppress=False)
    exchanges = next(h for h in data.headlines if h.label == "Exchanges")
    assert exchanges.value != "0"


def test_a_coordinator_s_page_shows_the_same_block_of_organisations_as_the_full_table(
    network: dict[str, Any],
) -> None:
    filters = selectors.default_filters()
    page = selectors.dashboard(filters, suppress=False)
    full = selectors.dashboard(filters, suppress=False, every_pair=True)
    assert page.matrices["org"] == full.matrices["org"]
    assert page.datasets["flow_org"] == full.datasets["flow_org"]
    # The every-pair table is the CSV's alone (here, four organisations, the whole block).
    assert page.datasets["flow_org_all"].rows == []
    assert full.datasets["flow_org_all"].rows


def _stale(filters: selectors.Filters, *, suppress: bool, now: datetime, state: Any) -> Any:
    skills, kinds = stale_requests(filters, Names(), suppress=suppress, now=now, state=state)
    # People are exact below 5 and at least 5 otherwise: compare what they decide.
    return [
        [(c.value, c.suppressed, min(c.people, 5)) if hasattr(c, "people") else c for c in row]
        for dataset in (skills, kinds)
        for row in dataset.rows
    ]


def _two_places_three_organisations() -> tuple[Place, Place, list[Organisation], Profession]:
    """North (a trust and a practice) and South (a charity), and one profession."""
    north, south = PlaceFactory(name="North"), PlaceFactory(name="South")
    orgs = [
        organisation("North Trust", place=north),
        organisation("North Practice", kind="gp_practice", place=north),
        organisation("South Charity", kind="voluntary", place=south),
    ]
    return north, south, orgs, profession("Registered nurse", "Nurse")


def test_open_requests_are_the_kept_counts_plus_those_that_crossed_the_edge_since() -> None:
    """``StaleRequest`` counts the requests older than 14 days at the refresh; a page later
    adds those that turned 14 days old since, and knows which authors are fewer than 5."""
    north, south, orgs, job = _two_places_three_organisations()
    authors = [person(f"A{i}", orgs[i % 3], job) for i in range(9)]
    today = timezone.now()
    # Requests every few days, from 40 days ago to today: some cross the 14-day edge
    # between the refresh and the pages below. Some authors write several.
    for n, back in enumerate(range(40, -1, -3)):
        with time_machine.travel(today - timedelta(days=back)):
            make_post(authors[(n * 5) % 9 if n % 4 else 0])
    refresh()
    state = RefreshState.objects.get()
    assert state.stale_before is not None
    for later in (0, 2, 7, 16, 30, -3):
        now = today + timedelta(days=later, minutes=1)
        for place, kind in (
            (None, None),
            (north.pk, None),
            (None, "gp_practice"),
            (south.pk, None),
        ):
            filters = selectors.Filters(today.date(), today.date(), place=place, org_kind=kind)
            for suppress in (False, True):
                kept = _stale(filters, suppress=suppress, now=now, state=state)
                counted = _stale(filters, suppress=suppress, now=now, state=None)
                assert kept == counted, (later, place, kind, suppress)
                if later == 30 and place is None and kind is None:
                    assert any(isinstance(c, tuple) and c[0] >= 10 for r in kept for c in r)


def test_request_headlines_and_skills_read_from_the_refresh_are_those_counted_afresh() -> None:
    """``RequestWindow`` and ``SkillWindow`` give the figures the requests give, for ranges
    that start on a standard window's first day and reach the newest request; any other
    range counts the requests."""
    north, _south, orgs, job = _two_places_three_organisations()
    askers = [person(f"A{i}", orgs[i % 3], job) for i in range(8)]
    helper = person("Helper", orgs[0], job)
    # Midday, so that the day's requests and answers are all on today's date.
    today = timezone.now().replace(hour=12, minute=0, second=0, microsecond=0)
    for n, back in enumerate((300, 160, 75, 40, 20, 6, 0)):
        for i in range(n % 3 + 2):
            asked_at = today - timedelta(days=back, hours=i + 1)
            with time_machine.travel(asked_at):
                post = make_post(askers[(n + i) % 8])
            if (n + i) % 3:  # answered after a while, a different while each time
                with time_machine.travel(asked_at + timedelta(minutes=17 * (n + i) + 5)):
                    exchanges.respond_to_post(responder=helper, post=post, message="I can help")
    with time_machine.travel(today + timedelta(hours=4)):
        _compare_request_figures(north.pk)


def _compare_request_figures(north: int) -> None:
    refresh()
    assert SkillWindow.objects.exists()
    month = timezone.localdate().replace(day=1)
    starts = [add_months(month, -(length - 1)) for length in (1, 3, 6, 12)]
    kept_medians = set()
    for start, end, kept in [
        *((first, timezone.localdate(), True) for first in starts),
        (starts[2] + timedelta(days=3), timezone.localdate(), False),  # not a first month
        (starts[2], timezone.localdate() - timedelta(days=1), False),  # before the newest
    ]:
        for place, kind in (
            (None, None),
            (north, None),
            (None, "voluntary"),
            (north, "gp_practice"),
        ):
            filters = selectors.Filters(start, end, place=place, org_kind=kind)
            assert (kept_requests(filters) is not None) is kept, filters
            for suppress in (False, True):
                summarised = request_figures(filters, suppress=suppress, summarised=True)
                counted = request_figures(filters, suppress=suppress, summarised=False)
                assert summarised == counted, (filters, suppress)
                if kept and not suppress:
                    kept_medians.add(summarised[1].value)
    assert len(kept_medians - {"\u2013"}) >= 2  # medians of several sets of answers
    assert RequestWindow.objects.filter(scope_place=0, scope_kind="").count() == 4


def test_fulfilled_share_and_median_first_response_of_a_hand_made_set() -> None:
    """Five requests: four answered after 10, 30, 50 and 70 minutes, one of them
    fulfilled. 1 in 5 fulfilled; the median of four times is the lower middle, 30 minutes
    (docs/insight.md); read from the refresh's figures or counted afresh alike."""
    trust = organisation("Trust")
    job = profession("Registered nurse", "Nurse")
    askers = [person(f"Asker {i}", trust, job) for i in range(5)]
    helper = person("Helper", trust, job)
    asked_at = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0)
    answers = []
    for i, asker in enumerate(askers):
        with time_machine.travel(asked_at):
            post = make_post(asker)
        if i < 4:
            with time_machine.travel(asked_at + timedelta(minutes=10 + 20 * i)):
                answers.append(
                    exchanges.respond_to_post(responder=helper, post=post, message="I can help")
                )
    with time_machine.travel(asked_at + timedelta(hours=3)):
        done = answers[2]
        exchanges.accept_exchange(exchange=done, actor=askers[2])
        exchanges.record_delivery(exchange=done, actor=helper, minutes=60)
        exchanges.confirm_exchange(exchange=done, actor=askers[2])
        refresh()
        filters = selectors.default_filters()
        for summarised in (True, False):
            fulfilled, median = request_figures(filters, suppress=False, summarised=summarised)
            assert (fulfilled.value, fulfilled.hint) == ("20%", "of 5 requests")
            assert median.value == "30 min"
