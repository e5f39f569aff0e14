"""Reads of posts: browsing, search, the home page and profiles."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property

from openhours.accounts.models import User
from openhours.accounts.permissions import Viewer
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


class BrowsePaginator(Paginator[Post]):
    """Pages of ``browse_posts`` that count no further than ``BROWSE_COUNT_LIMIT``.

    It first reads the ids of up to limit + 1 matching posts in no particular order, which
    each engine does from its index (FTS5 rowids, PostgreSQL's GIN bitmap) without
    touching the rest. Over the limit, ``more_than_counted`` is set (the list says "more
    than 1,000 posts") and a page walks ``posts_status_created`` newest first, meeting a
    match every few rows. Within it, a page is those ids (which already passed every
    filter) in browse order: primary-key lookups and a sort of at most 1,000 rows,
    however old they are. Pages run to the limit (50 of 20); past that,
    more words or a filter are the way on.
    """

    def __init__(self, posts: QuerySet[Post], per_page: int, *, limit: int | None = None):
        super().__init__(posts, per_page)
        self.posts = posts
        self.limit = BROWSE_COUNT_LIMIT if limit is None else limit

    @cached_property
    def _matching_ids(self) -> list[int]:
        unordered = self.posts.select_related(None).prefetch_related(None).order_by()
        return list(unordered.values_list("pk", flat=True)[: self.limit + 1])

    @cached_property
    def count(self) -> int:
        return min(len(self._matching_ids), self.limit)

    @property
    def more_than_counted(self) -> bool:
        return len(self._matching_ids) > self.limit

    def page(self, number: int | str) -> Page[Post]:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        posts = self.posts
        if not self.more_than_counted:
            posts = _for_the_list().filter(pk__in=self._matching_ids).order_by(*BROWSE_ORDER)
        return Page(posts[bottom:top], number, self)


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
