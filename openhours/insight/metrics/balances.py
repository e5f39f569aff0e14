"""Balance health (docs/insight.md, section 6), and every count of members on the page
(the headline figures' members, active members and "both given and received" too).

Read paths: sums of the refresh's ``MemberCount`` rows (per kind and place), with "active"
moved to the page's time; or one pass over ``MemberFact`` before a refresh has built them
or after the ledger's limits changed. Refresh step: ``refresh_member_counts``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Count, Q

from openhours.ledger import limits

from ..filters import Filters, member_q
from ..models import MemberCount, MemberFact
from ..privacy import Cell, primary, suppress_list
from ..sql import empty_table
from ..values import Bar, Dataset

ACTIVE_DAYS = 90


BUCKETS: list[tuple[str, int | None, int | None]] = [
    ("below \u22125 hours", None, -300),
    ("\u22125 to 0 hours", -300, 0),
    ("0 to 2 hours", 0, 120),
    ("2 to 5 hours", 120, 300),
    ("5 to 10 hours", 300, 600),
    ("10 to 20 hours", 600, 1200),
    ("20 hours or more", 1200, None),
]


def _bucket_q(low: int | None, high: int | None) -> Q:
    q = Q()
    if low is not None:
        q &= Q(balance__gte=low)
    if high is not None:
        q &= Q(balance__lt=high)
    return q


def near_lower_at() -> int:
    return limits.lower_limit() + limits.warning_margin()


def near_upper_at() -> int:
    return limits.upper_limit() - limits.warning_margin()


def member_count_expressions(now: datetime) -> dict[str, Count]:
    """Every count of members on the page, as aggregates over ``MemberFact`` (also what
    the refresh keeps per kind and place in ``MemberCount``)."""
    return {
        "members": Count("pk"),
        "active": Count("pk", filter=Q(last_active_at__gte=now - timedelta(days=ACTIVE_DAYS))),
        "both": Count("pk", filter=Q(given_count__gt=0, received_count__gt=0)),
        "either": Count("pk", filter=Q(given_count__gt=0) | Q(received_count__gt=0)),
        "only_give": Count("pk", filter=Q(given_count__gt=0, received_count=0)),
        "only_receive": Count("pk", filter=Q(given_count=0, received_count__gt=0)),
        "near_lower": Count("pk", filter=Q(balance__lte=near_lower_at())),
        "near_upper": Count("pk", filter=Q(balance__gte=near_upper_at())),
        **{
            f"b{i}": Count("pk", filter=_bucket_q(low, high))
            for i, (_, low, high) in enumerate(BUCKETS)
        },
    }


def member_figures(filters: Filters, now: datetime, *, summary: bool = False) -> dict[str, int]:
    """Every count of members on the page: sums of the refresh's ``MemberCount`` rows, or
    (before a refresh has built them, or after the ledger's limits changed) one pass over
    ``MemberFact``."""
    expressions = member_count_expressions(now)
    rows = list(MemberCount.objects.filter(member_q(filters))) if summary else []
    lower, upper = near_lower_at(), near_upper_at()
    if not summary or any(r.near_lower_at != lower or r.near_upper_at != upper for r in rows):
        return MemberFact.objects.filter(member_q(filters)).aggregate(**expressions)
    figures = {name: sum(getattr(r, name) for r in rows) for name in expressions}
    # "Active" was counted from the refresh's time: move its edge to now, counting the
    # members whose last exchange lies between the two edges (a few minutes' worth).
    edge = now - timedelta(days=ACTIVE_DAYS)
    for since in {r.active_since for r in rows}:
        if since == edge:
            continue
        between = MemberFact.objects.filter(
            member_q(filters),
            last_active_at__gte=min(since, edge),
            last_active_at__lt=max(since, edge),
        ).count()
        # Per refresh all rows share one edge; several would be a refresh in progress.
        figures["active"] += between if edge < since else -between
    return figures


def balance_figures(
    figures: dict[str, int], *, suppress: bool
) -> tuple[list[Bar], Dataset, Dataset]:
    margin = limits.warning_margin()
    cells = [Cell(figures[f"b{i}"], figures[f"b{i}"]) for i in range(len(BUCKETS))]
    total = Cell(figures["members"], figures["members"])
    suppress_list(cells, total, apply=suppress)
    bars = [Bar(label, cell) for (label, _, _), cell in zip(BUCKETS, cells, strict=True)]
    histogram = Dataset(
        "balances",
        "Members by balance",
        ["balance", "members"],
        [[label, cell] for (label, _, _), cell in zip(BUCKETS, cells, strict=True)]
        + [["All members", total]],
    )
    groups = [
        Cell(figures["only_give"], figures["only_give"]),
        Cell(figures["only_receive"], figures["only_receive"]),
        Cell(figures["near_lower"], figures["near_lower"]),
        Cell(figures["near_upper"], figures["near_upper"]),
    ]
    primary(groups, apply=suppress)
    health = Dataset(
        "balance_groups",
        "Members to nudge",
        ["group", "members"],
        [
            ["have only given, never received", groups[0]],
            ["have only received, never given", groups[1]],
            [f"within {margin // 60} hours of the lowest balance allowed", groups[2]],
            [f"within {margin // 60} hours of the most credit allowed", groups[3]],
        ],
    )
    return bars, histogram, health


def refresh_member_counts(now: datetime) -> None:
    """``MemberCount`` afresh: a few dozen rows, one per kind and place."""
    empty_table(MemberCount)
    counted = (
        MemberFact.objects.values_list("org_kind", "place_id")
        .annotate(**member_count_expressions(now))
        .order_by()
    )
    names = list(member_count_expressions(now))
    MemberCount.objects.bulk_create(
        MemberCount(
            org_kind=kind,
            place_id=place,
            active_since=now - timedelta(days=ACTIVE_DAYS),
            near_lower_at=near_lower_at(),
            near_upper_at=near_upper_at(),
            **dict(zip(names, figures, strict=True)),
        )
        for kind, place, *figures in counted
    )
