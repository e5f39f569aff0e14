"""Operations' pages: the health check for load balancers and monitoring."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from . import health as health_report


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """200 while the database answers (503 otherwise), with every check's detail."""
    status, body = health_report.report()
    return JsonResponse(body, status=status)
