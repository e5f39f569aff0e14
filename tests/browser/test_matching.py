"""Matching in a real browser: a requester invites someone who could help, who is told.

At desktop and phone (360px) widths, with an axe-core check on each page. The ranking is
the real engine: the helper's profile names the request's skill and subject, the other
colleague's doesn't. The invitation is sent with htmx: the row turns into "Invited"
without the page reloading. Coordinators' queue and blocking are checked the same way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from openhours.accounts.models import Role
from openhours.accounts.tests.factories import UserFactory
from openhours.matching.models import RequestRouting, RoutingStage, Suggestion
from openhours.members.models import Skill
from openhours.members.services import ProfileDetails, update_profile
from openhours.posts.tests.factories import make_post

from .conftest import DESKTOP, PHONE
from .test_exchange_journey import sign_in
from .test_newcomer_journey import assert_accessible, shoot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def _people(viewport: str) -> tuple[Any, Any, Any]:
    maya = UserFactory(full_name="Maya Member", email=f"maya.{viewport}@nhs.net")
    hana = UserFactory(full_name="Hana Helper", email=f"hana.{viewport}@nhs.net")
    otto = UserFactory(full_name="Otto Other", email=f"otto.{viewport}@nhs.net")
    power_bi = Skill.objects.get(name="Power BI dashboards")
    update_profile(
        user=hana,
        details=ProfileDetails(
            full_name="Hana Helper",
            job_title="Information analyst",
            skills=[power_bi],
            can_help_with="Building Power BI dashboards, falls and incident data.",
        ),
    )
    update_profile(
        user=otto,
        details=ProfileDetails(
            full_name="Otto Other",
            job_title="Estates manager",
            can_help_with="Planning building works and moving departments.",
        ),
    )
    post = make_post(
        maya,
        title="A Power BI dashboard for our falls data",
        description="We collect falls incidents every month and want a Power BI dashboard.",
        category="data",
        skills=[power_bi],
    )
    return maya, hana, post


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_requester_invites_someone_who_could_help_and_they_are_told(
    open_page: Any, live_server: Any, screenshot_dir: Path, viewport: str
) -> None:
    maya, hana, post = _people(viewport)
    base = live_server.url
    size = DESKTOP if viewport == "desktop" else PHONE

    page = open_page(size)
    sign_in(page, base, maya.email)
    page.goto(f"{base}/posts/{post.pk}/")
    helpers = page.get_by_role("region", name="People who could help")
    helpers.get_by_role("link", name="Hana Helper").wait_for()
    assert "Otto Other" not in helpers.inner_text().split("Hana Helper")[0]
    assert_accessible(page, "a request with people who could help")
    shoot(page, screenshot_dir, f"matching-request-helpers-{viewport}")

    page.evaluate("window.notReloaded = true")
    invite = helpers.get_by_role("button", name="Invite Hana Helper")
    invite.focus()
    page.keyboard.press("Enter")
    helpers.get_by_text("Invited").first.wait_for()
    assert page.evaluate("window.notReloaded") is True  # swapped in by htmx
    assert Suggestion.objects.filter(post=post, member=hana, kind="invitation").exists()
    assert_accessible(page, "after inviting")
    shoot(page, screenshot_dir, f"matching-invited-{viewport}")

    hana_page = open_page(size)
    sign_in(hana_page, base, hana.email)
    hana_page.goto(f"{base}/notifications/")
    hana_page.get_by_text("Maya Member asked if you could help").wait_for()
    assert_accessible(hana_page, "the invited member's notifications")
    shoot(hana_page, screenshot_dir, f"matching-notification-{viewport}")

    hana_page.goto(f"{base}/")
    could_help = hana_page.get_by_role("region", name="Requests you could help with")
    could_help.get_by_role("link", name="A Power BI dashboard for our falls data").wait_for()
    assert_accessible(hana_page, "home with requests you could help with")
    shoot(hana_page, screenshot_dir, f"matching-home-{viewport}")


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_coordinator_works_the_queue_and_a_member_blocks_someone(
    open_page: Any, live_server: Any, screenshot_dir: Path, viewport: str
) -> None:
    maya, hana, post = _people(viewport)
    cole = UserFactory(
        full_name="Cole Coordinator", email=f"cole.{viewport}@nhs.net", role=Role.COORDINATOR
    )
    now = timezone.now()
    RequestRouting.objects.create(
        post=post, stage=RoutingStage.QUEUED, round=2, routed_at=now, queued_at=now
    )
    base = live_server.url
    size = DESKTOP if viewport == "desktop" else PHONE

    page = open_page(size)
    sign_in(page, base, cole.email)
    page.goto(f"{base}/matching/queue/")
    page.get_by_role("heading", name="Unanswered requests").wait_for()
    page.get_by_role("link", name="Hana Helper").wait_for()
    assert_accessible(page, "the coordinators' queue")
    shoot(page, screenshot_dir, f"matching-queue-{viewport}")
    page.get_by_role("button", name="Mark handled").click()
    page.get_by_text("No requests are waiting").wait_for()
    assert RequestRouting.objects.get(post=post).handled_by == cole

    member_page = open_page(size)
    sign_in(member_page, base, maya.email)
    member_page.goto(f"{base}/members/{hana.pk}/")
    member_page.get_by_role("link", name="Block Hana Helper").click()
    member_page.get_by_role("heading", name="What blocking does").wait_for()
    assert_accessible(member_page, "the block confirmation")
    shoot(member_page, screenshot_dir, f"matching-block-confirm-{viewport}")
    member_page.get_by_role("button", name="Block Hana Helper").click()
    member_page.get_by_text("You have blocked Hana Helper").first.wait_for()

    member_page.goto(f"{base}/members/me/blocked/")
    assert_accessible(member_page, "blocked members")
    shoot(member_page, screenshot_dir, f"matching-blocked-list-{viewport}")
    member_page.get_by_role("button", name="Unblock Hana Helper").click()
    member_page.get_by_text("You haven't blocked anyone").wait_for()
