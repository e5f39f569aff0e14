"""Bringing requests to people: one-click invitations and the routing of new requests.

Rules that hold everywhere here (and are tested in `tests/test_services.py` and
`tests/test_routing.py`):

* Nobody is ever asked about their own request, about a request by someone they
  blocked or who blocked them, or while their account is inactive or unapproved. The
  ranking selectors already leave these out; `_askable` checks again, because a rule
  that protects people should not rest on one query elsewhere.
* Nobody is asked about the same request twice: `Suggestion` is unique per request,
  member and kind, and each round excludes everyone already suggested (by alert or
  invitation).
* Nobody gets more than `OPENHOURS_MATCHING_ALERTS_PER_WEEK` alerts in any seven days;
  a member at the cap is skipped and the next match is alerted instead. Invitations from
  a person do not count towards the cap (someone chose to ask them).

Locking: every write about a request first locks its `Post` row, then (when alerting)
the candidate members' `User` rows in primary-key order, so two overlapping runs can
neither alert the same request twice nor push a member past the weekly cap; ranking runs
before the transaction, so locks are held for a few inserts only.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from openhours.accounts.models import User
from openhours.accounts.permissions import require_coordinator
from openhours.core.errors import DomainError
from openhours.exchanges.models import Exchange, State
from openhours.members.selectors import blocked_either_way
from openhours.notifications.services import notify
from openhours.posts.models import Kind, Post, Status

from .models import RequestRouting, RoutingStage, Suggestion, SuggestionKind
from .selectors import HelperMatch, can_invite, helpers_for_request, matching_ready

# An exchange in any of these states no longer answers a request: the helper said no,
# or one of them called it off before any time was given.
NOT_AN_ANSWER = (State.DECLINED, State.CANCELLED)
# How many more matches than alerts to ask the ranking for, so that members at their
# weekly cap can be skipped and the next ones alerted instead.
RANKING_HEADROOM = 4
ALERT_WINDOW = timedelta(days=7)
# Requests routed (first alerts, escalations) in one pass at most; the rest wait for the
# next run a few minutes later, so one pass stays short however big a backlog is.
ROUTE_BATCH = 200


def _post_url(post: Post) -> str:
    return reverse("posts:detail", args=[post.pk])


def _is_answered(post_id: int) -> bool:
    return Exchange.objects.filter(post_id=post_id).exclude(state__in=NOT_AN_ANSWER).exists()


def _answered() -> Exists:
    """A condition on routings: their request has an exchange that answers it."""
    return Exists(
        Exchange.objects.filter(post_id=OuterRef("post_id")).exclude(state__in=NOT_AN_ANSWER)
    )


def _askable(members: Iterable[User], *, post: Post, exclude: Collection[int]) -> list[User]:
    """Those of `members` who may be asked about `post` at all (see the module docstring)."""
    blocked = blocked_either_way(post.author_id)
    return [
        m
        for m in members
        if m.pk != post.author_id
        and m.pk not in blocked
        and m.pk not in exclude
        and m.is_approved_member
    ]


def _already_suggested(post_id: int) -> set[int]:
    return set(Suggestion.objects.filter(post_id=post_id).values_list("member_id", flat=True))


# Invitations ------------------------------------------------------------------------


def invite_to_request(*, post: Post, member: User, inviter: User) -> Suggestion:
    """Ask `member` to help with `post`, on behalf of its requester or a coordinator.

    Idempotent: inviting someone already invited returns the same invitation and tells
    nobody again. Refusals raise `DomainError` with a message to show as it is.
    """
    if not can_invite(post=post, inviter=inviter):
        raise DomainError("Only the person who asked, or a coordinator, can invite people.")
    with transaction.atomic():
        post = Post.objects.select_for_update().select_related("author").get(pk=post.pk)
        if post.kind != Kind.REQUEST:
            raise DomainError("People can be invited to requests only, not to offers.")
        if post.status != Status.OPEN:
            raise DomainError("This request is closed, so nobody can be invited to it.")
        member = User.objects.get(pk=member.pk)
        if member.pk == post.author_id:
            raise DomainError("The person who asked can't be invited to their own request.")
        if not member.is_approved_member:
            raise DomainError(f"{member.full_name} isn't an active member, so can't be invited.")
        if member.pk in blocked_either_way(post.author_id):
            raise DomainError(f"{member.full_name} can't be invited to this request.")
        suggestion, created = Suggestion.objects.get_or_create(
            post=post,
            member=member,
            kind=SuggestionKind.INVITATION,
            defaults={"invited_by": inviter, "created_at": timezone.now()},
        )
        if created:
            if inviter.pk == post.author_id:
                message = f"{inviter.full_name} asked if you could help with “{post.title}”."
            else:
                message = (
                    f"{inviter.full_name}, a coordinator, thought you could help with "
                    f"“{post.title}” by {post.author.full_name}."
                )
            notify(
                recipient=member,
                verb="matching.invited",
                message=message,
                url=_post_url(post),
                actor=inviter,
                needs_action=True,
            )
    return suggestion


# Routing ----------------------------------------------------------------------------


@dataclass
class RoutingReport:
    """What one pass of `route_requests` did, for the command's summary and for tests."""

    routed: int = 0
    escalated: int = 0
    queued: int = 0
    answered: int = 0
    closed: int = 0
    resumed: int = 0
    alerts: int = 0
    # No new request was routed: matching was still warming up in this process, and an
    # alert to nobody would have moved the request on to escalation. The next pass will.
    deferred: bool = False

    def summary(self) -> str:
        if self.deferred:
            return "Matching is warming up; new requests wait for the next pass."
        return (
            f"{self.routed} new requests alerted, {self.escalated} escalated, "
            f"{self.queued} queued for coordinators, {self.answered} answered, "
            f"{self.closed} closed, {self.resumed} resumed; {self.alerts} alerts sent."
        )


def alerts_in_window(member_ids: Collection[int], *, now: datetime) -> dict[int, int]:
    """How many alerts each of `member_ids` received in the seven days up to `now`."""
    rows = (
        Suggestion.objects.filter(
            member_id__in=member_ids,
            kind=SuggestionKind.ALERT,
            created_at__gt=now - ALERT_WINDOW,
        )
        .values("member_id")
        .annotate(n=Count("pk"))
    )
    return {row["member_id"]: row["n"] for row in rows}


def _rank(post: Post, *, exclude: Collection[int]) -> list[HelperMatch]:
    per_request = settings.OPENHOURS_MATCHING_ALERTS_PER_REQUEST
    return helpers_for_request(post, limit=per_request * RANKING_HEADROOM, exclude=exclude)


def _alert(post: Post, matches: list[HelperMatch], *, round: int, now: datetime) -> int:
    """Alert the best `matches` who may be asked and are under the weekly cap.

    Runs inside the caller's transaction, with the post row locked.
    """
    per_request = settings.OPENHOURS_MATCHING_ALERTS_PER_REQUEST
    per_week = settings.OPENHOURS_MATCHING_ALERTS_PER_WEEK
    already = _already_suggested(post.pk)
    ids = [m.member.pk for m in matches]
    # Lock the candidates in key order: a concurrent pass alerting another request waits
    # here, then counts this pass's alerts, so nobody goes past the cap.
    locked = {u.pk: u for u in User.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    askable = {u.pk for u in _askable(locked.values(), post=post, exclude=already)}
    counts = alerts_in_window(list(askable), now=now)
    url = _post_url(post)
    sent = 0
    for match in matches:
        if sent >= per_request:
            break
        member = locked.get(match.member.pk)
        if member is None or member.pk not in askable or counts.get(member.pk, 0) >= per_week:
            continue
        Suggestion.objects.create(
            post=post,
            member=member,
            kind=SuggestionKind.ALERT,
            round=round,
            score=match.score,
            reasons=list(match.reasons),
            created_at=now,
        )
        because = (
            f" You were suggested because: {'; '.join(match.reasons)}." if match.reasons else ""
        )
        notify(
            recipient=member,
            verb="matching.alert",
            message=f"A request you could help with: “{post.title}”.{because}",
            url=url,
            needs_action=True,
        )
        sent += 1
    return sent


def _route_new(post_id: int, *, now: datetime, report: RoutingReport) -> None:
    post = Post.objects.select_related("author").get(pk=post_id)
    matches = _rank(post, exclude=_already_suggested(post_id))
    with transaction.atomic():
        post = Post.objects.select_for_update().select_related("author").get(pk=post_id)
        if post.status != Status.OPEN or RequestRouting.objects.filter(post=post).exists():
            return  # Closed meanwhile, or another pass routed it first.
        if _is_answered(post.pk):
            RequestRouting.objects.create(post=post, stage=RoutingStage.ANSWERED, routed_at=now)
            report.answered += 1
            return
        report.alerts += _alert(post, matches, round=1, now=now)
        RequestRouting.objects.create(post=post, stage=RoutingStage.ALERTED, routed_at=now)
        report.routed += 1


def _escalate(post_id: int, *, now: datetime, due: datetime, report: RoutingReport) -> None:
    post = Post.objects.select_related("author").get(pk=post_id)
    matches = _rank(post, exclude=_already_suggested(post_id))
    with transaction.atomic():
        post = Post.objects.select_for_update().select_related("author").get(pk=post_id)
        routing = RequestRouting.objects.select_for_update().get(post=post)
        if routing.stage != RoutingStage.ALERTED or routing.routed_at > due:
            return  # Another pass got there first.
        if post.status != Status.OPEN or _is_answered(post.pk):
            return  # The next pass files it as closed or answered.
        report.alerts += _alert(post, matches, round=2, now=now)
        routing.stage = RoutingStage.ESCALATED
        routing.round = 2
        routing.routed_at = now
        routing.save(update_fields=["stage", "round", "routed_at"])
        report.escalated += 1


def _queue(post_id: int, *, now: datetime, due: datetime, report: RoutingReport) -> None:
    with transaction.atomic():
        post = Post.objects.select_for_update().select_related("author").get(pk=post_id)
        routing = RequestRouting.objects.select_for_update().get(post=post)
        if routing.stage != RoutingStage.ESCALATED or routing.routed_at > due:
            return
        if post.status != Status.OPEN or _is_answered(post.pk):
            return
        routing.stage = RoutingStage.QUEUED
        routing.routed_at = now
        routing.queued_at = now
        routing.handled_by = None
        routing.save(update_fields=["stage", "routed_at", "queued_at", "handled_by"])
        # Told once: only the pass that moved it to the queue gets here.
        for coordinator in User.objects.coordinators():
            notify(
                recipient=coordinator,
                verb="matching.queued",
                message=(
                    f"“{post.title}” by {post.author.full_name} has had no answer after two "
                    "rounds of alerts. It is in the coordinators' queue."
                ),
                url=reverse("matching:queue"),
                needs_action=True,
            )
        report.queued += 1


def _file_finished(report: RoutingReport, *, now: datetime) -> None:
    """Stop routing requests that closed or were answered; resume ones that reopened."""
    active = RequestRouting.objects.filter(
        stage__in=[RoutingStage.ALERTED, RoutingStage.ESCALATED, RoutingStage.QUEUED]
    )
    report.closed += active.exclude(post__status=Status.OPEN).update(
        stage=RoutingStage.CLOSED, routed_at=now
    )
    report.answered += (
        active.filter(post__status=Status.OPEN)
        .filter(_answered())
        .update(stage=RoutingStage.ANSWERED, routed_at=now)
    )
    report.closed += (
        RequestRouting.objects.filter(stage=RoutingStage.ANSWERED)
        .exclude(post__status=Status.OPEN)
        .update(stage=RoutingStage.CLOSED, routed_at=now)
    )
    # A request reopened by its author, or whose every exchange fell through, picks up
    # where it left off: waiting for the next round, or back in the queue.
    stalled = RequestRouting.objects.filter(
        stage__in=[RoutingStage.ANSWERED, RoutingStage.CLOSED], post__status=Status.OPEN
    ).filter(~_answered())
    report.resumed += stalled.filter(queued_at__isnull=False).update(
        stage=RoutingStage.QUEUED, routed_at=now, handled_by=None
    )
    for stage, condition in (
        (RoutingStage.ESCALATED, Q(queued_at__isnull=True, round__gte=2)),
        (RoutingStage.ALERTED, Q(queued_at__isnull=True, round__lt=2)),
    ):
        report.resumed += stalled.filter(condition).update(stage=stage, routed_at=now)


def route_requests(*, now: datetime | None = None, batch: int = ROUTE_BATCH) -> RoutingReport:
    """One pass of routing; safe to run repeatedly and concurrently (see docs/matching.md).

    1. Requests that closed, expired or were answered (an exchange for the post in any
       state but declined or cancelled) stop being routed; reopened ones resume.
    2. Each open request not yet routed alerts its best matches (round 1).
    3. A request still unanswered `OPENHOURS_MATCHING_ESCALATE_AFTER_DAYS` after that
       alerts the next matches, nobody already asked (round 2).
    4. One still unanswered as long again goes to the coordinators' queue, and the
       coordinators are told once.

    While matching warms up (no index snapshot yet), only step 1 runs: routing a new
    request to nobody, or escalating past helpers nobody could rank, would lose alerts.
    """
    now = now or timezone.now()
    report = RoutingReport()
    wait = timedelta(days=settings.OPENHOURS_MATCHING_ESCALATE_AFTER_DAYS)
    due = now - wait
    _file_finished(report, now=now)
    if not matching_ready():
        report.deferred = True
        return report

    new = (
        Post.objects.filter(kind=Kind.REQUEST, status=Status.OPEN, routing__isnull=True)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:batch]
    )
    for post_id in list(new):
        _route_new(post_id, now=now, report=report)

    for stage, step in ((RoutingStage.ALERTED, _escalate), (RoutingStage.ESCALATED, _queue)):
        ids = (
            RequestRouting.objects.filter(stage=stage, routed_at__lte=due)
            .order_by("routed_at", "post_id")
            .values_list("post_id", flat=True)[:batch]
        )
        for post_id in list(ids):
            step(post_id, now=now, due=due, report=report)
    return report


# The coordinators' queue ------------------------------------------------------------


def mark_handled(*, post: Post, coordinator: User) -> RequestRouting:
    """A coordinator takes a queued request off the queue. Idempotent."""
    require_coordinator(coordinator, to="take requests off the queue")
    with transaction.atomic():
        routing = RequestRouting.objects.select_for_update().filter(post_id=post.pk).first()
        if routing is None or routing.stage != RoutingStage.QUEUED:
            raise DomainError("This request isn't in the coordinators' queue.")
        if routing.handled_by_id is None:
            routing.handled_by = coordinator
            routing.save(update_fields=["handled_by"])
    return routing
