from __future__ import annotations

import re

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render

from openhours.accounts.permissions import member_required
from openhours.core.errors import DomainError
from openhours.core.http import MemberRequest
from openhours.posts.models import Post, Status

from . import services
from .forms import DirectoryFilterForm, ProfileForm
from .selectors import DirectoryFilters, get_profile_for_viewer, search_members
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
    page = Paginator(directory_query(filters, viewer=request.user), 24).get_page(
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
    posts = Post.objects.filter(author_id=profile.user_id, status=Status.OPEN).order_by(
        "-created_at"
    )[:10]
    is_me = profile.user_id == request.user.pk
    return render(
        request,
        "members/detail.html",
        {"profile": profile, "posts": posts, "is_me": is_me, "nav": "me" if is_me else "members"},
    )


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
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
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
