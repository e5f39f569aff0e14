from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .selectors import search_organisations


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """The search-as-you-type results for the organisation picker (an htmx partial)."""
    query = request.GET.get("q", "")[:100]
    field = request.GET.get("field", "organisations")
    if field not in {"organisations", "organisation"}:
        field = "organisations"
    results = list(search_organisations(query)) if len(query.strip()) >= 2 else []
    return render(
        request,
        "organisations/_search_results.html",
        {"results": results, "query": query, "field": field},
    )
