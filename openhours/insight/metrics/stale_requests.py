"""Requests open longer than 14 days (docs/insight.md, section 5), by skill and by the
author's kind of organisation.

Read paths: the refresh's ``StaleRequest`` counts plus the requests that crossed the 14-day
edge since; or every open request when there is no such count or the page's time is
earlier than the refresh's. Refresh step: ``refresh_stale_requests``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from django.db.models import Q

from openhours.members.models import Skill

from ..facts.posts import posts_and_authors
from ..filters import Filters
from ..models import RefreshState, RequestFact, StaleRequest, split_ids
from ..names import UNKNOWN, Names, kind_label
from ..privacy import MIN_PEOPLE, Cell, primary, suppress_list
from ..sql import as_columns, empty_table, fetch_rows
from ..values import Dataset

STALE_REQUEST_DAYS = 14


def stale_q(edge: datetime) -> Q:
    """Requests still open and unanswered, created before ``edge``."""
    return Q(kind="request", status="open", fulfilled=False, created_at__lt=edge)


def _skill_counts(
    authors: Sequence[int], skill_ids: Sequence[str]
) -> tuple[dict[int, int], dict[int, int]]:
    """Per skill named in ``skill_ids`` (comma-separated, one text per request): how many
    requests name it and how many distinct authors, in the order skills first appear."""
    per_request = [text.count(",") + 1 if text else 0 for text in skill_ids]
    joined = ",".join(text for text in skill_ids if text)
    if not joined:
        return {}, {}
    skills = np.array(joined.split(","), np.int64)
    by = np.repeat(np.array(authors, np.int64), per_request)
    unique, first, counts = np.unique(skills, return_index=True, return_counts=True)
    span = int(by.max()) + 1
    pairs = np.unique(skills * span + by)
    people = dict(zip(*np.unique(pairs // span, return_counts=True), strict=True))
    order = np.argsort(first, kind="stable")
    return (
        {int(unique[i]): int(counts[i]) for i in order},
        {int(unique[i]): int(people[unique[i]]) for i in order},
    )


class _Authors:
    """Distinct authors of some requests, as far as "fewer than 5" needs them: exact below
    5, and at least 5 otherwise."""

    def __init__(self) -> None:
        self.ids: set[int] = set()
        self.many = 0  # a part with this many (5 or more) authors, not listed

    def add_kept(self, authors: int, author_ids: str) -> None:
        if authors >= MIN_PEOPLE:
            self.many = max(self.many, authors)
        else:
            self.ids.update(split_ids(author_ids))

    @property
    def count(self) -> int:
        return max(self.many, len(self.ids))


StaleCounts = tuple[dict[str, int], dict[str, int], int, dict[int, int], dict[int, int]]


class _Stale:
    """Open requests counted per author's kind and per skill, with their authors."""

    def __init__(self) -> None:
        self.by_kind: dict[str, int] = defaultdict(int)
        self.by_skill: dict[int, int] = defaultdict(int)
        self.kind_authors: dict[str, _Authors] = defaultdict(_Authors)
        self.skill_authors: dict[int, _Authors] = defaultdict(_Authors)
        self.all_authors = _Authors()

    def add_kept(self, rows: list[tuple[Any, ...]]) -> None:
        """``StaleRequest`` rows: per kind (skill 0) or per skill."""
        by_kind, by_skill, kind_authors, skill_authors = (
            self.by_kind,
            self.by_skill,
            self.kind_authors,
            self.skill_authors,
        )
        for org_kind, skill, n, authors, author_ids in rows:
            if skill:
                by_skill[skill] += n
                skill_authors[skill].add_kept(authors, author_ids)
            else:
                by_kind[org_kind] += n
                kind_authors[org_kind].add_kept(authors, author_ids)
                self.all_authors.add_kept(authors, author_ids)

    def add_every(self, rows: list[tuple[Any, ...]]) -> None:
        """Every open request, thousands of them: counted with C loops (Counter, set, numpy)
        rather than a Python loop per request; every count of authors is exact."""
        authors, org_kinds, skill_ids = as_columns(rows, 3)
        for kind, n in Counter(org_kinds).items():
            self.by_kind[kind] += n
        for kind, author in set(zip(org_kinds, authors, strict=True)):
            self.kind_authors[kind].ids.add(author)
        self.all_authors.ids.update(authors)
        counts, people = _skill_counts(authors, skill_ids)
        for skill, n in counts.items():
            self.by_skill[skill] += n
            self.skill_authors[skill].many = people[skill]

    def add_recent(self, rows: list[tuple[Any, ...]]) -> None:
        """The few requests that crossed the edge since the refresh, one by one."""
        by_kind, by_skill, kind_authors, skill_authors = (
            self.by_kind,
            self.by_skill,
            self.kind_authors,
            self.skill_authors,
        )
        for author, kind, skill_ids in rows:
            by_kind[kind] += 1
            kind_authors[kind].ids.add(author)
            self.all_authors.ids.add(author)
            for skill in split_ids(skill_ids):
                by_skill[skill] += 1
                skill_authors[skill].ids.add(author)

    def counts(self) -> StaleCounts:
        # Keys in order, so that equal counts are listed the same way however they were read.
        by_kind, by_skill = self.by_kind, self.by_skill
        return (
            {k: by_kind[k] for k in sorted(by_kind)},
            {k: self.kind_authors[k].count for k in sorted(by_kind)},
            self.all_authors.count,
            {s: by_skill[s] for s in sorted(by_skill)},
            {s: self.skill_authors[s].count for s in sorted(by_skill)},
        )


def _stale_counts(filters: Filters, now: datetime, state: RefreshState | None) -> StaleCounts:
    """Open requests older than 14 days: per author's kind and its distinct authors, all
    their authors, and per skill and its distinct authors (authors exact below 5, at least 5
    otherwise: only "fewer than 5" depends on them).

    From ``StaleRequest`` as the last refresh counted them plus the requests that crossed
    the 14-day edge since (a few minutes' worth); from every open request when there is no
    such count or the page's time is earlier than the refresh's.
    """
    edge = now - timedelta(days=STALE_REQUEST_DAYS)
    kept = state.stale_before if state is not None else None
    stale = _Stale()
    q = stale_q(edge)
    summarised = kept is not None and kept <= edge
    if summarised:
        summary = StaleRequest.objects.filter(place_id=filters.place)
        if filters.org_kind:
            summary = summary.filter(org_kind=filters.org_kind)
        stale.add_kept(
            fetch_rows(
                summary.values_list("org_kind", "skill_id", "requests", "authors", "author_ids")
            )
        )
        q &= Q(created_at__gte=kept)
    if filters.place:
        q &= Q(place_id=filters.place)
    if filters.org_kind:
        q &= Q(org_kind=filters.org_kind)
    rows = fetch_rows(
        RequestFact.objects.filter(q).values_list("author_id", "org_kind", "skill_ids")
    )
    if summarised:
        stale.add_recent(rows)
    else:
        stale.add_every(rows)
    return stale.counts()


def stale_requests(
    filters: Filters,
    names: Names,
    *,
    suppress: bool,
    now: datetime,
    state: RefreshState | None = None,
) -> tuple[Dataset, Dataset]:
    by_kind, kind_people, all_people, by_skill, skill_people = _stale_counts(filters, now, state)
    skill_names = dict(Skill.objects.filter(pk__in=by_skill).values_list("pk", "name"))
    skill_cells = {s: Cell(n, skill_people[s]) for s, n in by_skill.items()}
    primary(skill_cells.values(), apply=suppress)
    kind_cells = {k: Cell(n, kind_people[k]) for k, n in by_kind.items()}
    kind_total = Cell(sum(by_kind.values()), all_people)
    ordered_kinds = sorted(kind_cells.items(), key=lambda kv: -kv[1].value)
    suppress_list([c for _, c in ordered_kinds], kind_total, apply=suppress)
    ordered_kinds.sort(key=lambda kv: kv[1].suppressed)  # hidden last (see flows.hours_by)
    skills = Dataset(
        "stale_by_skill",
        f"Requests open longer than {STALE_REQUEST_DAYS} days, by skill",
        ["skill", "open requests"],
        [
            [skill_names.get(s, UNKNOWN), c]
            for s, c in sorted(skill_cells.items(), key=lambda kv: (kv[1].suppressed, -kv[1].value))
        ],
        note="A request naming several skills is counted under each.",
    )
    kinds = Dataset(
        "stale_by_kind",
        f"Requests open longer than {STALE_REQUEST_DAYS} days, "
        "by the author's kind of organisation",
        ["kind of organisation", "open requests"],
        [[kind_label(k), c] for k, c in ordered_kinds] + [["All", kind_total]],
    )
    return skills, kinds


def refresh_stale_requests(state: RefreshState, now: datetime) -> None:
    """``StaleRequest`` afresh from ``RequestFact`` (a few thousand open requests)."""
    empty_table(StaleRequest)
    edge = now - timedelta(days=STALE_REQUEST_DAYS)
    # Every place together (None) and the author's place; any skill (0) and each named.
    requests, authors = posts_and_authors(
        (key, author)
        for author, org_kind, place, skill_ids in (
            RequestFact.objects.filter(stale_q(edge))
            .values_list("author_id", "org_kind", "place_id", "skill_ids")
            .iterator(chunk_size=5000)
        )
        for skill in (0, *split_ids(skill_ids))
        for key in ((None, org_kind, skill), (place, org_kind, skill))
    )
    StaleRequest.objects.bulk_create(
        (
            StaleRequest(
                place_id=key[0],
                org_kind=key[1],
                skill_id=key[2],
                requests=n,
                authors=len(authors[key]),
                author_ids=(
                    ",".join(map(str, sorted(authors[key])))
                    if len(authors[key]) < MIN_PEOPLE
                    else ""
                ),
            )
            for key, n in requests.items()
        ),
        batch_size=2000,
    )
    state.stale_before = edge
