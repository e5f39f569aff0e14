"""Operations' pages: the health check for load balancers and monitoring."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from . import health as health_report


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """200 while the database answers (503 otherwise), with every check's detail."""
    status, body = health_report.report()
    return JsonResponse(body, status=status)


@never_cache
def live(request: HttpRequest) -> HttpResponse:
    """200 "ok" while the process serves requests: no database, no template. A liveness
    probe, and the trivial view `make bench-pages` measures every page against."""
    return HttpResponse("ok", content_type="text/plain")
