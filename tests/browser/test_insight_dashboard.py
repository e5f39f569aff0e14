"""The insight dashboard in a real browser, for a coordinator and a system leader.

A small ICS is built through the services (three organisations, two places, exchanges
inside and across them), the refresh runs, and the dashboard is visited at desktop
(1280px) and phone (360px) width: an axe-core check, no sideways scrolling of the page (a
chart or a wide table scrolls inside its own focusable region), a table view that opens,
and a screenshot in artifacts/screenshots/insight-<who>-<viewport>.png (copied to
/tmp/insight-shots/ for review).
"""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone

from openhours.accounts.models import Role
from openhours.accounts.tests.factories import UserFactory
from openhours.exchanges import services as exchanges
from openhours.insight.refresh import refresh
from openhours.members.models import Profession
from openhours.members.services import get_or_create_profile
from openhours.organisations.models import OrganisationKind
from openhours.organisations.tests.factories import OrganisationFactory, PlaceFactory

from .conftest import DESKTOP, PHONE
from .test_newcomer_journey import assert_accessible, shoot
from .test_tour import PAGE_OVERFLOWS, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

SIZES = {"desktop": DESKTOP, "phone": PHONE}
REVIEW = Path("/tmp/insight-shots")  # noqa: S108 (a copy for people to look at, nothing read back)


def build_ics() -> dict[str, Any]:
    # A transactional test empties the seeded unit costs; put them back as the migration does.
    seeding = importlib.import_module("openhours.insight.migrations.0002_seed_unit_costs")
    seeding.seed(apps, None)
    bristol, bath = PlaceFactory(name="Bristol"), PlaceFactory(name="Bath")
    organisations = [
        OrganisationFactory(name="Severn Hospitals NHS Trust", place=bristol),
        OrganisationFactory(
            name="Avon Valley Practice", kind=OrganisationKind.GP_PRACTICE, place=bath
        ),
        OrganisationFactory(
            name="Kingswood Carers", kind=OrganisationKind.VOLUNTARY, place=bristol
        ),
    ]
    professions = list(Profession.objects.order_by("name")[:4])
    people = []
    for n in range(24):
        user = UserFactory(full_name=f"Member {n:02d}")
        profile = get_or_create_profile(user)
        profile.profession = professions[n % len(professions)]
        profile.save()
        profile.organisations.add(organisations[n % 3])
        people.append(user)
    cole = UserFactory(full_name="Cole Coordinator", email="cole@nhs.net", role=Role.COORDINATOR)
    lee = UserFactory(full_name="Lee Leader", email="lee@nhs.net", role=Role.LEADER)
    for n in range(36):
        giver, receiver = people[n % 24], people[(n * 7 + 1) % 24]
        if giver == receiver:
            continue
        exchanges.record_offline_exchange(
            coordinator=cole,
            giver=giver,
            receiver=receiver,
            minutes=30 + 15 * (n % 5),
            delivered_on=timezone.localdate(),
            title="Help with an audit",
            reason="From the paper log",
        )
    refresh(rebuild=True)
    return {"cole": cole, "lee": lee}


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_insight_dashboard_for_a_coordinator_and_a_system_leader(
    open_page: Any, live_server: Any, screenshot_dir: Path, viewport: str
) -> None:
    people = build_ics()
    base = live_server.url
    REVIEW.mkdir(parents=True, exist_ok=True)
    for who in ("cole", "lee"):
        page = open_page(SIZES[viewport])
        sign_in(page, base, people[who].email)
        if viewport == "desktop":
            if who == "cole":  # coordinators find it in the coordinating menu
                page.get_by_role("link", name="Coordinate").click()
            page.get_by_role("link", name="Insight").first.click()
            page.wait_for_url("**/insight/")
        else:  # the phone's menu is folded; test_tour checks it opens
            page.goto(base + "/insight/")

        assert page.get_by_role("heading", level=1).all_inner_texts() == ["System insight"]
        assert page.locator(".insight-headline").count() >= 8
        assert page.locator("svg.chart[role=img] title").count() >= 8
        assert not page.evaluate(PAGE_OVERFLOWS), f"{who}: the page scrolls sideways"
        if who == "lee":
            assert "fewer than 5" in page.locator("main").inner_text()
            assert "Members who connect otherwise separate groups" not in page.content()
        else:
            assert "Members who connect otherwise separate groups" in page.content()

        toggle = page.locator("details.insight-table-toggle").first
        toggle.locator("summary").click()
        assert toggle.locator("table").is_visible()
        assert_accessible(page, f"insight ({who}, {viewport})")
        name = f"insight-{who}-{viewport}"
        shoot(page, screenshot_dir, name)
        shutil.copy(screenshot_dir / f"{name}.png", REVIEW / f"{name}.png")

        # A filter narrows it; a CSV comes back for the same filters.
        kind = page.get_by_role("combobox", name="Kind of organisation")
        kind.select_option("gp_practice")
        page.get_by_role("button", name="Show").click()
        page.wait_for_url("**kind=gp_practice**")
        assert kind.input_value() == "gp_practice"
        with page.expect_download() as download:
            page.get_by_role("link", name="Download CSV of the headline figures").click()
        assert download.value.suggested_filename.startswith("openhours-insight-headline")
