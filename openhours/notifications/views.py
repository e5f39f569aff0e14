"""The notifications page, opening one, marking all read and the email choice.

No htmx here on purpose: each action is one POST and a redirect, which is as quick as a
partial swap for a page this small, and it keeps the header's unread badge honest.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from openhours.accounts.http import MemberRequest
from openhours.accounts.permissions import member_required
from openhours.core.errors import DomainError
from openhours.core.forms import add_domain_error

from . import services
from .forms import EmailPreferenceForm
from .selectors import get_notification_for_recipient, notifications_for, preference_for

PAGE_SIZE = 25


@member_required
def notification_list(request: MemberRequest) -> HttpResponse:
    page = Paginator(notifications_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page, "nav": "notifications"})


@member_required
@require_POST
def notification_open(request: MemberRequest, notification_id: int) -> HttpResponse:
    notification = get_notification_for_recipient(notification_id, request.user)
    services.mark_read(user=request.user, notification=notification)
    if is_safe_relative_url(notification.url):
        return redirect(notification.url)
    return redirect("notifications:list")


@member_required
@require_POST
def notification_read_all(request: MemberRequest) -> HttpResponse:
    count = services.mark_all_read(user=request.user)
    if count:
        messages.success(request, "All caught up: every notification is marked as read.")
    return redirect("notifications:list")


@member_required
def notification_settings(request: MemberRequest) -> HttpResponse:
    # An empty POST (no option chosen) must still bind, so the member is told what to do.
    data = request.POST if request.method == "POST" else None
    form = EmailPreferenceForm(data, initial={"email": preference_for(request.user)})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_email_preference(user=request.user, preference=form.cleaned_data["email"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Your email choice is saved.")
            return redirect("notifications:settings")
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "notifications/settings.html",
        {"form": form, "nav": "notifications"},
        status=status,
    )


def is_safe_relative_url(url: str) -> bool:
    """A path on this site, such as ``/exchanges/7/``: never another host or a scheme."""
    return (
        url.startswith("/")
        and not url.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(url, allowed_hosts=set())
    )
