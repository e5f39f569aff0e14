"""What ``/health/`` reports: each part of a running OpenHours, checked cheaply.

A load balancer needs one answer: may this server take requests? That is the database
(without it no page works), so a database that doesn't answer is 503 and everything else
is 200. The other checks are for operators and monitoring, and make ``status``
"degraded" when something needs attention: the cache down, the queue falling behind,
tasks failing, no worker alive or a periodic task overdue.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from openhours.matching.ranking.engine import index_status

from . import schedule
from .models import PeriodicRun, WorkerHeartbeat
from .worker import lost_after

# The queue is behind when the oldest waiting task has waited longer than this.
LAG_LIMIT = timedelta(minutes=5)
# A periodic task is overdue when it was due this long ago and nothing enqueued it.
OVERDUE_AFTER = timedelta(minutes=10)


def report(*, now: datetime | None = None) -> tuple[int, dict[str, Any]]:
    """The HTTP status for the balancer and the report for people."""
    now = now or timezone.now()
    checks: dict[str, Any] = {}
    try:
        checks["database"] = _timed(_database)
    except Exception as error:  # the balancer must hear "no", not see a 500
        return 503, {
            "status": "down",
            "checks": {"database": {"ok": False, "error": type(error).__name__}},
        }
    checks["cache"] = _cache_check()
    checks["tasks"] = _tasks(now)
    checks["schedule"] = _schedule(now)
    checks["matching"] = index_status()
    healthy = (
        checks["cache"]["ok"]
        and checks["tasks"]["ok"]
        and all(entry["ok"] for entry in checks["schedule"].values())
    )
    return 200, {"status": "ok" if healthy else "degraded", "checks": checks}


def _timed(check: Any) -> dict[str, Any]:
    began = time.perf_counter()
    result: dict[str, Any] = check()
    result["ms"] = round((time.perf_counter() - began) * 1000, 1)
    return result


def _database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"ok": True, "vendor": connection.vendor}


def _cache_check() -> dict[str, Any]:
    try:
        return _timed(_cache_round_trip)
    except Exception as error:
        return {"ok": False, "error": type(error).__name__}


def _cache_round_trip() -> dict[str, Any]:
    # A read, not a write: the balancer asks every second or two, and a health check
    # must not write (with the database cache, a write is a database write).
    cache.get("openhours:health")
    return {"ok": True}


def _tasks(now: datetime) -> dict[str, Any]:
    ready = DBTaskResult.objects.ready()
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    lag = (now - oldest).total_seconds() if oldest else 0.0
    failed = DBTaskResult.objects.failed().filter(finished_at__gte=now - timedelta(days=1))
    workers = WorkerHeartbeat.objects.filter(seen_at__gte=now - lost_after()).count()
    return {
        "ok": lag <= LAG_LIMIT.total_seconds() and workers > 0,
        "waiting": ready.count(),
        "running": DBTaskResult.objects.running().count(),
        "lag_seconds": round(max(lag, 0.0), 1),
        "failed_last_day": failed.count(),
        "workers": workers,
    }


def _schedule(now: datetime) -> dict[str, dict[str, Any]]:
    rows = {row.name: row for row in PeriodicRun.objects.all()}
    results = {
        str(result.id): result
        for result in DBTaskResult.objects.filter(
            id__in=[row.last_result_id for row in rows.values() if row.last_result_id]
        ).only("id", "status", "finished_at")
    }
    entries = {}
    for name, rule in schedule.rules().items():
        row = rows.get(name)
        if row is None:
            entries[name] = {"ok": True, "rule": str(rule), "last_enqueued_at": None}
            continue
        last = results.get(row.last_result_id)
        entries[name] = {
            "ok": row.next_run_at >= now - OVERDUE_AFTER,
            "rule": str(rule),
            "last_enqueued_at": row.last_enqueued_at.isoformat() if row.last_enqueued_at else None,
            "last_status": last.status if last else None,
            "last_finished_at": last.finished_at.isoformat() if last and last.finished_at else None,
            "next_run_at": row.next_run_at.isoformat(),
        }
    return entries
