"""Reads of posts: browsing, search and the home page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import Post, Status
from .search import search_posts


@dataclass(frozen=True, kw_only=True)
class PostFilters:
    text: str = ""
    kind: str = ""
    category: str = ""
    skill_id: int | None = None
    mode: str = ""
    place_id: int | None = None
    organisation_kind: str = ""
    online_only: bool = False
    status: str = Status.OPEN


def browse_posts(filters: PostFilters) -> QuerySet[Post]:
    posts = Post.objects.select_related("author", "place").prefetch_related("skills")
    if filters.status:
        posts = posts.filter(status=filters.status)
    if filters.kind:
        posts = posts.filter(kind=filters.kind)
    if filters.category:
        posts = posts.filter(category=filters.category)
    if filters.skill_id:
        posts = posts.filter(skills__id=filters.skill_id)
    if filters.mode:
        posts = posts.filter(mode__in=[filters.mode, "any"])
    if filters.place_id:
        posts = posts.filter(place_id=filters.place_id)
    if filters.organisation_kind:
        posts = posts.filter(
            author__profile__organisations__kind=filters.organisation_kind
        ).distinct()
    if filters.online_only:
        posts = posts.filter(online=True)
    return search_posts(posts, filters.text).order_by("-created_at", "-pk")


def latest_open_posts(*, kind: str, limit: int) -> list[Post]:
    return list(
        Post.objects.filter(status=Status.OPEN, kind=kind)
        .select_related("author")
        .order_by("-created_at", "-pk")[:limit]
    )


def get_post_for_viewer(post_id: int, viewer: Any) -> Post:
    """The one way a view obtains a post. Closed posts stay visible to signed-in members."""
    return get_object_or_404(
        Post.objects.select_related("author", "author__profile", "place").prefetch_related(
            "skills"
        ),
        pk=post_id,
    )
