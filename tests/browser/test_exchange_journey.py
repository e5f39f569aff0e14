"""Two colleagues agree an exchange, talk, record and confirm the time, in a real browser.

At desktop and phone (360px) widths, with an axe-core accessibility check on each page.
The message is sent with htmx: it must appear without the page reloading.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from openhours.accounts.tests.factories import UserFactory
from openhours.exchanges.models import Exchange, State
from openhours.ledger.selectors import balance
from openhours.posts.tests.factories import make_post

from .conftest import DESKTOP, PHONE, sign_in
from .test_newcomer_journey import assert_accessible, shoot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


# Long on purpose: one journey, both colleagues' steps in the order they happen.
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_two_colleagues_complete_an_exchange(
    open_page: Any, live_server: Any, screenshot_dir: Path, viewport: str
) -> None:
    maya = UserFactory(full_name="Maya Member", email=f"maya.{viewport}@nhs.net")
    gil = UserFactory(full_name="Gil Giver", email=f"gil.{viewport}@nhs.net")
    post = make_post(maya, title="Help with a business case")
    base = live_server.url
    size = DESKTOP if viewport == "desktop" else PHONE

    # Gil finds Maya's request and offers to help.
    gil_page = open_page(size)
    sign_in(gil_page, base, gil.email)
    gil_page.goto(f"{base}/posts/{post.pk}/")
    gil_page.get_by_role("link", name="I can help").click()
    assert_accessible(gil_page, "offer to help")
    gil_page.get_by_label("Message").fill("I wrote one last year.")
    gil_page.get_by_role("button", name="Send").click()
    gil_page.wait_for_url(re.compile(r"/exchanges/\d+/$"))
    exchange = Exchange.objects.get()
    assert (exchange.giver, exchange.receiver, exchange.post) == (gil, maya, post)
    detail = f"{base}/exchanges/{exchange.pk}/"

    maya_page = open_page(size)
    sign_in(maya_page, base, maya.email)
    maya_page.goto(detail)
    assert gil.email not in maya_page.content()
    assert_accessible(maya_page, "a proposed exchange")
    maya_page.get_by_role("button", name="Agree").click()
    maya_page.wait_for_url(detail)
    assert gil.email in maya_page.content()

    maya_page.get_by_label("Your message").fill("Tuesday at 2 suits me.")
    maya_page.evaluate("window.notReloaded = true")
    maya_page.get_by_role("button", name="Send").click()
    maya_page.get_by_text("Tuesday at 2 suits me.").wait_for()
    assert maya_page.evaluate("window.notReloaded") is True  # swapped in by htmx
    shoot(maya_page, screenshot_dir, f"exchange-agreed-{viewport}")

    gil_page.goto(detail)
    gil_page.get_by_role("link", name="Record the time").click()
    assert_accessible(gil_page, "record the time")
    gil_page.get_by_label("Time given (hours)").fill("1.5")
    gil_page.get_by_role("button", name="Record the time").click()
    gil_page.wait_for_url(detail)

    maya_page.goto(detail)
    assert_accessible(maya_page, "time to confirm")
    maya_page.get_by_role("button", name="Confirm 1.5 hours").click()
    maya_page.wait_for_url(detail)
    assert_accessible(maya_page, "a confirmed exchange")
    shoot(maya_page, screenshot_dir, f"exchange-confirmed-{viewport}")
    assert Exchange.objects.get().state == State.CONFIRMED
    assert balance(gil) == 90

    maya_page.goto(f"{base}/exchanges/")
    assert_accessible(maya_page, "the exchanges list")

    # Both statements show the exchange, from each side.
    maya_page.goto(f"{base}/credits/")
    assert_accessible(maya_page, "the receiver's statement")
    maya_row = maya_page.get_by_role("row").filter(has_text="Gil Giver")
    assert "\u22121 h 30 min" in maya_row.inner_text() or "-1 h 30 min" in maya_row.inner_text()
    assert "received 1 h 30 min" in maya_page.locator(".credit-headline").inner_text()
    shoot(maya_page, screenshot_dir, f"exchange-statement-receiver-{viewport}")

    gil_page.goto(f"{base}/credits/")
    assert_accessible(gil_page, "the giver's statement")
    gil_row = gil_page.get_by_role("row").filter(has_text="Maya Member")
    assert "+1 h 30 min" in gil_row.inner_text()
    assert "given 1 h 30 min" in gil_page.locator(".credit-headline").inner_text()
    gil_row.get_by_role("link").click()
    gil_page.wait_for_url(detail)
