"""The dashboard, its CSVs and the naming page: who sees what."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from openhours.accounts.models import Role, User
from openhours.accounts.tests.factories import UserFactory
from openhours.insight.models import NamingPreference
from openhours.insight.refresh import refresh
from openhours.insight.selectors import default_filters
from openhours.insight.services import set_naming_preference
from openhours.organisations.tests.factories import PlaceFactory

from .helpers import exchange, organisation, person, recorder

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]

DASHBOARD = reverse("insight:dashboard")


@pytest.fixture
def leader_client() -> Client:
    client = Client()
    client.force_login(UserFactory(full_name="Lee Leader", role=Role.LEADER))
    return client


@pytest.fixture
def small_network() -> dict[str, User]:
    """Two people in each of two trusts, and a bridge: every figure rests on few people."""
    rita = recorder()
    north, south = organisation("North Trust"), organisation("South Trust", kind="gp_practice")
    people = {
        "n1": person("Nia North", north),
        "n2": person("Ned North", north),
        "s1": person("Sam South", south),
        "bridge": person("Bea Bridge", north),
    }
    exchange(rita, people["n1"], people["bridge"])
    exchange(rita, people["n2"], people["bridge"])
    exchange(rita, people["bridge"], people["s1"])
    refresh()
    return people


def _csv(client: Client, key: str, query: str = "") -> list[list[str]]:
    response = client.get(reverse("insight:export", args=[key]) + query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_a_member_is_refused_the_dashboard_and_its_exports(member_client: Client) -> None:
    assert member_client.get(DASHBOARD).status_code == 403
    assert member_client.get(reverse("insight:export", args=["headline"])).status_code == 403


def test_someone_signed_out_is_sent_to_sign_in(client: Client) -> None:
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_system_leader_sees_small_figures_suppressed_and_no_names(
    leader_client: Client, small_network: dict[str, User]
) -> None:
    html = leader_client.get(DASHBOARD).content.decode()
    assert "System insight" in html
    assert "fewer than 5" in html
    assert "Bea Bridge" not in html
    assert "Members who connect otherwise separate groups" not in html
    rows = _csv(leader_client, "headline")
    assert ["Exchanges", "fewer than 5"] in rows
    # The members' spanner list doesn't exist for leaders, even by its address.
    response = leader_client.get(reverse("insight:export", args=["spanner_members"]))
    assert response.status_code == 404


def test_a_coordinator_sees_exact_figures_and_the_bridge_by_name(
    coordinator_client: Client, small_network: dict[str, User]
) -> None:
    html = coordinator_client.get(DASHBOARD).content.decode()
    assert "Bea Bridge" in html
    rows = _csv(coordinator_client, "headline")
    assert ["Exchanges", "3"] in rows
    assert ["Hours exchanged", "3"] in rows
    spanners = _csv(coordinator_client, "spanner_members")
    assert spanners[1][0] == "Bea Bridge"


def test_a_member_who_opted_out_is_not_named_even_to_coordinators(
    coordinator_client: Client, small_network: dict[str, User]
) -> None:
    set_naming_preference(user=small_network["bridge"], may_be_named=False)

    html = coordinator_client.get(DASHBOARD).content.decode()

    assert "Bea Bridge" not in html
    assert "A member who asked not to be named" in html


def test_a_member_chooses_not_to_be_named_on_their_own_page(
    member_client: Client, member: User
) -> None:
    page = member_client.get(reverse("insight:naming"))
    assert page.status_code == 200
    assert "May coordinators see your name" in page.content.decode()

    response = member_client.post(reverse("insight:naming"), {"may_be_named": "no"})

    assert response.status_code == 302
    assert NamingPreference.objects.get(user=member).may_be_named is False
    member_client.post(reverse("insight:naming"), {"may_be_named": "yes"})
    assert NamingPreference.objects.get(user=member).may_be_named is True


def test_every_chart_has_a_csv_with_a_header(
    coordinator_client: Client, small_network: dict[str, User]
) -> None:
    for key in (
        "headline", "by_profession", "by_kind", "value", "flow_kind", "flow_org",
        "flow_profession", "flow_place", "flow_org_all", "flow_profession_all", "crossing",
        "silo_organisation", "silo_profession",
        "spanner_orgs", "spanner_members", "skills", "stale_by_skill", "stale_by_kind",
        "balances", "balance_groups",
    ):  # fmt: skip
        rows = _csv(coordinator_client, key)
        assert rows[0], key
    assert coordinator_client.get(reverse("insight:export", args=["nope"])).status_code == 404


def test_the_kind_filter_narrows_the_flows(
    coordinator_client: Client, small_network: dict[str, User]
) -> None:
    everything = dict(map(tuple, _csv(coordinator_client, "headline")[1:]))
    practices = dict(map(tuple, _csv(coordinator_client, "headline", "?kind=gp_practice")[1:]))
    assert everything["Exchanges"] == "3"
    assert practices["Exchanges"] == "1"  # only the bridge's exchange reaches a practice
    assert practices["Members"] == "1"


def test_the_place_filter_narrows_members_and_flows(
    coordinator_client: Client, reference_data: None
) -> None:
    bristol = PlaceFactory(name="Bristol")
    rita = recorder()
    here = organisation("Here Trust", place=bristol)
    away = organisation("Away Trust")
    exchange(rita, person("H1", here), person("H2", here))
    exchange(rita, person("A1", away), person("A2", away))
    refresh()

    rows = dict(map(tuple, _csv(coordinator_client, "headline", f"?place={bristol.pk}")[1:]))

    assert rows["Exchanges"] == "1"
    assert rows["Members"] == "2"


@pytest.mark.parametrize(
    "query",
    [
        "?start=garbage",
        "?end=2026-13-45",
        "?start=2026-05-01&end=2025-01-01",
        "?place=abc&kind=nonsense",
        "?start=1900-01-01&end=2026-01-01",
    ],
)
def test_bad_filters_show_an_error_and_the_default_period_never_a_500(
    coordinator_client: Client, query: str
) -> None:
    response = coordinator_client.get(DASHBOARD + query)
    assert response.status_code == 200
    assert "Some filters could not be used" in response.content.decode()
    assert (
        coordinator_client.get(reverse("insight:export", args=["headline"]) + query).status_code
        == 200
    )


def test_the_dashboard_works_before_the_first_refresh(coordinator_client: Client) -> None:
    html = coordinator_client.get(DASHBOARD).content.decode()
    assert "manage.py refresh_insight" in html


def test_no_hidden_figure_can_be_worked_out_from_a_total_on_the_page(
    leader_client: Client, reference_data: None
) -> None:
    """Three kinds of organisation: two with many people, one with two. The small one is
    hidden, and so is another, in every table where they add up to a shown total."""
    rita = recorder()
    big = [organisation("Big Trust"), organisation("Big Practice", kind="gp_practice")]
    small = organisation("Small Charity", kind="voluntary")
    for n, org in enumerate(big):
        crowd = [person(f"Crowd {n}-{i}", org) for i in range(8)]
        for i in range(8):
            exchange(rita, crowd[i], crowd[(i + 1) % 8])
    exchange(rita, person("Tiny A", small), person("Tiny B", small))
    refresh()

    for key in ("by_kind", "flow_kind", "balances"):
        rows = _csv(leader_client, key)[1:]
        hidden = [row for row in rows if row[-1] == "fewer than 5"]
        totals = [row for row in rows if "All" in row[:-1] or row[0] == "All members"]
        shown_totals = [row for row in totals if row[-1] != "fewer than 5"]
        assert len(hidden) != 1 or not shown_totals, (key, rows)
    by_kind = dict(map(tuple, _csv(leader_client, "by_kind")[1:]))
    assert by_kind["Voluntary or community organisation"] == "fewer than 5"


def test_figures_are_cached_until_the_next_refresh(
    coordinator_client: Client, small_network: dict[str, User]
) -> None:
    def exchanges_shown() -> str:
        html = coordinator_client.get(DASHBOARD).content.decode()
        start = html.index("Exchanges</span>")
        return html[start : start + 120]

    before = exchanges_shown()
    exchange(recorder(), small_network["s1"], small_network["n1"])
    assert exchanges_shown() == before  # not refreshed yet: the cached figures stand

    refresh()

    assert ">4<" in exchanges_shown()


def test_a_member_finds_the_naming_choice_from_their_profile_settings(
    member_client: Client,
) -> None:
    html = member_client.get(reverse("members:edit")).content.decode()

    assert f'href="{reverse("insight:naming")}"' in html
    assert "may see your name on the insight dashboard" in html


def test_the_date_filters_show_the_default_period_as_iso_dates(
    coordinator_client: Client,
) -> None:
    html = coordinator_client.get(DASHBOARD).content.decode()

    period = default_filters()
    assert f'name="start" value="{period.start.isoformat()}"' in html
    assert f'name="end" value="{period.end.isoformat()}"' in html


def test_hidden_bars_come_last_so_their_rank_tells_nothing(
    leader_client: Client, reference_data: None
) -> None:
    """Two people in a small charity exchange more hours than anyone: hidden, and not
    ranked first, where its place would say it is the largest."""
    rita = recorder()
    big = [organisation("Big Trust"), organisation("Big Practice", kind="gp_practice")]
    for n, org in enumerate(big):
        crowd = [person(f"Crowd {n}-{i}", org) for i in range(8)]
        for i in range(8):
            exchange(rita, crowd[i], crowd[(i + 1) % 8], minutes=60 + 15 * n)
    small = organisation("Small Charity", kind="voluntary")
    tiny = [person("Tiny A", small), person("Tiny B", small)]
    exchange(rita, tiny[0], tiny[1], minutes=6 * 60)
    exchange(rita, tiny[1], tiny[0], minutes=6 * 60)
    refresh()

    rows = [row for row in _csv(leader_client, "by_kind")[1:] if row[0] != "All"]

    shown = [row[1] != "fewer than 5" for row in rows]
    assert shown == sorted(shown, reverse=True), rows
    assert rows[-1][1] == "fewer than 5"
    assert "Voluntary or community organisation" in [
        row[0] for row in rows if not row[1][0].isdigit()
    ]


def test_a_figure_with_two_tables_names_each_csv_link_differently(
    coordinator_client: Client, small_network: dict[str, User]
) -> None:
    html = coordinator_client.get(DASHBOARD).content.decode()

    assert "CSV by kind of organisation<" in html
    assert "CSV by skill<" in html


def test_figures_are_built_with_the_cyclic_collector_paused_and_it_runs_again_after(
    coordinator_client: Client, small_network: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cold page's objects hold no cycles: the collector is off while they are built
    (``rendering.collector_paused``), on again afterwards, also for the CSVs."""
    import gc

    from openhours.insight import selectors

    seen: list[bool] = []
    build = selectors.dashboard

    def watched(*args: object, **kwargs: object) -> selectors.Dashboard:
        seen.append(gc.isenabled())
        return build(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(selectors, "dashboard", watched)
    assert gc.isenabled()
    assert coordinator_client.get(DASHBOARD + "?place=").status_code == 200
    assert _csv(coordinator_client, "headline")
    assert seen == [False, False]
    assert gc.isenabled()


def test_the_collector_is_turned_back_on_after_an_error_and_left_off_if_it_was_off() -> None:
    import gc

    from openhours.insight.rendering import collector_paused

    inside: list[bool] = []

    def fails() -> None:
        with collector_paused():
            inside.append(gc.isenabled())
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        fails()
    assert inside == [False]
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
