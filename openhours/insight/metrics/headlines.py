"""Headline figures (docs/insight.md, section 1): members, active members, exchanges, hours,
members who both gave and received, requests fulfilled, the median time to first response,
and notional value.

The request figures have two read paths: the refresh's ``RequestWindow`` (per first month
of a standard window and scope) when the range starts on one of its days and ends after
its newest request, else counted from ``RequestFact``; both use ``middle_index`` for the
median. Refresh step: ``refresh_request_windows``. The other figures come from the slices
that own them (``flows``, ``crossing``, ``balances``, ``value``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
from django.db.models import Count, Q, QuerySet

from openhours.organisations.models import OrganisationKind, Place

from .. import windows
from ..filters import Filters
from ..models import RequestFact, RequestWindow
from ..names import Names
from ..privacy import MIN_PEOPLE, SUPPRESSED_TEXT, Cell, share_hidden
from ..sql import empty_table
from ..values import Dataset, Headline, Pair, display
from .balances import ACTIVE_DAYS
from .flows import HoursTables
from .value import notional_value


def headline_figures(
    filters: Filters,
    exchanges: Cell,
    hours: HoursTables,
    prof_pairs: list[Pair],
    costs: dict[str, int | None],
    members: dict[str, int],
    *,
    suppress: bool,
    names: Names,
    summarised: bool,
) -> list[Headline]:

    def count(n: int) -> str:
        return SUPPRESSED_TEXT if suppress and 0 < n < MIN_PEOPLE else f"{n:,}"

    def share(part: int, whole: int) -> str:
        if not whole:
            return "\u2013"
        if share_hidden(part, whole, apply=suppress):
            return SUPPRESSED_TEXT
        return f"{100 * part / whole:.0f}%"

    requests = request_figures(filters, suppress=suppress, summarised=summarised)
    value, unvalued = notional_value(prof_pairs, names, costs)
    value_cell = hours.total
    return [
        Headline("Members", count(members["members"]), "approved, active accounts"),
        Headline(
            "Active members",
            count(members["active"]),
            f"gave or received in the last {ACTIVE_DAYS} days",
        ),
        Headline("Exchanges", display(exchanges), "confirmed in the period"),
        Headline("Hours exchanged", display(hours.total), "confirmed in the period"),
        Headline(
            "Members who have both given and received",
            share(members["both"], members["either"]),
            "of members who have taken part",
        ),
        *requests,
        Headline(
            "Notional value",
            SUPPRESSED_TEXT if value_cell.suppressed else f"£{value:,.0f}",
            "hours \u00d7 the giver's staff-group hourly cost"
            + (
                f"; {unvalued:,.0f} hours have no unit cost"
                if unvalued and not value_cell.suppressed
                else ""
            ),
        ),
    ]


def _requests(filters: Filters) -> QuerySet[RequestFact]:
    q = Q(kind="request", created_at__gte=filters.start_at(), created_at__lt=filters.end_before())
    if filters.place:
        q &= Q(place_id=filters.place)
    if filters.org_kind:
        q &= Q(org_kind=filters.org_kind)
    return RequestFact.objects.filter(q)


def kept_requests(filters: Filters) -> RequestWindow | None:
    """The refresh's figures for these filters' requests (``RequestWindow``), when the range
    starts on one of its days and ends after the newest request it counted."""
    if filters.start.day != 1:
        return None
    kept = RequestWindow.objects.filter(
        first_month=filters.start,
        scope_place=filters.place or 0,
        scope_kind=filters.org_kind or "",
    ).first()
    if kept is None or (kept.latest is not None and kept.latest >= filters.end_before()):
        return None
    return kept


def request_figures(filters: Filters, *, suppress: bool, summarised: bool) -> list[Headline]:
    kept = kept_requests(filters) if summarised else None
    requests = _requests(filters)
    if kept is not None:
        n, fulfilled, authors = kept.requests, kept.fulfilled, kept.authors
        responded = kept.responded
    else:
        figures = requests.aggregate(
            n=Count("pk"),
            fulfilled=Count("pk", filter=Q(fulfilled=True)),
            authors=Count("author_id", distinct=True),
            responded=Count("pk", filter=Q(response_minutes__isnull=False)),
        )
        n, fulfilled, authors = figures["n"], figures["fulfilled"], figures["authors"]
        responded = figures["responded"]
    hidden = suppress and 0 < authors < MIN_PEOPLE
    if not n:
        rate = "\u2013"
    elif hidden or share_hidden(fulfilled, n, apply=suppress):
        rate = SUPPRESSED_TEXT
    else:
        rate = f"{100 * fulfilled / n:.0f}%"
    if not responded:
        median = "\u2013"
    elif hidden:
        median = SUPPRESSED_TEXT
    else:
        middle: int | None = kept.median_minutes if kept is not None else None
        if middle is None:
            middle = (
                requests.filter(response_minutes__isnull=False)
                .order_by("response_minutes")
                .values_list("response_minutes", flat=True)[middle_index(responded)]
            )
        assert middle is not None  # only answered requests were picked from
        median = _duration(middle)
    return [
        Headline("Requests fulfilled", rate, f"of {n:,} requests" if not hidden else "of requests"),
        Headline(
            "Median time to first response", median, "from posting to the first offer of help"
        ),
    ]


def middle_index(count: int) -> int:
    """Where the median of ``count`` sorted values is: the middle one, or the lower middle
    one when ``count`` is even (docs/insight.md, section 1)."""
    return (count - 1) // 2


def _duration(minutes: int) -> str:
    if minutes < 120:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes / 60:.0f} hours"
    return f"{minutes / 1440:.1f} days"


def refresh_request_windows(month: date) -> None:
    """``RequestWindow`` afresh from ``RequestFact``: for each standard window's first month
    and each scope, the figures ``request_figures`` would compute from the rows
    (a few tens of thousands of requests, counted with numpy)."""
    empty_table(RequestWindow)
    firsts = [first for first, _last in windows.current(month)]
    starts = {first: Filters(start=first, end=first).start_at() for first in firsts}
    rows = list(
        RequestFact.objects.filter(kind="request", created_at__gte=min(starts.values()))
        .values_list(
            "created_at", "place_id", "org_kind", "author_id", "fulfilled", "response_minutes"
        )
        .order_by()
    )
    latest = max((row[0] for row in rows), default=None)
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    step = timedelta(microseconds=1)
    created = np.array([(row[0] - epoch) // step for row in rows], np.int64)
    place = np.array([row[1] for row in rows], np.int64)
    kind = np.array([row[2] for row in rows], object)
    author = np.array([row[3] for row in rows], np.int64)
    fulfilled = np.array([row[4] for row in rows], bool)
    minutes = np.array([-1 if row[5] is None else row[5] for row in rows], np.int64)
    places = [0, *Place.objects.order_by("pk").values_list("pk", flat=True)]
    kinds = ["", *OrganisationKind.values]
    windows_kept = []
    for first, start in starts.items():
        since = created >= (start - epoch) // step
        for scope_place in places:
            in_place = since if not scope_place else since & (place == scope_place)
            for scope_kind in kinds:
                chosen = in_place if not scope_kind else in_place & (kind == scope_kind)
                times = np.sort(minutes[chosen & (minutes >= 0)])
                windows_kept.append(
                    RequestWindow(
                        first_month=first,
                        scope_place=scope_place,
                        scope_kind=scope_kind,
                        requests=int(chosen.sum()),
                        fulfilled=int((chosen & fulfilled).sum()),
                        authors=len(np.unique(author[chosen])),
                        responded=len(times),
                        median_minutes=(
                            int(times[middle_index(len(times))]) if len(times) else None
                        ),
                        latest=latest,
                    )
                )
    RequestWindow.objects.bulk_create(windows_kept, batch_size=2000)


def headline_dataset(headlines: list[Headline]) -> Dataset:
    return Dataset(
        "headline", "Headline figures", ["figure", "value"], [[h.label, h.value] for h in headlines]
    )
