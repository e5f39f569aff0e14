"""Where members meet matching: invitations, "requests you could help with", the queue.

The request page's "People who could help" and the home page's "Requests you could help
with" are inclusion tags (`templatetags/matching.py`) built from `helper_rows` and
`request_rows` here, so the pages that show them (in `posts` and `core`) import nothing
from matching.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from openhours.accounts.models import User
from openhours.accounts.permissions import Viewer, coordinator_required, member_required
from openhours.core.errors import DomainError
from openhours.core.http import MemberRequest
from openhours.members.models import Profile, Visibility
from openhours.posts.models import Kind, Post, Status
from openhours.posts.selectors import get_post_for_viewer

from . import services
from .forms import InviteForm
from .models import RequestRouting, RoutingStage, Suggestion, SuggestionKind
from .selectors import HelperMatch, RequestMatch, helpers_for_request, requests_for_member

HELPERS_ON_REQUEST = 5
HELPERS_IN_QUEUE = 5
REQUESTS_ON_HOME = 5
# "Requests you could help with" ranks at most this many; the page shows 10 at a time.
REQUESTS_FOR_YOU_MAX = 100
REQUESTS_PER_PAGE = 10
QUEUE_PER_PAGE = 10


@dataclass(frozen=True)
class HelperRow:
    match: HelperMatch
    invited: bool

    @property
    def member(self) -> User:
        return self.match.member


def may_see_helpers(post: Post, viewer: Viewer) -> bool:
    """People who could help are shown to the requester and coordinators, on open requests."""
    return (
        isinstance(viewer, User)
        and post.kind == Kind.REQUEST
        and post.status == Status.OPEN
        and services.can_invite(post=post, inviter=viewer)
    )


def helper_rows(
    post: Post, *, viewer: User, limit: int, exclude_alerted: bool = False
) -> list[HelperRow]:
    """The best helpers for `post` as `viewer` may see them, each marked if invited.

    A member who hid their profile can still be alerted, but only coordinators see them
    listed here: a requester is shown only profiles they could open anyway.
    """
    exclude: set[int] = set()
    if exclude_alerted:
        exclude = set(
            Suggestion.objects.filter(post=post, kind=SuggestionKind.ALERT).values_list(
                "member_id", flat=True
            )
        )
    matches = helpers_for_request(post, limit=limit * 2, exclude=exclude)
    prefetch_related_objects([m.member for m in matches], "profile", "profile__organisations")
    if not viewer.is_coordinator:
        # Read from the database, not the members' cached profiles, which may be stale.
        hidden = set(
            Profile.objects.filter(
                user_id__in=[m.member.pk for m in matches], visibility=Visibility.HIDDEN
            ).values_list("user_id", flat=True)
        )
        matches = [m for m in matches if m.member.pk not in hidden]
    matches = matches[:limit]
    invited = set(
        Suggestion.objects.filter(
            post=post, kind=SuggestionKind.INVITATION, member_id__in=[m.member.pk for m in matches]
        ).values_list("member_id", flat=True)
    )
    return [HelperRow(match=m, invited=m.member.pk in invited) for m in matches]


def request_rows(member: User, *, limit: int) -> list[RequestMatch]:
    matches = requests_for_member(member, limit=limit)
    prefetch_related_objects([m.post for m in matches], "author", "author__profile")
    return matches


def _next_url(request: MemberRequest, candidate: str, default: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts=set()):
        return candidate
    return default


def _request_or_404(post_id: int, viewer: User) -> Post:
    post = get_post_for_viewer(post_id, viewer)
    if post.kind != Kind.REQUEST:
        raise Http404("Only requests have people who could help.")
    return post


@member_required
@require_POST
def invite(request: MemberRequest, post_id: int) -> HttpResponse:
    """One click invites a member. With htmx the row becomes "Invited" (or says why not,
    always 200 so htmx swaps it in); without JavaScript it redirects back with a message."""
    post = _request_or_404(post_id, request.user)
    if not services.can_invite(post=post, inviter=request.user):
        raise PermissionDenied("Only the person who asked, or a coordinator, can invite people.")
    form = InviteForm(request.POST)
    if not form.is_valid():
        raise Http404("No such member.")
    member = User.objects.filter(pk=form.cleaned_data["member"]).first()
    if member is None:
        raise Http404("No such member.")
    back = _next_url(request, form.cleaned_data["next"], reverse("posts:detail", args=[post.pk]))
    error = ""
    try:
        services.invite_to_request(post=post, member=member, inviter=request.user)
    except DomainError as exc:
        error = exc.message
    if request.htmx:
        return render(
            request,
            "matching/_invite_result.html",
            {"member": member, "error": error, "post": post},
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request, f"{member.full_name} is invited. They'll see your request in OpenHours."
        )
    return redirect(back)


@member_required
def for_you(request: MemberRequest) -> HttpResponse:
    matches = request_rows(request.user, limit=REQUESTS_FOR_YOU_MAX)
    page = Paginator(matches, REQUESTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "matching/for_you.html", {"page": page, "nav": "requests"})


@coordinator_required
def queue(request: MemberRequest) -> HttpResponse:
    """Requests nobody answered after two rounds of alerts, oldest first."""
    routings = (
        RequestRouting.objects.filter(stage=RoutingStage.QUEUED, handled_by__isnull=True)
        .select_related("post", "post__author", "post__author__profile")
        .order_by("queued_at", "post_id")
    )
    page = Paginator(routings, QUEUE_PER_PAGE).get_page(request.GET.get("page"))
    items = [
        (
            routing,
            helper_rows(
                routing.post, viewer=request.user, limit=HELPERS_IN_QUEUE, exclude_alerted=True
            ),
            Suggestion.objects.filter(post_id=routing.post_id, kind=SuggestionKind.ALERT).count(),
        )
        for routing in page.object_list
    ]
    return render(
        request,
        "matching/queue.html",
        {"page": page, "items": items, "nav": "coordinate"},
    )


@coordinator_required
@require_POST
def mark_handled(request: MemberRequest, post_id: int) -> HttpResponse:
    post = _request_or_404(post_id, request.user)
    try:
        services.mark_handled(post=post, coordinator=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"“{post.title}” is marked as handled.")
    return redirect("matching:queue")
