"""``/metrics`` for Prometheus (docs/operations.md, "Metrics").

Two sources: what the app's processes count as they work (request latency, emails; see
``core.metrics``), added up across gunicorn's workers when ``PROMETHEUS_MULTIPROC_DIR`` is
set; and what the database knows, read at scrape time, so every server reports the same
truth whichever one is scraped: the task queue's depth, failures and lag, live workers
and the ledger's postings.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Iterator
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Min
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django_tasks_db.models import DBTaskResult
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from openhours.ledger.models import Transfer

from .models import WorkerHeartbeat
from .worker import lost_after


class DatabaseCollector(Collector):
    """Figures that live in the database, read when Prometheus scrapes."""

    def collect(self) -> Iterator[GaugeMetricFamily | CounterMetricFamily]:
        now = timezone.now()
        tasks = GaugeMetricFamily(
            "openhours_tasks", "Background tasks by queue and status.", labels=["queue", "status"]
        )
        for row in DBTaskResult.objects.values("queue_name", "status").annotate(n=Count("id")):
            tasks.add_metric([row["queue_name"], row["status"]], row["n"])
        yield tasks

        oldest = DBTaskResult.objects.ready().aggregate(at=Min("enqueued_at"))["at"]
        yield GaugeMetricFamily(
            "openhours_task_queue_lag_seconds",
            "How long the oldest task ready to run has waited.",
            value=(now - oldest).total_seconds() if oldest else 0.0,
        )
        failed = DBTaskResult.objects.failed().filter(finished_at__gte=now - timedelta(days=1))
        yield GaugeMetricFamily(
            "openhours_tasks_failed_last_day",
            "Tasks that failed for good (every attempt used) in the last 24 hours.",
            value=failed.count(),
        )
        yield GaugeMetricFamily(
            "openhours_workers",
            "Background workers with a recent heartbeat.",
            value=WorkerHeartbeat.objects.filter(seen_at__gte=now - lost_after()).count(),
        )
        postings = CounterMetricFamily(
            "openhours_ledger_postings", "Ledger transfers posted, by kind.", labels=["kind"]
        )
        for posted in Transfer.objects.values("kind").annotate(n=Count("id")):
            postings.add_metric([posted["kind"]], posted["n"])
        yield postings


def _allowed(request: HttpRequest) -> bool:
    token = settings.OPENHOURS_METRICS_TOKEN
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        return constant_time_compare(given, token)
    # No token set: only the machine itself (a local Prometheus or agent) may scrape.
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


def metrics_view(request: HttpRequest) -> HttpResponse:
    if not _allowed(request):
        return HttpResponse("Not found.", status=404, content_type="text/plain")
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        counted = CollectorRegistry()
        multiprocess.MultiProcessCollector(counted)  # type: ignore[no-untyped-call]
    else:
        counted = REGISTRY  # one process (runserver, tests): its own figures
    stored = CollectorRegistry()
    stored.register(DatabaseCollector())
    return HttpResponse(
        generate_latest(counted) + generate_latest(stored), content_type=CONTENT_TYPE_LATEST
    )
