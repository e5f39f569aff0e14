"""Reads of posts: browsing, search, the home page and profiles."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from openhours.accounts.models import User
from openhours.accounts.permissions import Viewer
from openhours.core.pagination import CappedPaginator
from openhours.core.querysets import filter_each_set

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


BROWSE_ORDER = ("-created_at", "-pk")


def _for_the_list() -> QuerySet[Post]:
    return Post.objects.select_related("author", "place").prefetch_related("skills")


def browse_posts(filters: PostFilters) -> QuerySet[Post]:
    posts = filter_each_set(
        _for_the_list(),
        status=filters.status,
        kind=filters.kind,
        category=filters.category,
        skills__id=filters.skill_id,
        mode__in=[filters.mode, "any"] if filters.mode else None,
        place_id=filters.place_id,
    )
    if filters.organisation_kind:
        posts = posts.filter(
            author__profile__organisations__kind=filters.organisation_kind
        ).distinct()
    if filters.online_only:
        posts = posts.filter(online=True)
    return search_posts(posts, filters.text).order_by(*BROWSE_ORDER)


# The browse page counts matches up to this many and says "more than" beyond it.
BROWSE_COUNT_LIMIT = 1000


class BrowsePaginator(CappedPaginator[Post]):
    """Pages of ``browse_posts`` that count no further than ``BROWSE_COUNT_LIMIT``
    (``core.pagination``).

    The capped read of ids comes from each engine's index (FTS5 rowids, PostgreSQL's GIN
    bitmap) without touching the rest. Over the limit a page walks
    ``posts_status_created`` newest first, meeting a match every few rows; within it, a
    page is those ids in browse order however old they are. Pages run to the limit (50
    of 20); past that, more words or a filter are the way on.
    """

    def __init__(self, posts: QuerySet[Post], per_page: int, *, limit: int | None = None):
        super().__init__(
            posts,
            per_page,
            limit=BROWSE_COUNT_LIMIT if limit is None else limit,
            in_order=lambda ids: _for_the_list().filter(pk__in=ids).order_by(*BROWSE_ORDER),
        )


def latest_open_posts(*, kind: str, limit: int) -> list[Post]:
    return list(
        Post.objects.filter(status=Status.OPEN, kind=kind)
        .select_related("author")
        .order_by("-created_at", "-pk")[:limit]
    )


def open_posts_by(author: User, *, limit: int) -> list[Post]:
    """An author's open posts, newest first: the profile page's list (``{% profile_posts %}``)."""
    return list(
        Post.objects.filter(author_id=author.pk, status=Status.OPEN)
        .select_related("author")
        .order_by("-created_at")[:limit]
    )


def get_post_for_viewer(post_id: int, viewer: Viewer) -> Post:
    """The one way a view obtains a post. Closed posts stay visible to signed-in members."""
    return get_object_or_404(
        Post.objects.select_related("author", "author__profile", "place").prefetch_related(
            "skills"
        ),
        pk=post_id,
    )
