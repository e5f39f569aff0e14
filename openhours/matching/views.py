"""Where members meet matching: invitations, "requests you could help with", the queue.

What each viewer may see is decided in `selectors` (`helpers_to_show`,
`requests_to_show`), which these views and the template tags in
`templatetags/matching.py` both call: the blocks on the request page and the home page
(owned by `posts` and `home`) never go through a view.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from openhours.accounts.http import MemberRequest
from openhours.accounts.models import User
from openhours.accounts.permissions import coordinator_required, member_required
from openhours.core.errors import DomainError
from openhours.posts.models import Kind, Post
from openhours.posts.selectors import get_post_for_viewer

from . import services
from .forms import InviteForm
from .models import RequestRouting, RoutingStage, Suggestion, SuggestionKind
from .selectors import (
    can_invite,
    helpers_to_show,
    requests_to_show,
    warming_up_note,
)

HELPERS_IN_QUEUE = 5
# "Requests you could help with" ranks at most this many; the page shows 10 at a time.
REQUESTS_FOR_YOU_MAX = 100
REQUESTS_PER_PAGE = 10
QUEUE_PER_PAGE = 10


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
    if not can_invite(post=post, inviter=request.user):
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
    matches = requests_to_show(request.user, limit=REQUESTS_FOR_YOU_MAX)
    page = Paginator(matches, REQUESTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "nav": "requests", "warming_up": warming_up_note()}
    return render(request, "matching/for_you.html", context)


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
            helpers_to_show(
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
