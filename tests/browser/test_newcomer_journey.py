"""A newcomer joins, builds a profile, asks for help, and a colleague finds the request.

Driven in a real browser at desktop and phone widths, with an automated accessibility
check (axe-core, shipped inside the axe-playwright-python package) on each page visited.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail

from openhours.accounts.tests.factories import PASSWORD, UserFactory
from openhours.organisations.tests.factories import OrganisationFactory
from openhours.posts.models import Post

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

from .conftest import DESKTOP, PHONE  # noqa: E402

AXE = Axe()
SERIOUS = {"serious", "critical"}


def assert_accessible(page: Any, name: str) -> None:
    results = AXE.run(
        page,
        options={
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]}
        },
    )
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in SERIOUS
    ]
    assert problems == [], f"accessibility problems on {name}: {problems}"


def shoot(page: Any, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


# Long on purpose: one journey from sign-up to being found, step by step.
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_newcomer_joins_posts_a_request_and_a_colleague_finds_it(
    open_page: Any, live_server: Any, screenshot_dir: Path, viewport: str
) -> None:
    size = DESKTOP if viewport == "desktop" else PHONE
    OrganisationFactory(name="North Bristol NHS Trust", ods_code="RVJ")
    colleague = UserFactory(full_name="Colin Colleague", email="colin@nhs.net")
    page = open_page(size)
    base = live_server.url

    # Sign up.
    page.goto(base + "/")
    assert_accessible(page, "landing")
    shoot(page, screenshot_dir, f"01-landing-{viewport}")
    page.get_by_role("link", name="Join OpenHours").click()
    page.get_by_label("Full name").fill("Nadia Newcomer")
    page.get_by_label("Email").fill(f"nadia.{viewport}@nhs.net")
    page.get_by_label("Password", exact=True).fill("a-long-and-unusual-passphrase")
    page.get_by_label("Password (again)").fill("a-long-and-unusual-passphrase")
    assert_accessible(page, "sign-up")
    shoot(page, screenshot_dir, f"02-signup-{viewport}")
    page.get_by_role("button", name=re.compile("Sign Up", re.I)).click()
    page.wait_for_url(re.compile("confirm-email"))

    # Verify the email through the link that was sent.
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[-1].body)
    assert link
    page.goto(
        base + "/accounts/confirm-email/" + link.group(0).split("/accounts/confirm-email/")[1]
    )
    page.get_by_role("button", name="Confirm").click()

    # Complete the profile, choosing an organisation with search-as-you-type.
    page.goto(base + "/members/me/")
    page.wait_for_url(re.compile("/members/me/edit/"))
    page.get_by_label("Job title").fill("Ward manager")
    page.get_by_label("Search for an organisation").fill("north bris")
    page.get_by_label(re.compile("North Bristol NHS Trust")).check()
    page.get_by_label("Clinical audit").check()
    page.get_by_label("I can help with").fill(
        "Running ward-level audits and teaching new starters."
    )
    assert_accessible(page, "profile")
    shoot(page, screenshot_dir, f"03-profile-{viewport}")
    page.get_by_role("button", name="Save profile").click()
    page.get_by_text("Your profile is saved").wait_for()
    assert page.get_by_role("link", name="North Bristol NHS Trust").count() == 1

    # Post a request, first with a mistake, then correctly.
    page.goto(base + "/")
    page.get_by_role("link", name="Ask for help").first.click()
    page.get_by_label("Title").fill("Help designing a pressure ulcer audit")
    page.get_by_label("Description").fill("We want to audit pressure ulcer care across two wards.")
    page.get_by_label("Category").select_option(label="Clinical practice and audit")
    page.get_by_label("Estimated time (hours)").fill("1.1")
    page.get_by_role("button", name="Post it").click()
    page.get_by_text("There is a problem").wait_for()
    assert_accessible(page, "post form with errors")
    shoot(page, screenshot_dir, f"04-post-error-{viewport}")
    assert Post.objects.count() == 0
    page.get_by_label("Estimated time (hours)").fill("1.5")
    page.get_by_role("button", name="Post it").click()
    page.get_by_text("Your request is live").wait_for()
    shoot(page, screenshot_dir, f"05-post-{viewport}")
    assert Post.objects.get().author.full_name == "Nadia Newcomer"

    # A colleague signs in and finds it by search.
    page = open_page(size)
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(colleague.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("heading", name=re.compile("Hello")).wait_for()
    assert_accessible(page, "home")
    shoot(page, screenshot_dir, f"06-home-{viewport}")
    page.get_by_label("Search offers and requests").fill("pressure ulcer")
    page.get_by_role("button", name="Search").first.click()
    page.get_by_role("link", name="Help designing a pressure ulcer audit").wait_for()
    assert_accessible(page, "search results")
    shoot(page, screenshot_dir, f"07-search-{viewport}")
    page.get_by_role("link", name="Help designing a pressure ulcer audit").click()
    page.get_by_text("Nadia Newcomer").first.wait_for()
    assert page.get_by_role("link", name="Edit", exact=True).count() == 0
    shoot(page, screenshot_dir, f"08-detail-{viewport}")
