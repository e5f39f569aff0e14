"""A tour of the newer pages, as a member, a session giver and a coordinator would see them.

Realistic state is built through the services (credits, exchanges in several states, group
sessions before and after they run, notifications), then every page is visited at desktop
(1280px) and phone (360px) width. On each page: an axe-core check, the heading and the
figure or row that matters, no sideways scrolling of the page at 360px (a wide table may
scroll inside its own focusable region), and a screenshot in
artifacts/screenshots/tour-<page>-<viewport>.png. Problems are collected per page so one
run reports all of them.

Then one flow is walked by keyboard alone (a donation, through its confirmation step),
checking at every stop that the focused element shows a visible focus indicator; and the
phone header's "Menu" disclosure is checked with JavaScript on and off.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from openhours.accounts.models import Approval, Role, User
from openhours.accounts.tests.factories import UserFactory
from openhours.exchanges import services as exchanges
from openhours.exchanges.models import Helped
from openhours.group_sessions import services as sessions
from openhours.group_sessions.services import SessionDetails
from openhours.group_sessions.tests.factories import make_group_session
from openhours.ledger import services as ledger
from openhours.ledger.models import Transfer
from openhours.ledger.selectors import balance
from openhours.notifications.services import notify
from openhours.posts.models import Kind
from openhours.posts.tests.factories import make_post

from . import conftest
from .conftest import DESKTOP, PHONE
from .test_newcomer_journey import assert_accessible, shoot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

SIZES = {"desktop": DESKTOP, "phone": PHONE}

# True when the page itself scrolls sideways. Wide content is allowed only inside an element
# that scrolls on its own and can take keyboard focus (a captioned table region).
PAGE_OVERFLOWS = "document.documentElement.scrollWidth > window.innerWidth"
TABLES_CUT_OFF = """() => Array.from(document.querySelectorAll('main table')).filter(table => {
  const scroller = table.closest('[tabindex="0"]');
  if (scroller && getComputedStyle(scroller).overflowX === 'auto') return false;
  return table.getBoundingClientRect().right > window.innerWidth + 1;
}).map(table => table.querySelector('caption, th')?.textContent.trim())"""
WIDEST = """() => Array.from(document.querySelectorAll('body *')).filter(el => {
  const box = el.getBoundingClientRect();
  return box.right > window.innerWidth + 1 && !el.closest('[tabindex="0"]');
}).slice(0, 3).map(el => el.tagName.toLowerCase() + '.' + el.className)"""
FOCUS_VISIBLE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return false;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  return outline || style.boxShadow !== 'none';
}"""


@dataclass(frozen=True)
class Stop:
    name: str  # used in the screenshot's file name
    who: str  # whose browser: "maya" (member), "gil" (runs a session), "cole" (coordinator)
    path: str
    heading: str  # the page's h1
    shows: tuple[str, ...] = ()  # text that must be on the page


@dataclass
class World:
    maya: User
    gil: User
    priya: User
    cole: User
    stops: list[Stop]
    donation: Transfer


# Long on purpose: the tour's world, each member, post and exchange built in the order
# the pages visited later depend on them.
def build_world() -> World:
    """Three members and a coordinator, with a little history between them."""
    now = timezone.now()
    maya = UserFactory(full_name="Maya Member", email="maya@nhs.net")
    gil = UserFactory(full_name="Gil Giver", email="gil@nhs.net")
    priya = UserFactory(full_name="Priya Patel", email="priya@nhs.net")
    cole = UserFactory(full_name="Cole Coordinator", email="cole@nhs.net", role=Role.COORDINATOR)
    UserFactory(full_name="Wendy Waiting", email="wendy@example.org", approval=Approval.PENDING)
    for person in (maya, gil, priya):
        ledger.grant_joining_credit(user=person)

    # Credits: a donation to the pool, a coordinator's top-up and a grant from it.
    donation = ledger.donate(
        donor=maya, minutes=30, idempotency_key=f"tour:{uuid.uuid4()}", memo="For newcomers"
    )
    ledger.top_up_pool(
        coordinator=cole,
        minutes=600,
        reason="Winter wellbeing campaign",
        idempotency_key=f"tour:{uuid.uuid4()}",
    )
    ledger.coordinator_grant(
        coordinator=cole,
        to_user=priya,
        minutes=60,
        reason="Starter help for a new ward clerk",
        idempotency_key=f"tour:{uuid.uuid4()}",
    )

    # A confirmed exchange (Gil helped Maya), with private feedback.
    request = make_post(maya, title="Help with a business case for a virtual ward")
    done = exchanges.respond_to_post(responder=gil, post=request, message="I wrote one.")
    done = exchanges.accept_exchange(exchange=done, actor=maya)
    done = exchanges.record_delivery(exchange=done, actor=gil, minutes=90)
    done = exchanges.confirm_exchange(exchange=done, actor=maya)
    exchanges.leave_feedback(
        exchange=done, author=maya, helped=Helped.YES, comment="Clear and patient."
    )
    # A disputed one (Gil says he helped Priya; Priya disagrees).
    audit = make_post(priya, title="Teach me pivot tables for the rota spreadsheet")
    disputed = exchanges.respond_to_post(responder=gil, post=audit)
    disputed = exchanges.accept_exchange(exchange=disputed, actor=priya)
    disputed = exchanges.record_delivery(exchange=disputed, actor=gil, minutes=120)
    disputed = exchanges.dispute_exchange(
        exchange=disputed, actor=priya, reason="We met for half an hour, not two."
    )
    # One waiting for Maya's answer, so her list has something that needs her.
    offer = make_post(maya, kind=Kind.OFFER, title="Coaching for a first band 7 interview")
    exchanges.respond_to_post(responder=priya, post=offer, message="I have one next month.")

    # Group sessions: one coming up, one that has happened (for Gil to record) and one
    # recorded that Maya still has to confirm.
    upcoming = make_group_session(gil, title="QI for beginners: PDSA cycles")
    sessions.sign_up(session=upcoming, member=maya)
    earlier = now - timedelta(days=3)

    def past_session(title: str) -> Any:
        session = sessions.create_session(
            giver=gil,
            details=SessionDetails(
                title=title,
                description="Ninety minutes on writing a SMART objective for appraisal.",
                starts_at=now - timedelta(hours=2),
                planned_minutes=90,
                capacity=8,
                online=False,
                location="Learning Centre, Room 4, Southmead Hospital",
            ),
            now=earlier,
        )
        sessions.sign_up(session=session, member=maya, now=earlier)
        sessions.sign_up(session=session, member=priya, now=earlier)
        return session

    to_record = past_session("Appraisal objectives that mean something")
    recorded = past_session("Safe handover with SBAR")
    sessions.record_delivery(
        session=recorded,
        giver=gil,
        delivered_minutes=90,
        preparation_minutes=30,
        attendees=[maya, priya],
    )
    notify(
        recipient=maya,
        verb="tour.reminder",
        message="Your request “Help with a business case for a virtual ward” closes in 7 days.",
        url=f"/posts/{request.pk}/",
        needs_action=True,
    )

    stops = [
        Stop("statement", "maya", "/credits/", "Your time credits", ("Gil Giver", "For newcomers")),
        Stop("donate", "maya", "/credits/donate/", "Pay it forward", ("Who to give to",)),
        Stop("notifications", "maya", "/notifications/", "Notifications", ("closes in 7 days",)),
        Stop("notification-settings", "maya", "/notifications/settings/", "When we email you"),
        Stop("exchanges", "maya", "/exchanges/", "Your exchanges", ("Coaching for a first",)),
        Stop(
            "exchanges-finished",
            "maya",
            "/exchanges/?show=finished",
            "Your exchanges",
            ("Help with a business case",),
        ),
        Stop("sessions", "maya", "/sessions/", "Group sessions", ("QI for beginners",)),
        Stop("session-create", "maya", "/sessions/new/", "Run a group session"),
        Stop(
            "session-detail",
            "maya",
            f"/sessions/{recorded.pk}/",
            "Safe handover with SBAR",
            ("Yes, I attended", "Southmead Hospital"),
        ),
        Stop(
            "session-dispute",
            "maya",
            f"/sessions/{recorded.pk}/dispute/",
            "I wasn't there",
            ("Safe handover with SBAR",),
        ),
        Stop(
            "session-giver",
            "gil",
            f"/sessions/{to_record.pk}/",
            "Appraisal objectives that mean something",
            ("Maya Member", "Priya Patel", "Record what happened"),
        ),
        Stop(
            "session-delivery",
            "gil",
            f"/sessions/{to_record.pk}/delivery/",
            "Record what happened",
            ("Maya Member", "Priya Patel"),
        ),
        Stop(
            "session-cancel",
            "gil",
            f"/sessions/{upcoming.pk}/cancel/",
            "Cancel “QI for beginners: PDSA cycles”?",
        ),
        Stop("pool", "cole", "/credits/pool/", "Community pool", ("Winter wellbeing campaign",)),
        Stop("audit", "cole", "/credits/audit/", "Ledger audit log", ("Starter help",)),
        Stop(
            "reverse",
            "cole",
            f"/credits/transfers/{donation.pk}/reverse/",
            f"Reverse transfer #{donation.pk}",
            ("Maya Member", "For newcomers"),
        ),
        Stop(
            "disputes",
            "cole",
            "/exchanges/coordinate/disputes/",
            "Disputed exchanges",
            ("Teach me pivot tables", "Priya Patel"),
        ),
        Stop(
            "resolve",
            "cole",
            f"/exchanges/{disputed.pk}/resolve/",
            "Resolve: Teach me pivot tables for the rota spreadsheet",
            ("We met for half an hour",),
        ),
        Stop(
            "record-offline",
            "cole",
            "/exchanges/coordinate/record/",
            "Record an exchange for members who are offline",
        ),
        Stop(
            "feedback", "cole", "/exchanges/coordinate/feedback/", "Exchange feedback", ("Clear",)
        ),
        Stop(
            "approvals",
            "cole",
            "/membership/approvals/",
            "Members waiting for approval",
            ("Wendy Waiting", "wendy@example.org"),
        ),
        Stop("sessions-coordinator", "cole", "/sessions/?show=all", "Group sessions"),
    ]
    return World(maya=maya, gil=gil, priya=priya, cole=cole, stops=stops, donation=donation)


sign_in = partial(conftest.sign_in, then=re.compile(r"/$"))


def visit(page: Any, base: str, stop: Stop, viewport: str, folder: Path) -> list[str]:
    """Look at one page; return what is wrong with it (nothing, ideally)."""
    problems: list[str] = []
    response = page.goto(base + stop.path)
    shoot(page, folder, f"tour-{stop.name}-{viewport}")
    if response is None or response.status != 200:
        return [f"{stop.name}: status {response and response.status}"]
    headings = page.get_by_role("heading", level=1).all_inner_texts()
    if headings != [stop.heading]:
        problems.append(f"{stop.name}: h1 is {headings}, expected {stop.heading!r}")
    text = page.locator("main").inner_text()
    problems += [f"{stop.name}: {want!r} not shown" for want in stop.shows if want not in text]
    if page.evaluate(PAGE_OVERFLOWS):
        width = page.evaluate("document.documentElement.scrollWidth")
        widest = page.evaluate(WIDEST)
        problems.append(f"{stop.name}: the page scrolls sideways ({width}px wide): {widest}")
    if cut := page.evaluate(TABLES_CUT_OFF):
        problems.append(f"{stop.name}: tables cut off with nowhere to scroll: {cut}")
    try:
        assert_accessible(page, stop.name)
    except AssertionError as error:
        problems.append(str(error).splitlines()[0])
    return problems


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_tour_of_the_new_pages(
    open_page: Any, live_server: Any, screenshot_dir: Path, viewport: str
) -> None:
    world = build_world()
    base = live_server.url
    pages = {}
    for who, person in (("maya", world.maya), ("gil", world.gil), ("cole", world.cole)):
        pages[who] = open_page(SIZES[viewport])
        sign_in(pages[who], base, person.email)

    problems: list[str] = []
    for stop in world.stops:
        problems += visit(pages[stop.who], base, stop, viewport, screenshot_dir)
    assert problems == []

    # The key figures, not just the words around them.
    statement = pages["maya"]
    statement.goto(base + "/credits/")
    assert (
        "You have given 0 min · received 1 h 30 min"
        in statement.locator(".credit-headline").inner_text()
    )
    row = statement.get_by_role("row").filter(has_text="For newcomers")
    assert re.search(r"[\u2212-]30 min", row.inner_text())
    # Maya: 2 h joining grant, -30 min donation, -1 h 30 min for the exchange.
    assert balance(world.maya) == 0
    assert statement.locator(".credit-balance").inner_text() == "0 min"


def tab_to(page: Any, locator: Any, *, limit: int = 40) -> list[str]:
    """Press Tab until the locator has focus, recording any stop without a focus ring."""
    unseen: list[str] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        if not page.evaluate(FOCUS_VISIBLE):
            unseen.append(page.evaluate("document.activeElement.outerHTML.slice(0, 80)"))
        if locator.evaluate("el => el === document.activeElement"):
            return unseen
    raise AssertionError(f"never reached {locator} by Tab")


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_donation_by_keyboard_alone(
    open_page: Any, live_server: Any, screenshot_dir: Path, viewport: str
) -> None:
    maya = UserFactory(full_name="Maya Member", email="maya@nhs.net")
    ledger.grant_joining_credit(user=maya)  # 2 hours
    base = live_server.url
    page = open_page(SIZES[viewport])
    sign_in(page, base, maya.email)
    page.goto(base + "/credits/donate/")

    # From the top of the page: the skip link, then into the form.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("el => el === document.activeElement")
    assert page.evaluate(FOCUS_VISIBLE)
    page.keyboard.press("Enter")
    unseen = tab_to(page, page.get_by_label("Hours", exact=True))
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("1")
    unseen += tab_to(page, page.get_by_label("Minutes", exact=True))
    page.keyboard.press("ArrowDown")  # 15 minutes
    page.keyboard.press("ArrowDown")  # 30 minutes
    unseen += tab_to(page, page.get_by_label("Note (optional)"))
    page.keyboard.type("Thank you, OpenHours")
    shoot(page, screenshot_dir, f"tour-keyboard-donate-{viewport}")
    page.keyboard.press("Enter")

    page.get_by_role("heading", name="Check your donation").wait_for()
    assert "1 hour 30 minutes" in page.locator("main").inner_text()
    give = page.get_by_role("button", name=re.compile("^Give "))
    unseen += tab_to(page, give)
    shoot(page, screenshot_dir, f"tour-keyboard-confirm-{viewport}")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile("/credits/$"))
    assert unseen == []
    assert balance(maya) == 30
    row = page.get_by_role("row").filter(has_text="Thank you, OpenHours")
    assert re.search(r"[\u2212-]1 h 30 min", row.inner_text())


def test_on_a_phone_the_site_menu_folds_behind_a_menu_button(
    open_page: Any, live_server: Any, screenshot_dir: Path
) -> None:
    maya = UserFactory(full_name="Maya Member", email="maya@nhs.net")
    notify(recipient=maya, verb="tour.hello", message="Welcome to OpenHours.")
    base = live_server.url
    page = open_page(PHONE)
    sign_in(page, base, maya.email)
    page.goto(base + "/credits/")

    menu = page.get_by_role("button", name=re.compile("^Menu"))
    credits = page.get_by_role("link", name="Credits", exact=True)
    assert menu.get_attribute("aria-expanded") == "false"
    # The unread count is not hidden along with the nav.
    assert page.get_by_role("button", name="Menu 1 unread notifications").count() == 1
    assert credits.is_hidden()
    assert page.locator(".site-header").bounding_box()["height"] < 80
    assert_accessible(page, "phone header, menu closed")
    shoot(page, screenshot_dir, "tour-menu-closed-phone")

    menu.focus()
    page.keyboard.press("Enter")
    assert menu.get_attribute("aria-expanded") == "true"
    assert credits.is_visible()
    assert page.get_by_role("button", name="Sign out").is_visible()
    assert not page.evaluate(PAGE_OVERFLOWS)
    assert_accessible(page, "phone header, menu open")
    shoot(page, screenshot_dir, "tour-menu-open-phone")

    # Escape closes it again and puts focus back on the button.
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    assert menu.get_attribute("aria-expanded") == "false"
    assert menu.evaluate("el => el === document.activeElement")
    assert credits.is_hidden()

    # The menu is a way to reach the links, not a change to them.
    menu.click()
    credits.click()
    page.wait_for_url(re.compile("/credits/$"))


def test_without_javascript_the_phone_nav_is_shown_in_full(browser: Any, live_server: Any) -> None:
    maya = UserFactory(full_name="Maya Member", email="maya@nhs.net")
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, live_server.url, maya.email)
        assert page.get_by_role("button", name=re.compile("^Menu")).count() == 0
        assert page.get_by_role("link", name="Credits", exact=True).is_visible()
        assert page.get_by_role("button", name="Sign out").is_visible()
        assert not page.evaluate(PAGE_OVERFLOWS)
    finally:
        context.close()


def test_on_a_desktop_the_nav_is_one_row_beside_the_name(open_page: Any, live_server: Any) -> None:
    # A coordinator has the most links (Coordinate as well), and some unread notifications.
    cole = UserFactory(full_name="Cole Coordinator", email="cole@nhs.net", role=Role.COORDINATOR)
    for n in range(12):
        notify(recipient=cole, verb="tour.hello", message=f"Message {n}.")
    page = open_page(DESKTOP)
    sign_in(page, live_server.url, cole.email)
    assert page.get_by_role("button", name=re.compile("^Menu")).is_hidden()
    links = page.get_by_role("navigation", name="Main").get_by_role("link")
    tops = {round(box["y"]) for box in (link.bounding_box() for link in links.all())}
    assert len(tops) == 1, f"the nav wraps onto {len(tops)} rows"
    brand = page.get_by_role("link", name="OpenHours home").bounding_box()
    assert abs(brand["y"] + brand["height"] / 2 - (min(tops) + 16)) < 20
