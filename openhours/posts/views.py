from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from openhours.accounts.http import MemberRequest
from openhours.accounts.permissions import member_required
from openhours.core.errors import DomainError
from openhours.core.forms import add_domain_error

from . import services
from .forms import PostFilterForm, PostForm
from .models import Kind, Post
from .permissions import can_edit_post
from .selectors import BrowsePaginator, PostFilters, browse_posts, get_post_for_viewer

PAGE_SIZE = 20


@member_required
def post_list(request: MemberRequest) -> HttpResponse:
    form = PostFilterForm(request.GET or None)
    filters = PostFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = PostFilters(
            text=data["q"],
            kind=data["kind"],
            category=data["category"],
            skill_id=data["skill"].pk if data["skill"] else None,
            mode=data["mode"],
            place_id=data["place"].pk if data["place"] else None,
            organisation_kind=data["organisation_kind"],
        )
    page = BrowsePaginator(browse_posts(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    nav = {"request": "requests", "offer": "offers"}.get(request.GET.get("kind", ""), "")
    context = {"form": form, "page": page, "filters": filters, "nav": nav}
    if request.htmx:
        return render(request, "posts/_results.html", context)
    return render(request, "posts/list.html", context)


@member_required
def my_posts(request: MemberRequest) -> HttpResponse:
    posts = Post.objects.filter(author=request.user).order_by("status", "-created_at")
    page = Paginator(posts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "posts/mine.html", {"page": page, "nav": "me"})


@member_required
def post_detail(request: MemberRequest, post_id: int) -> HttpResponse:
    post = get_post_for_viewer(post_id, request.user)
    return render(
        request,
        "posts/detail.html",
        {"post": post, "can_edit": can_edit_post(request.user, post)},
    )


@member_required
def post_create(request: MemberRequest) -> HttpResponse:
    initial = {"kind": request.GET.get("kind") or Kind.REQUEST, "online": True, "mode": "any"}
    form = PostForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            post = services.create_post(author=request.user, details=form.details())
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"Your {post.get_kind_display().lower()} is live.")
            return redirect("posts:detail", post_id=post.pk)
    return render(
        request, "posts/form.html", {"form": form, "creating": True}, status=_status(form)
    )


@member_required
def post_edit(request: MemberRequest, post_id: int) -> HttpResponse:
    post = get_post_for_viewer(post_id, request.user)
    if not can_edit_post(request.user, post):
        raise PermissionDenied("Only the author or a coordinator can edit this post.")
    form = PostForm(request.POST or None, initial=PostForm.initial_for(post))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_post(actor=request.user, post=post, details=form.details())
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Your changes are saved.")
            return redirect("posts:detail", post_id=post.pk)
    return render(
        request,
        "posts/form.html",
        {"form": form, "post": post, "creating": False},
        status=_status(form),
    )


@member_required
@require_POST
def post_close(request: MemberRequest, post_id: int) -> HttpResponse:
    post = get_post_for_viewer(post_id, request.user)
    if not can_edit_post(request.user, post):
        raise PermissionDenied("Only the author or a coordinator can close this post.")
    try:
        services.close_post(actor=request.user, post=post)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Closed. It no longer shows in searches.")
    return redirect("posts:detail", post_id=post.pk)


@member_required
@require_POST
def post_renew(request: MemberRequest, post_id: int) -> HttpResponse:
    post = get_post_for_viewer(post_id, request.user)
    if not can_edit_post(request.user, post):
        raise PermissionDenied("Only the author or a coordinator can renew this post.")
    post = services.renew_post(actor=request.user, post=post)
    messages.success(request, f"Open again until {post.expires_at:%d %B %Y}.")
    return redirect("posts:detail", post_id=post.pk)


def _status(form: PostForm) -> int:
    return 400 if form.is_bound and form.errors else 200
