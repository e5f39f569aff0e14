"""A member gives an hour to a colleague found by typing part of their name.

The member picker is driven only from the keyboard (type, arrow down, Enter), at desktop
and phone (360px) widths, with axe-core checks on the donate page with the list open and
closed.
"""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from openhours.accounts.tests.factories import UserFactory
from openhours.ledger import services
from openhours.ledger.selectors import balance
from openhours.members.models import Profile
from openhours.organisations.tests.factories import OrganisationFactory

from . import conftest
from .conftest import DESKTOP, PHONE
from .test_newcomer_journey import assert_accessible, shoot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


# Signed in once the page has left the login form.
sign_in = partial(conftest.sign_in, then=re.compile(r"^(?!.*/accounts/login/)"))


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_member_donates_to_a_colleague_chosen_with_the_keyboard(
    open_page: Any, live_server: Any, screenshot_dir: Path, viewport: str
) -> None:
    size = DESKTOP if viewport == "desktop" else PHONE
    maya = UserFactory(full_name="Maya Member", email=f"maya.{viewport}@nhs.net")
    services.grant_joining_credit(user=maya)
    trust = OrganisationFactory(name="North Bristol NHS Trust")
    prisha = UserFactory(full_name="Prisha Rao")
    priya = UserFactory(full_name="Priya Patel")
    for person, job in ((prisha, "Physiotherapist"), (priya, "Data analyst")):
        Profile.objects.create(user=person, job_title=job).organisations.add(trust)
    page = open_page(size)
    base = live_server.url

    sign_in(page, base, maya.email)
    page.goto(base + "/credits/donate/")
    assert_accessible(page, "donate")

    box = page.get_by_role("combobox", name="Which colleague?")
    assert box.get_attribute("aria-expanded") == "false"
    box.press_sequentially("pri", delay=40)
    listbox = page.get_by_role("listbox", name="Matching members")
    listbox.get_by_role("option").nth(1).wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    assert page.get_by_role("status").filter(has_text="2 members found").count() == 1
    # Choosing with the keyboard: the second match is Priya (names in order).
    box.press("ArrowDown")
    box.press("ArrowDown")
    active = page.locator("#" + str(box.get_attribute("aria-activedescendant")))
    assert "Priya Patel" in active.inner_text()
    assert active.get_attribute("aria-selected") == "true"
    assert_accessible(page, "donate, list open")
    shoot(page, screenshot_dir, f"member-picker-open-{viewport}")
    box.press("Enter")

    assert box.input_value() == "Priya Patel"
    assert box.get_attribute("aria-expanded") == "false"
    assert page.locator("input[type=hidden][name=to_user]").input_value() == str(priya.pk)
    assert page.get_by_label("A colleague").is_checked()  # typing chose "A colleague"
    page.get_by_text("Chosen: Priya Patel").wait_for()
    assert_accessible(page, "donate, colleague chosen")
    shoot(page, screenshot_dir, f"member-picker-chosen-{viewport}")

    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Check your donation").wait_for()
    assert "Priya Patel" in page.locator("dl.details").inner_text()
    page.get_by_role("button", name="Give 1 hour").click()
    page.get_by_text("You gave 1 hour to Priya Patel").wait_for()

    assert balance(priya) == 60
    assert balance(prisha) == 0
    assert balance(maya) == 60
