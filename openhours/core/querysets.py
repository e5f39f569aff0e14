"""Small helpers for building querysets from a page's filters."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


def filter_each_set(queryset: QuerySet[M], **lookups: object) -> QuerySet[M]:
    """``queryset`` narrowed by each lookup whose value is set (not None, 0, "" or False).

    One ``filter()`` call per lookup, in the order given: across a multi-valued relation
    each lookup may then match a different related row (a member in one organisation of a
    kind and another in a place), as it does when the calls are written out.
    """
    for lookup, value in lookups.items():
        if value:
            queryset = queryset.filter(**{lookup: value})
    return queryset
