"""Routing: a new request alerts its best matches, then the next ones, then coordinators.

The ranking is replaced by a fixed list here (`ranked`), so each test says exactly who
the engine would suggest, including people it should never have returned, to show that
routing keeps its own rules. `test_views.py` and the engine's own tests use the real one.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from openhours.accounts.models import Approval, Role, User
from openhours.accounts.tests.factories import UserFactory
from openhours.core.testing import needs_postgresql, run_together
from openhours.exchanges.models import Exchange
from openhours.exchanges.services import cancel_exchange, respond_to_post
from openhours.matching import services
from openhours.matching.models import RequestRouting, RoutingStage, Suggestion, SuggestionKind
from openhours.matching.selectors import HelperMatch
from openhours.matching.services import invite_to_request, route_requests
from openhours.members.services import block_member
from openhours.notifications.models import Notification
from openhours.posts.models import Post
from openhours.posts.services import close_post, renew_post
from openhours.posts.tests.factories import make_post

pytestmark = pytest.mark.django_db

CaptureCallbacks = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]

DAY = timedelta(days=1)


class Ranking:
    """Stands in for `helpers_for_request`: returns `order`, honouring limit and exclude."""

    def __init__(self) -> None:
        self.order: list[User] = []
        self.calls: list[tuple[int, int, set[int]]] = []

    def __call__(
        self, post: Post, *, limit: int = 10, exclude: Collection[int] = ()
    ) -> list[HelperMatch]:
        self.calls.append((post.pk, limit, set(exclude)))
        chosen = [m for m in self.order if m.pk not in set(exclude)][:limit]
        return [
            HelperMatch(member=m, score=1.0 - i / 100, reasons=[f"Skill match {i}"])
            for i, m in enumerate(chosen)
        ]


@pytest.fixture
def ranked(monkeypatch: pytest.MonkeyPatch) -> Ranking:
    ranking = Ranking()
    monkeypatch.setattr(services, "helpers_for_request", ranking)
    return ranking


@pytest.fixture
def helpers(db: None) -> list[User]:
    return [UserFactory(full_name=f"Helper {i}", email=f"helper{i}@nhs.net") for i in range(12)]


@pytest.fixture
def request_post(member: User) -> Post:
    return make_post(member, title="Power BI dashboard for falls data")


def alerted(post: Post, *, round: int | None = None) -> set[User]:
    rows = Suggestion.objects.filter(post=post, kind=SuggestionKind.ALERT)
    if round is not None:
        rows = rows.filter(round=round)
    return {s.member for s in rows.select_related("member")}


def stage(post: Post) -> str:
    return RequestRouting.objects.get(post=post).stage


# First alerts -----------------------------------------------------------------------


@override_settings(OPENHOURS_MATCHING_ALERTS_PER_REQUEST=3)
def test_a_new_request_alerts_its_best_matches_in_the_app_and_by_email(
    ranked: Ranking,
    helpers: list[User],
    request_post: Post,
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    ranked.order = helpers
    with django_capture_on_commit_callbacks(execute=True):
        report = route_requests()

    assert alerted(request_post, round=1) == set(helpers[:3])
    assert stage(request_post) == RoutingStage.ALERTED
    assert report.routed == 1 and report.alerts == 3
    note = Notification.objects.get(recipient=helpers[0])
    assert note.needs_action and note.verb == "matching.alert"
    assert note.message.startswith("A request you could help with: “Power BI dashboard")
    assert "Skill match 0" in note.message
    assert note.url == f"/posts/{request_post.pk}/"
    assert sorted(m.to[0] for m in mail.outbox) == sorted(h.email for h in helpers[:3])
    suggestion = Suggestion.objects.get(post=request_post, member=helpers[0])
    assert suggestion.score == 1.0 and suggestion.reasons == ["Skill match 0"]


def test_the_requester_a_blocked_member_and_inactive_accounts_are_never_alerted(
    ranked: Ranking, helpers: list[User], member: User, request_post: Post
) -> None:
    blocked_by_requester, blocked_requester = helpers[0], helpers[1]
    block_member(blocker=member, blocked=blocked_by_requester)
    block_member(blocker=blocked_requester, blocked=member)
    gone = UserFactory(is_active=False)
    pending = UserFactory(approval=Approval.PENDING)
    # An engine that forgot every rule: routing still refuses them.
    ranked.order = [member, blocked_by_requester, blocked_requester, gone, pending, *helpers[2:]]

    route_requests()

    never = {member, blocked_by_requester, blocked_requester, gone, pending}
    assert alerted(request_post) == set(helpers[2:7])
    assert not Notification.objects.filter(recipient__in=never).exists()


@override_settings(OPENHOURS_MATCHING_ALERTS_PER_WEEK=2, OPENHOURS_MATCHING_ALERTS_PER_REQUEST=2)
def test_a_member_at_the_weekly_cap_is_skipped_and_the_next_match_is_alerted(
    ranked: Ranking, helpers: list[User], member: User
) -> None:
    star, other, next_best = helpers[0], helpers[1], helpers[2]
    ranked.order = [star, other, next_best]
    first = make_post(member, title="First")
    route_requests()
    second = make_post(member, title="Second")
    ranked.order = [star, next_best, helpers[3]]
    route_requests()
    assert star in alerted(first) and star in alerted(second)

    third = make_post(member, title="Third")
    ranked.order = [star, other, next_best, helpers[3]]
    route_requests()

    assert star not in alerted(third)
    assert alerted(third) == {other, next_best}


@override_settings(OPENHOURS_MATCHING_ALERTS_PER_WEEK=1, OPENHOURS_MATCHING_ALERTS_PER_REQUEST=1)
def test_the_cap_counts_the_last_seven_days_only(
    ranked: Ranking, helpers: list[User], member: User
) -> None:
    star = helpers[0]
    ranked.order = [star, helpers[1]]
    start = timezone.now()
    make_post(member, title="Monday")
    route_requests(now=start)
    six_days = make_post(member, title="Six days later")
    route_requests(now=start + 6 * DAY)
    assert alerted(six_days) == {helpers[1]}

    eight_days = make_post(member, title="Eight days later")
    route_requests(now=start + 8 * DAY)
    assert alerted(eight_days) == {star}


def test_invitations_do_not_count_towards_the_cap_and_an_invited_member_is_not_alerted(
    ranked: Ranking, helpers: list[User], member: User, request_post: Post
) -> None:
    invite_to_request(post=request_post, member=helpers[0], inviter=member)
    ranked.order = helpers
    route_requests()
    assert helpers[0] not in alerted(request_post)
    assert services.alerts_in_window([helpers[0].pk], now=timezone.now()) == {}


def test_the_ranking_is_asked_for_headroom_beyond_the_alerts_per_request(
    ranked: Ranking, request_post: Post
) -> None:
    route_requests()
    [(post_id, limit, _)] = ranked.calls
    assert post_id == request_post.pk
    assert limit == 5 * services.RANKING_HEADROOM


def test_running_again_alerts_nobody_twice(
    ranked: Ranking, helpers: list[User], request_post: Post
) -> None:
    ranked.order = helpers
    route_requests()
    again = route_requests()
    assert again.routed == 0 and again.alerts == 0
    assert Suggestion.objects.count() == 5
    assert Notification.objects.filter(verb="matching.alert").count() == 5


def test_offers_and_closed_requests_are_not_routed(
    ranked: Ranking, helpers: list[User], member: User
) -> None:
    make_post(member, kind="offer", title="Excel training")
    closed = make_post(member, title="Closed already")
    close_post(actor=member, post=closed)
    ranked.order = helpers
    report = route_requests()
    assert report.routed == 0
    assert not Suggestion.objects.exists()


def test_a_request_answered_before_its_first_run_alerts_nobody(
    ranked: Ranking, helpers: list[User], request_post: Post
) -> None:
    respond_to_post(responder=helpers[5], post=request_post)
    ranked.order = helpers
    route_requests()
    assert stage(request_post) == RoutingStage.ANSWERED
    assert not Suggestion.objects.exists()


# Escalation -------------------------------------------------------------------------


@override_settings(
    OPENHOURS_MATCHING_ESCALATE_AFTER_DAYS=3, OPENHOURS_MATCHING_ALERTS_PER_REQUEST=2
)
def test_an_unanswered_request_goes_to_the_next_matches_then_to_the_coordinators_once(
    ranked: Ranking, helpers: list[User], request_post: Post, coordinator: User
) -> None:
    other_coordinator = UserFactory(role=Role.COORDINATOR)
    ranked.order = helpers
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        route_requests()
    assert alerted(request_post, round=1) == set(helpers[:2])

    with time_machine.travel(start + 2 * DAY, tick=False):
        route_requests()
    assert stage(request_post) == RoutingStage.ALERTED

    with time_machine.travel(start + 3 * DAY, tick=False):
        report = route_requests()
    assert report.escalated == 1
    assert alerted(request_post, round=2) == set(helpers[2:4])
    routing = RequestRouting.objects.get(post=request_post)
    assert (routing.stage, routing.round) == (RoutingStage.ESCALATED, 2)
    assert ranked.calls[-1][2] >= {helpers[0].pk, helpers[1].pk}

    with time_machine.travel(start + 5 * DAY, tick=False):
        route_requests()
    assert stage(request_post) == RoutingStage.ESCALATED

    queued_at = start + 6 * DAY
    with time_machine.travel(queued_at, tick=False):
        report = route_requests()
        route_requests()
    routing.refresh_from_db()
    assert report.queued == 1
    assert routing.stage == RoutingStage.QUEUED and routing.queued_at == queued_at
    for person in (coordinator, other_coordinator):
        [note] = Notification.objects.filter(recipient=person, verb="matching.queued")
        assert "Power BI dashboard" in note.message and note.url == "/matching/queue/"

    with time_machine.travel(start + 30 * DAY, tick=False):
        route_requests()
    assert Notification.objects.filter(verb="matching.queued").count() == 2
    assert len(alerted(request_post)) == 4


def test_escalation_skips_everyone_already_asked_including_invited_members(
    ranked: Ranking, helpers: list[User], member: User, request_post: Post
) -> None:
    ranked.order = helpers
    start = timezone.now()
    route_requests(now=start)
    invite_to_request(post=request_post, member=helpers[5], inviter=member)
    route_requests(now=start + 3 * DAY)
    assert alerted(request_post, round=2) == set(helpers[6:11])


@pytest.mark.parametrize("later", ["answered", "closed"])
def test_an_answered_or_closed_request_stops_being_routed(
    ranked: Ranking, helpers: list[User], member: User, request_post: Post, later: str
) -> None:
    ranked.order = helpers
    start = timezone.now()
    route_requests(now=start)
    if later == "answered":
        respond_to_post(responder=helpers[0], post=request_post)
    else:
        close_post(actor=member, post=request_post)

    report = route_requests(now=start + 3 * DAY)
    route_requests(now=start + 9 * DAY)

    assert stage(request_post) == (
        RoutingStage.ANSWERED if later == "answered" else RoutingStage.CLOSED
    )
    assert report.escalated == 0
    assert alerted(request_post, round=2) == set()
    assert not Notification.objects.filter(verb="matching.queued").exists()


def test_a_queued_request_leaves_the_queue_when_answered(
    ranked: Ranking, helpers: list[User], request_post: Post
) -> None:
    start = timezone.now()
    for day in (0, 3, 6):
        route_requests(now=start + day * DAY)
    assert stage(request_post) == RoutingStage.QUEUED
    respond_to_post(responder=helpers[0], post=request_post)
    route_requests(now=start + 7 * DAY)
    assert stage(request_post) == RoutingStage.ANSWERED


def test_a_declined_or_cancelled_answer_does_not_count_and_routing_resumes(
    ranked: Ranking, helpers: list[User], member: User, request_post: Post
) -> None:
    ranked.order = helpers
    start = timezone.now()
    route_requests(now=start)
    exchange = respond_to_post(responder=helpers[0], post=request_post)
    route_requests(now=start + DAY)
    assert stage(request_post) == RoutingStage.ANSWERED

    cancel_exchange(exchange=exchange, actor=helpers[0])
    report = route_requests(now=start + 2 * DAY)
    assert report.resumed == 1
    assert stage(request_post) == RoutingStage.ALERTED
    route_requests(now=start + 5 * DAY)
    assert stage(request_post) == RoutingStage.ESCALATED
    assert Exchange.objects.filter(post=request_post).count() == 1


def test_a_reopened_request_resumes_where_it_left_off(
    ranked: Ranking, helpers: list[User], member: User, request_post: Post
) -> None:
    ranked.order = helpers
    start = timezone.now()
    route_requests(now=start)
    route_requests(now=start + 3 * DAY)
    close_post(actor=member, post=request_post)
    route_requests(now=start + 4 * DAY)
    assert stage(request_post) == RoutingStage.CLOSED

    renew_post(actor=member, post=Post.objects.get(pk=request_post.pk))
    route_requests(now=start + 4 * DAY)
    assert stage(request_post) == RoutingStage.ESCALATED
    assert len(alerted(request_post)) == 10


def test_the_command_routes_and_prints_a_summary(
    ranked: Ranking, helpers: list[User], request_post: Post, capsys: pytest.CaptureFixture[str]
) -> None:
    ranked.order = helpers
    call_command("route_requests")
    out = capsys.readouterr().out
    assert "1 new requests alerted" in out and "5 alerts sent" in out


def test_a_pass_routes_at_most_its_batch_and_the_next_pass_the_rest(
    ranked: Ranking, helpers: list[User], member: User
) -> None:
    posts = [make_post(member, title=f"Request {i}") for i in range(3)]
    ranked.order = helpers[:1]
    assert route_requests(batch=2).routed == 2
    assert route_requests(batch=2).routed == 1
    assert all(stage(p) == RoutingStage.ALERTED for p in posts)


def _needs_postgresql(test: Any) -> Any:
    for mark in reversed(needs_postgresql):
        test = mark(test)
    return test


@_needs_postgresql
@override_settings(OPENHOURS_MATCHING_ALERTS_PER_WEEK=1, OPENHOURS_MATCHING_ALERTS_PER_REQUEST=2)
def test_passes_running_at_once_alert_each_request_once_and_keep_the_cap(
    ranked: Ranking, helpers: list[User], member: User
) -> None:
    posts = [make_post(member, title=f"Request {i}") for i in range(4)]
    ranked.order = helpers

    errors = run_together([route_requests for _ in range(4)])

    assert errors == []
    assert RequestRouting.objects.filter(stage=RoutingStage.ALERTED).count() == 4
    per_member = [s.member_id for s in Suggestion.objects.all()]
    assert len(per_member) == 8 and len(set(per_member)) == 8  # nobody past the cap of one
    assert all(len(alerted(p)) == 2 for p in posts)
    assert Notification.objects.filter(verb="matching.alert").count() == 8


def test_with_the_real_engine_a_new_request_alerts_the_matching_colleague_only(
    member: User,
) -> None:
    from openhours.members.models import Skill
    from openhours.members.services import ProfileDetails, update_profile

    power_bi = Skill.objects.get(name="Power BI dashboards")
    hana, otto, blocked = UserFactory(), UserFactory(), UserFactory()
    for who in (hana, blocked):
        update_profile(
            user=who,
            details=ProfileDetails(
                full_name=who.full_name,
                skills=[power_bi],
                can_help_with="Power BI dashboards for falls data.",
            ),
        )
    update_profile(
        user=otto,
        details=ProfileDetails(full_name=otto.full_name, can_help_with="Moving departments."),
    )
    block_member(blocker=member, blocked=blocked)
    post = make_post(
        member,
        title="A Power BI dashboard for our falls data",
        description="We want a Power BI dashboard of monthly falls incidents.",
        category="data",
        skills=[power_bi],
    )
    route_requests()
    assert hana in alerted(post)
    assert member not in alerted(post) and blocked not in alerted(post)
