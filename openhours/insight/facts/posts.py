"""Request and offer facts (``RequestFact``): one row per post, with its author's kind of
organisation and place, its skills, its first response and whether it was fulfilled.

Refresh step only (``refresh_posts``); read by the headline request figures, skills
requested against offered, and stale requests. ``posts_and_authors`` is the one counting
rule for posts and their distinct authors per key, used by the refresh of ``SkillMonth``
and ``StaleRequest``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from django.db.models import Max, Min, Q

from openhours.exchanges.models import Exchange, State
from openhours.posts.models import Post

from ..models import MemberFact, RefreshState, RequestFact
from ..sql import empty_table, in_chunks


def refresh_posts(
    *, since: datetime | None, state: RefreshState, exchange_posts: set[int], moved: set[int]
) -> tuple[int, set[date] | None]:
    """Re-derive ``RequestFact``; return how many posts were written and the months whose
    facts changed, for ``skills.rebuild_skill_months`` (None: all of them)."""
    ids = _changed_posts(since, state, exchange_posts, moved) if since is not None else None
    months: set[date] = set()
    if ids is None:
        empty_table(RequestFact)
        chunks: list[Sequence[int] | None] = [None]
    else:
        for some in in_chunks(ids):
            old = RequestFact.objects.filter(post_id__in=some)
            months.update(old.values_list("month", flat=True))
            old.delete()
        chunks = [list(c) for c in in_chunks(ids)]
    members = {
        m[0]: m[1:] for m in MemberFact.objects.values_list("user_id", "org_kind", "place_id")
    }
    count = sum(_write_facts(wanted, members, months) for wanted in chunks)
    last = Post.objects.aggregate(last=Max("pk"))["last"]
    state.last_post_id = last or 0
    return count, None if ids is None else months


def _changed_posts(
    since: datetime, state: RefreshState, exchange_posts: set[int], moved: set[int]
) -> list[int]:
    """Posts created, updated or closed since the watermark, answered by a changed
    exchange, or written by a member who moved."""
    posts = Post.objects.all()
    changed = set(
        posts.filter(
            Q(pk__gt=state.last_post_id) | Q(updated_at__gte=since) | Q(closed_at__gte=since)
        )
        .values_list("pk", flat=True)
        .order_by()
    )
    changed |= exchange_posts
    for chunk in in_chunks(sorted(moved)):
        changed.update(posts.filter(author_id__in=chunk).values_list("pk", flat=True).order_by())
    return sorted(changed)


def _write_facts(
    wanted: Sequence[int] | None, members: dict[int, tuple[Any, ...]], months: set[date]
) -> int:
    """Insert the facts of these posts (all when None), adding their months to ``months``;
    return how many were written."""
    posts = Post.objects.all()
    selected = posts if wanted is None else posts.filter(pk__in=wanted)
    answers = Exchange.objects.filter(post__isnull=False)
    if wanted is not None:
        answers = answers.filter(post_id__in=wanted)
    first = dict(answers.values_list("post_id").annotate(first=Min("created_at")).order_by())
    fulfilled = set(
        answers.filter(state=State.CONFIRMED).values_list("post_id", flat=True).order_by()
    )
    skills: dict[int, list[int]] = defaultdict(list)
    through = Post.skills.through.objects.all()
    if wanted is not None:
        through = through.filter(post_id__in=wanted)
    for post_id, skill_id in through.values_list("post_id", "skill_id").order_by("skill_id"):
        skills[post_id].append(skill_id)
    count = 0
    batch: list[RequestFact] = []
    for pk, author, kind, created, status, place in selected.values_list(
        "pk", "author_id", "kind", "created_at", "status", "place_id"
    ).order_by():
        author_kind, author_place = members.get(author, ("", 0))
        month = created.astimezone(UTC).date().replace(day=1)
        months.add(month)
        batch.append(
            RequestFact(
                post_id=pk,
                author_id=author,
                kind=kind,
                created_at=created,
                month=month,
                status=status,
                org_kind=author_kind,
                place_id=place or author_place,
                first_response_at=first.get(pk),
                response_minutes=_minutes_between(created, first.get(pk)),
                fulfilled=pk in fulfilled,
                skill_ids=",".join(map(str, skills.get(pk, []))),
            )
        )
        if len(batch) >= 5000:
            RequestFact.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    RequestFact.objects.bulk_create(batch)
    return count + len(batch)


def posts_and_authors(
    keyed: Iterable[tuple[Hashable, int]],
) -> tuple[dict[Any, int], dict[Any, set[int]]]:
    """Per key, how many posts came with it and their distinct authors, from (key,
    author) for each post and key it counts under."""
    posts: dict[Any, int] = defaultdict(int)
    authors: dict[Any, set[int]] = defaultdict(set)
    for key, author in keyed:
        posts[key] += 1
        authors[key].add(author)
    return posts, authors


def _minutes_between(start: datetime, end: datetime | None) -> int | None:
    return None if end is None else max(0, int((end - start).total_seconds() // 60))
