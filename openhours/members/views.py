from __future__ import annotations

import re

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from openhours.accounts.http import MemberRequest
from openhours.accounts.models import User
from openhours.accounts.permissions import member_required
from openhours.core.errors import DomainError
from openhours.core.forms import add_domain_error

from . import services
from .forms import DirectoryFilterForm, ProfileForm
from .selectors import (
    DirectoryFilters,
    DirectoryPaginator,
    blocks_made_by,
    get_profile_for_viewer,
    has_blocked,
    search_members,
)
from .selectors import directory as directory_query


@member_required
def directory(request: MemberRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None)
    filters = DirectoryFilters()
    if form.is_valid():
        d = form.cleaned_data
        filters = DirectoryFilters(
            text=d["q"],
            skill_id=d["skill"].pk if d["skill"] else None,
            organisation_id=d["organisation"].pk if d["organisation"] else None,
            organisation_kind=d["organisation_kind"],
            profession_id=d["profession"].pk if d["profession"] else None,
            place_id=d["place"].pk if d["place"] else None,
        )
    page = DirectoryPaginator(directory_query(filters, viewer=request.user), 24).get_page(
        request.GET.get("page")
    )
    context = {"form": form, "page": page, "nav": "members"}
    if request.htmx:
        return render(request, "members/_directory_results.html", context)
    return render(request, "members/directory.html", context)


# A picker's field name and element id, echoed into the fragment, so kept to safe characters.
PICKER_NAME = re.compile(r"[A-Za-z][\w-]{0,79}", re.ASCII)
PICKER_RESULTS = 10


@member_required
def search(request: MemberRequest) -> HttpResponse:
    """The member picker's matches for what was typed (an htmx fragment of options).

    The picker sends its field name (its text box is ``<field>_query``) and its element id
    (for the options' ids); fewer than two letters finds nothing.
    """
    field = request.GET.get("field", "")
    field = field if PICKER_NAME.fullmatch(field) else "member"
    picker = request.GET.get("picker", "")
    picker = picker if PICKER_NAME.fullmatch(picker) else f"id_{field}"
    query = str(request.GET.get(f"{field}_query") or request.GET.get("q") or "")[:100].strip()
    searched = len(query) >= 2
    results = []
    if searched:
        results = search_members(
            query,
            viewer=request.user,
            limit=PICKER_RESULTS,
            exclude_viewer=request.GET.get("exclude_me") == "1",
        )
    return render(
        request,
        "members/_member_options.html",
        {"results": results, "query": query, "searched": searched, "picker": picker},
    )


@member_required
def profile_detail(request: MemberRequest, user_id: int) -> HttpResponse:
    profile = get_profile_for_viewer(user_id, request.user)
    is_me = profile.user_id == request.user.pk
    context = {
        "profile": profile,
        "is_me": is_me,
        "i_blocked": not is_me and has_blocked(request.user.pk, profile.user_id),
        "nav": "me" if is_me else "members",
    }
    return render(request, "members/detail.html", context)


@member_required
def my_profile(request: MemberRequest) -> HttpResponse:
    profile = services.get_or_create_profile(request.user)
    if not profile.is_complete:
        return redirect("members:edit")
    return redirect("members:detail", user_id=request.user.pk)


@member_required
def edit_profile(request: MemberRequest) -> HttpResponse:
    profile = services.get_or_create_profile(request.user)
    form = ProfileForm(request.POST or None, initial=ProfileForm.initial_for(profile))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_profile(user=request.user, details=form.details())
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Your profile is saved.")
            return redirect("members:detail", user_id=request.user.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "members/edit.html",
        {"form": form, "profile": profile, "first_time": not profile.is_complete, "nav": "me"},
        status=status,
    )


@member_required
def block(request: MemberRequest, user_id: int) -> HttpResponse:
    """Block a member: a page that says what blocking does, then a POST to confirm.

    Only someone whose profile the viewer may see can be blocked from here (others 404),
    and never oneself.
    """
    profile = get_profile_for_viewer(user_id, request.user)
    if profile.user_id == request.user.pk:
        messages.error(request, "You can't block yourself.")
        return redirect("members:detail", user_id=user_id)
    if request.method == "POST":
        services.block_member(blocker=request.user, blocked=profile.user)
        messages.success(
            request,
            f"You have blocked {profile.user.full_name}. You can unblock them from "
            "“Blocked members” on your profile.",
        )
        return redirect("members:detail", user_id=user_id)
    already = has_blocked(request.user.pk, profile.user_id)
    return render(request, "members/block_confirm.html", {"profile": profile, "already": already})


@member_required
@require_POST
def unblock(request: MemberRequest, user_id: int) -> HttpResponse:
    """Lift the viewer's own block of a member (idempotent; any active member id)."""
    blocked = get_object_or_404(User, pk=user_id, is_active=True)
    if services.unblock_member(blocker=request.user, blocked=blocked):
        messages.success(request, f"You have unblocked {blocked.full_name}.")
    else:
        # Any member's id can be posted here, so the answer doesn't say whose it is.
        messages.info(request, "That member wasn't blocked.")
    back = str(request.POST.get("next", ""))
    if back.startswith("/") and url_has_allowed_host_and_scheme(back, allowed_hosts=set()):
        return redirect(back)
    return redirect("members:blocked")


@member_required
def blocked_members(request: MemberRequest) -> HttpResponse:
    page = Paginator(blocks_made_by(request.user.pk), 50).get_page(request.GET.get("page"))
    return render(request, "members/blocked.html", {"page": page, "nav": "me"})
