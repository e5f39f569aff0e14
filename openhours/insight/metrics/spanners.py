"""Boundary spanners (docs/insight.md, section 4): betweenness of organisations in the
period, and of members over the last year (coordinators only, named unless they opted out).

Organisations: read from the refresh's ``OrgBetweenness`` for a standard window without
filters, else computed from the period's pairs the same way; refresh step
``refresh_org_betweenness``. Members: computed by the refresh alone
(``refresh_member_spanners``, ``SpannerScore``); names are read afresh on every request.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from openhours.accounts.models import User

from .. import network
from ..filters import Filters, window_of
from ..models import (
    ExchangeFact,
    NamingPreference,
    OrgBetweenness,
    OrgFlowWindow,
    SpannerScore,
)
from ..names import UNKNOWN, Names
from ..sql import empty_table
from ..values import TOP, Dataset
from .pairs import OrgPairs

# Betweenness is exact up to this many members in the network, else sampled (docs/insight.md).
EXACT_BETWEENNESS_UP_TO = 3000


SAMPLED_SOURCES = 64


SPANNER_WINDOW_DAYS = 365


def organisation_edges(pairs: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The network of organisations from pairs (giver, receiver), for
    ``network.betweenness``: sorted, so the scores (and the order of ties) don't depend on
    the order rows arrive in."""
    return sorted((g, r) for g, r in pairs if g and r and g != r)


def org_betweenness(
    pairs: OrgPairs, names: Names, filters: Filters, windows_month: date | None
) -> list[tuple[str, float]]:
    window = window_of(filters, windows_month)
    if window is not None and not (filters.place or filters.org_kind):
        # Computed by the refresh from the same pairs, the same way (``OrgBetweenness``).
        scores = dict(
            OrgBetweenness.objects.filter(first_month=window[0], last_month=window[1]).values_list(
                "organisation_id", "score"
            )
        )
    else:
        edges = organisation_edges(zip(pairs.giver_org, pairs.receiver_org, strict=True))
        scores, _exact = network.betweenness(edges)
    # Ties are ranked by organisation id, ignoring floating-point noise.
    top = sorted(scores.items(), key=lambda kv: (-round(kv[1], 12), kv[0]))[:TOP]
    names.preload_organisations(pk for pk, _ in top)
    return [(names.organisation(pk), score) for pk, score in top if score > 0]


def spanner_members_dataset() -> Dataset:
    """The members with the highest betweenness, named unless they opted out (coordinators
    only; read afresh on every request)."""
    spanners = _member_spanners()
    return Dataset(
        "spanner_members",
        "Members who connect otherwise separate groups (betweenness, last 12 months)",
        ["member", "betweenness", "other organisations exchanged with"],
        [[label, f"{score:.3f}", reached] for label, score, reached in spanners],
        note="Members who asked not to be named are listed without their name.",
    )


def _member_spanners() -> list[tuple[str, float, int]]:
    top = list(SpannerScore.objects.order_by("-betweenness", "user_id")[:TOP])
    ids = [s.user_id for s in top]
    users = dict(User.objects.filter(pk__in=ids).values_list("pk", "full_name"))
    hidden = set(
        NamingPreference.objects.filter(user_id__in=ids, may_be_named=False).values_list(
            "user_id", flat=True
        )
    )
    return [
        (
            "A member who asked not to be named"
            if s.user_id in hidden
            else users.get(s.user_id, UNKNOWN),
            s.betweenness,
            s.organisations_reached,
        )
        for s in top
    ]


def refresh_member_spanners(now: datetime) -> bool:
    """Betweenness of every member on the last year's exchange network; True when exact."""
    pairs = (
        ExchangeFact.objects.filter(confirmed_at__gte=now - timedelta(days=SPANNER_WINDOW_DAYS))
        .values_list("giver_id", "receiver_id", "giver_org", "receiver_org")
        .distinct()
        .order_by()
    )
    edges: list[tuple[int, int]] = []
    reached: dict[int, set[int]] = defaultdict(set)
    for giver, receiver, giver_org, receiver_org in pairs.iterator(chunk_size=20000):
        edges.append((giver, receiver))
        if receiver_org and receiver_org != giver_org:
            reached[giver].add(receiver_org)
        if giver_org and giver_org != receiver_org:
            reached[receiver].add(giver_org)
    scores, exact = network.betweenness(
        edges, exact_up_to=EXACT_BETWEENNESS_UP_TO, samples=SAMPLED_SOURCES, seed=0
    )
    empty_table(SpannerScore)
    SpannerScore.objects.bulk_create(
        (
            SpannerScore(user_id=pk, betweenness=score, organisations_reached=len(reached[pk]))
            for pk, score in scores.items()
            if score > 0
        ),
        batch_size=2000,
    )
    return exact


def spanner_org_figures(
    pairs: OrgPairs, names: Names, filters: Filters, windows_month: date | None
) -> tuple[list[tuple[str, float]], Dataset]:
    scores = org_betweenness(pairs, names, filters, windows_month)
    return scores, Dataset(
        "spanner_orgs",
        "Organisations that connect others (betweenness)",
        ["organisation", "betweenness"],
        [[label, f"{score:.3f}"] for label, score in scores],
    )


def refresh_org_betweenness(wanted: list[tuple[date, date]], *, afresh: bool) -> None:
    """``OrgBetweenness`` for the windows in ``wanted``, from their ``OrgFlowWindow`` pairs
    (which ``pairs.refresh_windows`` has just written)."""
    if afresh:
        empty_table(OrgBetweenness)
    else:
        for first, last in wanted:
            OrgBetweenness.objects.filter(first_month=first, last_month=last).delete()
    for first, last in wanted:
        pairs = OrgFlowWindow.objects.filter(first_month=first, last_month=last).values_list(
            "giver_org", "receiver_org"
        )
        scores, _exact = network.betweenness(organisation_edges(pairs))
        OrgBetweenness.objects.bulk_create(
            OrgBetweenness(first_month=first, last_month=last, organisation_id=pk, score=score)
            for pk, score in scores.items()
        )
