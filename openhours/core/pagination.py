"""A paginator that counts no further than a limit: lists of thousands stay fast and honest.

An exact ``COUNT`` of a long list reads every row that matches (about 90,000 profiles in
the directory at 100,000 members), and the pages after it need the whole list sorted.
``CappedPaginator`` first reads the ids of at most ``limit + 1`` matches in no particular
order, which stops as soon as it has them. Over the limit, ``more_than_counted`` is set
(the page says "more than 1,000"), pages run to the limit and no further, and each page is
a slice of the list in its own order, which an index in that order serves by walking it.
Within the limit the count is exact and a page is those ids sorted: primary-key lookups
and a sort of at most ``limit`` rows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.utils.functional import cached_property

M = TypeVar("M", bound=Model)


class CappedPaginator(Paginator[M]):
    """Pages of ``objects`` (a queryset in list order) counted up to ``limit``.

    ``in_order(ids)`` is the queryset of those ids in list order, with what a page shows
    (``select_related``, ``prefetch_related``).
    """

    def __init__(
        self,
        objects: QuerySet[M],
        per_page: int,
        *,
        limit: int,
        in_order: Callable[[list[int]], QuerySet[M]],
    ) -> None:
        super().__init__(objects, per_page)
        self.objects = objects
        self.limit = limit
        self.in_order = in_order

    @cached_property
    def _matching_ids(self) -> list[int]:
        unordered = self.objects.select_related(None).prefetch_related(None).order_by()
        return list(unordered.values_list("pk", flat=True)[: self.limit + 1])

    @cached_property
    def count(self) -> int:
        return min(len(self._matching_ids), self.limit)

    @property
    def more_than_counted(self) -> bool:
        return len(self._matching_ids) > self.limit

    def page(self, number: int | str) -> Page[M]:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        objects = self.objects
        if not self.more_than_counted:
            objects = self.in_order(self._matching_ids)
        return Page(objects[bottom:top], number, self)
