"""Request timing for the metrics, and a request id in every log line."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

from openhours.core.metrics import REQUEST_SECONDS

request_id: ContextVar[str] = ContextVar("request_id", default="-")

# An id from the balancer (X-Request-ID) is kept when it looks like one; anything else is
# replaced, so a client cannot write arbitrary text into the logs.
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every log record (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class ObserveRequests:
    """Times each request by its URL name and tags its logs with an id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        this_id = given if _SAFE_ID.match(given) else uuid.uuid4().hex
        # Not reset when the response leaves: Django logs a 4xx or 5xx after the middleware
        # has returned, and that line must carry the id too. The next request sets its own.
        request_id.set(this_id)
        began = time.perf_counter()
        response = self.get_response(request)
        match = request.resolver_match
        view = (match.view_name if match else "") or "unmatched"
        REQUEST_SECONDS.labels(
            view=view, method=request.method or "", status=f"{response.status_code // 100}xx"
        ).observe(time.perf_counter() - began)
        response["X-Request-ID"] = this_id
        return response
