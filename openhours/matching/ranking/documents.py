"""The words matching ranks by, built from profiles, posts and exchanges, and kept in step.

`sync_members_and_requests(member_ids, request_ids)` is the one writer of
`MemberDocument` and `RequestDocument`: it rebuilds the fields of the members and requests
given, and embeds those whose words changed when semantic matching is on. Running it
twice changes nothing the second time (the digest says so). The index builder gives it
what the change log names (`changes.py`); `sync_documents(since=...)` gives it everyone
whose sources changed after `since`, or everyone, for `rebuild_matching_index`.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone

from openhours.accounts.models import User, approved_member_q
from openhours.exchanges.models import Exchange, State
from openhours.matching.models import MemberDocument, RequestDocument
from openhours.matching.ranking import semantic
from openhours.members.models import Profile
from openhours.posts.models import Kind, Post, Status

# Offers and exchange titles beyond these many (newest first) add little and slow
# embedding; a member with 40 offers is still described by their newest 12.
MAX_ITEMS = 12
BATCH = 500

Fields = dict[str, str]


@dataclass
class SyncReport:
    members: int = 0
    requests: int = 0
    removed_requests: int = 0
    embedded: int = 0
    changed_members: list[int] = field(default_factory=list)
    changed_requests: list[int] = field(default_factory=list)
    # Everyone whose sources were looked at, changed in the database or not: a running
    # index compares their stored digests with its own (another process may have stored
    # the new document already).
    examined_members: list[int] = field(default_factory=list)
    examined_requests: list[int] = field(default_factory=list)


def member_items(own: list[str], titles: list[str]) -> list[str]:
    """What a member's embedding averages: each of their skills, their job title and
    profession (`own`), then the title of each offer and exchange given.

    Short texts on purpose: a skill or a title says what the help is, the same few
    thousand come back across members (so each is embedded once per sync, not once per
    member), and every word still counts in the lexical ranker (docs/matching.md).
    """
    return [text for text in [*own, *titles] if text.strip()]


def request_fields(post: Post, skill_names: Iterable[str]) -> Fields:
    skills = ", ".join(skill_names)
    body = post.description + (f"\nSkills: {skills}" if skills else "")
    return {"title": post.title, "body": body}


def request_items(fields: Fields) -> list[str]:
    """What a request's embedding is made from: its title (see `member_items`)."""
    return [fields.get("title", "").strip() or fields.get("body", "").strip()]


def digest(fields: Fields, items: list[str]) -> str:
    payload = json.dumps([fields, items, semantic.model_label(), semantic.STORAGE], sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def _chunks(ids: list[int], size: int = BATCH) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _member_sources(ids: list[int]) -> dict[int, tuple[Fields, list[str]]]:
    """Fields and embedding items of each member in `ids` who has a profile."""
    profiles = (
        Profile.objects.filter(approved_member_q("user__"), user_id__in=ids)
        .select_related("profession")
        .prefetch_related("skills")
        .only("user_id", "job_title", "can_help_with", "bio", "profession__name")
    )
    offers: dict[int, list[str]] = defaultdict(list)
    titles: dict[int, list[str]] = defaultdict(list)
    for author_id, title, description in (
        Post.objects.filter(author_id__in=ids, kind=Kind.OFFER)
        .exclude(status=Status.EXPIRED)
        .order_by("author_id", "-created_at")
        .values_list("author_id", "title", "description")
    ):
        if len(offers[author_id]) < MAX_ITEMS:
            offers[author_id].append(f"{title}. {description}")
            titles[author_id].append(title)
    given: dict[int, list[str]] = defaultdict(list)
    for giver_id, title in (
        Exchange.objects.filter(giver_id__in=ids, state=State.CONFIRMED)
        .order_by("giver_id", "-confirmed_at")
        .values_list("giver_id", "title")
    ):
        if len(given[giver_id]) < MAX_ITEMS:
            given[giver_id].append(title)
    sources: dict[int, tuple[Fields, list[str]]] = {}
    for profile in profiles:
        skill_names = sorted(skill.name for skill in profile.skills.all())
        profession = profile.profession.name if profile.profession else ""
        own = [*skill_names, profile.job_title, profession]
        fields = {
            "skills": ". ".join(
                p for p in (", ".join(skill_names), profile.job_title, profession) if p
            ),
            "about": "\n".join(p for p in (profile.can_help_with, profile.bio) if p),
            "offers": "\n".join(offers[profile.user_id] + given[profile.user_id]),
        }
        sources[profile.user_id] = (
            fields,
            member_items(own, titles[profile.user_id] + given[profile.user_id]),
        )
    return sources


def _changed_member_ids(since: datetime | None) -> list[int]:
    eligible = User.objects.approved_members().filter(profile__isnull=False)
    if since is None:
        return list(eligible.order_by("pk").values_list("pk", flat=True))
    ids = set(
        eligible.filter(
            Q(profile__updated_at__gt=since) | Q(matching_document__isnull=True)
        ).values_list("pk", flat=True)
    )
    ids |= set(
        Post.objects.filter(kind=Kind.OFFER, updated_at__gt=since).values_list(
            "author_id", flat=True
        )
    )
    ids |= set(
        Exchange.objects.filter(state=State.CONFIRMED, confirmed_at__gt=since).values_list(
            "giver_id", flat=True
        )
    )
    return sorted(ids)


def _changed_request_ids(since: datetime | None) -> list[int]:
    requests = Post.objects.filter(kind=Kind.REQUEST)
    if since is None:
        return list(requests.filter(status=Status.OPEN).order_by("pk").values_list("pk", flat=True))
    return list(
        requests.filter(
            Q(updated_at__gt=since) | Q(status=Status.OPEN, matching_document__isnull=True)
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _save(
    model: type[MemberDocument] | type[RequestDocument],
    key_field: str,
    sources: dict[int, tuple[Fields, list[str]]],
    report: SyncReport,
    known: dict[str, Any],
) -> list[int]:
    """Store the documents whose digest changed, embedding them; return their keys."""
    existing = dict(
        model.objects.filter(**{f"{key_field}__in": list(sources)}).values_list(key_field, "digest")
    )
    changed = {
        key: (fields, items, digest(fields, items))
        for key, (fields, items) in sources.items()
        if existing.get(key) != digest(fields, items)
    }
    if not changed:
        return []
    vectors: dict[int, bytes | None] = dict.fromkeys(changed)
    if semantic.enabled():
        keys = list(changed)
        report.embedded += len({t for key in keys for t in changed[key][1]} - known.keys())
        embedded = semantic.embed_documents([changed[key][1] for key in keys], known)
        vectors = {
            key: semantic.to_bytes(vector) for key, vector in zip(keys, embedded, strict=True)
        }
    now = timezone.now()
    rows: list[Any] = [
        model(
            **{f"{key_field}": key},
            fields=fields,
            digest=text_digest,
            embedding=vectors[key],
            updated_at=now,
        )
        for key, (fields, _items, text_digest) in changed.items()
    ]
    model.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=[key_field],
        update_fields=["fields", "digest", "embedding", "updated_at"],
    )
    return list(changed)


def sync_documents(
    *, since: datetime | None = None, progress: Callable[[int, int], None] | None = None
) -> SyncReport:
    """Bring stored documents up to date with what changed after `since` (or everything).

    Looking by time reads the sources of every member (`_changed_member_ids`): for
    `rebuild_matching_index` only. A running index builder takes the change log instead
    (`sync_members_and_requests`, fed by `changes.py`).
    Returns what changed, so a running index can take exactly those documents.
    """
    report = sync_members_and_requests(
        _changed_member_ids(since), _changed_request_ids(since), progress=progress
    )
    if since is None:
        # A full sync also drops documents of members who left and requests that closed.
        MemberDocument.objects.exclude(approved_member_q("member__")).delete()
        RequestDocument.objects.exclude(post__status=Status.OPEN).delete()
    return report


def missing_member_ids() -> list[int]:
    """Approved members with a profile and no document (an anti-join over every member:
    read once when a builder starts, never on each look for changes)."""
    return list(
        User.objects.approved_members()
        .filter(profile__isnull=False, matching_document__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def missing_request_ids() -> list[int]:
    """Open requests with no document (read once when a builder starts)."""
    return list(
        Post.objects.filter(kind=Kind.REQUEST, status=Status.OPEN, matching_document__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def sync_members_and_requests(
    members: Iterable[int],
    requests: Iterable[int],
    *,
    progress: Callable[[int, int], None] | None = None,
) -> SyncReport:
    """Bring the documents of these members and requests up to date: rebuilt and stored
    where their sources changed, deleted where they may no longer be matched."""
    report = SyncReport()
    known: dict[str, Any] = {}  # text -> embedding, so a text repeated is embedded once
    member_ids = sorted(set(members))
    request_ids = sorted(set(requests))
    report.examined_members = member_ids
    report.examined_requests = request_ids
    total = len(member_ids) + len(request_ids)
    done = 0
    for chunk in _chunks(member_ids):
        sources = _member_sources(chunk)
        report.changed_members += _save(MemberDocument, "member_id", sources, report, known)
        gone = set(chunk) - set(sources)
        if gone:
            MemberDocument.objects.filter(member_id__in=gone).delete()
            report.changed_members += sorted(gone)
        done += len(chunk)
        if progress:
            progress(done, total)
    for chunk in _chunks(request_ids):
        posts = list(
            Post.objects.filter(pk__in=chunk)
            .prefetch_related("skills")
            .only("pk", "title", "description", "status", "kind")
        )
        open_posts = {post.pk: post for post in posts if post.status == Status.OPEN}
        sources = {
            pk: (fields, request_items(fields))
            for pk, post in open_posts.items()
            for fields in [request_fields(post, sorted(s.name for s in post.skills.all()))]
        }
        report.changed_requests += _save(RequestDocument, "post_id", sources, report, known)
        closed = set(chunk) - set(open_posts)
        if closed:
            report.removed_requests += RequestDocument.objects.filter(post_id__in=closed).delete()[
                0
            ]
            report.changed_requests += sorted(closed)
        done += len(chunk)
        if progress:
            progress(done, total)
    report.members = len(set(report.changed_members))
    report.requests = len(set(report.changed_requests))
    return report
