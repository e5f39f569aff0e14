"""What the dashboard is narrowed to: ``Filters`` (dates, place, kind of organisation), the
default period, and the rules every read path shares for them: which rows a filter keeps
(``member_q`` for members and posts, ``flow_q`` for pairs of organisations) and whether the
refresh summed the filters' months in advance (``window_of``, see ``windows``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from . import windows
from .windows import add_months


@dataclass(frozen=True)
class Filters:
    """What the dashboard is narrowed to. Flow figures use whole months in the range.

    A campaign filter will join these once campaigns exist: a ``campaign`` field here and a
    campaign column on the fact tables, applied in ``flow_q`` like place and kind.
    """

    start: date
    end: date
    place: int | None = None
    org_kind: str | None = None

    @property
    def first_month(self) -> date:
        return self.start.replace(day=1)

    @property
    def last_month(self) -> date:
        return self.end.replace(day=1)

    def previous(self) -> Filters:
        """The same number of whole months just before this range."""
        months = _months_between(self.first_month, self.last_month) + 1
        first = add_months(self.first_month, -months)
        last = add_months(self.first_month, -1)
        return Filters(start=first, end=_month_end(last), place=self.place, org_kind=self.org_kind)

    def start_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    def end_before(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))


def default_filters(today: date | None = None) -> Filters:
    """The last twelve months, this one included."""
    today = today or timezone.localdate()
    return Filters(start=add_months(today.replace(day=1), -11), end=today)


def _months_between(first: date, last: date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month


def _month_end(first: date) -> date:
    return add_months(first, 1) - timedelta(days=1)


def window_of(
    filters: Filters, windows_month: date | None, *, previous: bool = False
) -> tuple[date, date] | None:
    """The filters' months, when the refresh summed them in advance: one of the windows
    ending with its month (``windows.current``), or with ``previous``, one of the periods
    before those (``windows.previous``, for the silo index)."""
    if windows_month is None:
        return None
    span = (filters.first_month, filters.last_month)
    kept = windows.previous(windows_month) if previous else windows.current(windows_month)
    return span if span in kept else None


def member_q(filters: Filters) -> Q:
    """Rows of the filters' place and kind of organisation (members', authors')."""
    q = Q()
    if filters.place:
        q &= Q(place_id=filters.place)
    if filters.org_kind:
        q &= Q(org_kind=filters.org_kind)
    return q


def flow_q(filters: Filters) -> Q:
    giver = Q()
    receiver = Q()
    if filters.place:
        giver &= Q(giver_place=filters.place)
        receiver &= Q(receiver_place=filters.place)
    if filters.org_kind:
        giver &= Q(giver_kind=filters.org_kind)
        receiver &= Q(receiver_kind=filters.org_kind)
    if not (filters.place or filters.org_kind):
        return Q()
    return giver | receiver
