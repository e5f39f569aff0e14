from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import Organisation


def search_organisations(query: str, *, limit: int = 10) -> QuerySet[Organisation]:
    """Active organisations whose name or ODS code matches what was typed.

    Every word must appear in the name (so "bristol trust" finds "North Bristol NHS
    Trust"); an exact ODS code also matches.
    """
    words = query.split()[:6]
    if not words:
        return Organisation.objects.none()
    condition = Q()
    for word in words:
        condition &= Q(name__icontains=word)
    condition |= Q(ods_code__iexact=query.strip())
    return (
        Organisation.objects.filter(condition, is_active=True)
        .select_related("place")
        .order_by("name")[:limit]
    )
