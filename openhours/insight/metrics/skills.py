"""Skills requested against offered (docs/insight.md, section 5): per skill, the requests
and offers created in the period that name it.

Read paths: the refresh's ``SkillWindow`` for a standard window, else grouped from
``SkillMonth``. Refresh steps: ``rebuild_skill_months`` (``SkillMonth``, for the months whose
posts changed) and ``refresh_skill_windows``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.db.models import Max, Q, Sum

from openhours.members.models import Skill

from .. import windows
from ..facts.posts import posts_and_authors
from ..filters import Filters, member_q, window_of
from ..models import RequestFact, SkillMonth, SkillWindow, split_ids
from ..names import UNKNOWN, Names
from ..privacy import Cell, primary
from ..sql import empty_table, fetch_rows, sum_over_windows
from ..values import Bar, Dataset


def _skill_q(filters: Filters) -> Q:
    return Q(month__gte=filters.first_month, month__lte=filters.last_month) & member_q(filters)


def skill_figures(
    filters: Filters, names: Names, *, suppress: bool, windows_month: date | None
) -> tuple[list[Bar], Dataset]:
    window = window_of(filters, windows_month)
    if window is not None:
        # Summed by the refresh (``SkillWindow``): nothing to group.
        kept = SkillWindow.objects.filter(
            member_q(filters), first_month=window[0], last_month=window[1]
        )
        rows = fetch_rows(
            kept.values_list("skill_id", "kind", "org_kind", "place_id", "posts", "people")
        )
    else:
        rows = fetch_rows(
            SkillMonth.objects.filter(_skill_q(filters))
            .values_list("skill_id", "kind", "org_kind", "place_id")
            .annotate(posts=Sum("posts"), people=Max("people"))
            .order_by()
        )
    posts: dict[tuple[int, str], int] = defaultdict(int)
    people: dict[tuple[int, str], int] = defaultdict(int)
    for skill, kind, _org_kind, _place, n, authors in rows:
        posts[(skill, kind)] += n
        # Authors in different kinds of organisation or places are different people.
        people[(skill, kind)] += authors
    skill_ids = {skill for skill, _ in posts}
    skill_names = dict(Skill.objects.filter(pk__in=skill_ids).values_list("pk", "name"))
    ranked = sorted(skill_ids, key=lambda s: (-posts[(s, "request")], -posts[(s, "offer")]))
    bars: list[Bar] = []
    table: list[list[Any]] = []
    for skill in ranked:
        requested = Cell(posts[(skill, "request")], people[(skill, "request")])
        offered = Cell(posts[(skill, "offer")], people[(skill, "offer")])
        primary([requested, offered], apply=suppress)
        label = skill_names.get(skill, UNKNOWN)
        gap: Any = (
            requested.value - offered.value
            if not (requested.suppressed or offered.suppressed)
            else Cell(0, 0, suppressed=True)
        )
        table.append([label, requested, offered, gap])
        if len(bars) < 12 and requested.value:
            bars.append(Bar(label, requested, offered))
    dataset = Dataset(
        "skills",
        "Skills most requested against most offered (posts naming the skill)",
        ["skill", "requests", "offers", "requests minus offers"],
        table,
    )
    return bars, dataset


def rebuild_skill_months(months: set[date] | None) -> None:
    if months is not None and not months:
        return
    facts = RequestFact.objects.all()
    if months is None:
        empty_table(SkillMonth)
    else:
        SkillMonth.objects.filter(month__in=sorted(months)).delete()
        facts = facts.filter(month__in=sorted(months))
    posts, authors = posts_and_authors(
        ((month, skill, kind, org_kind, place), author)
        for month, kind, org_kind, place, author, skill_ids in facts.values_list(
            "month", "kind", "org_kind", "place_id", "author_id", "skill_ids"
        ).iterator(chunk_size=5000)
        for skill in split_ids(skill_ids)
    )
    SkillMonth.objects.bulk_create(
        (
            SkillMonth(
                month=k[0],
                skill_id=k[1],
                kind=k[2],
                org_kind=k[3],
                place_id=k[4],
                posts=n,
                people=len(authors[k]),
            )
            for k, n in posts.items()
        ),
        batch_size=2000,
    )


def refresh_skill_windows(month: date, months: set[date] | None) -> None:
    """``SkillWindow`` for the windows ending with ``month``: all of them (None), or those
    holding a month whose ``SkillMonth`` rows changed."""
    wanted = windows.current(month)
    if months is None:
        empty_table(SkillWindow)
    else:
        wanted = [(a, b) for a, b in wanted if any(a <= m <= b for m in months)]
        for first, last in wanted:
            SkillWindow.objects.filter(first_month=first, last_month=last).delete()
    sum_over_windows(
        wanted,
        SkillMonth,
        SkillWindow,
        keys=["skill_id", "kind", "org_kind", "place_id"],
        totals={"posts": "SUM", "people": "MAX"},
    )
