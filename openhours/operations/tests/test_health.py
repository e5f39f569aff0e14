"""/health/ answers the load balancer and tells operators what needs attention."""

from __future__ import annotations

from datetime import timedelta
from typing import Any as SettingsWrapper

import pytest
from django.test import Client
from django.utils import timezone

from openhours.operations import health
from openhours.operations.models import WorkerHeartbeat

from .tasks_for_tests import succeeds

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_queue")]


def test_health_is_ok_with_a_worker_and_an_empty_queue(
    client: Client, settings: SettingsWrapper
) -> None:
    settings.OPENHOURS_SCHEDULE = {"route_requests": "300"}
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id="w", hostname="h", pid=1, started_at=now, seen_at=now)

    response = client.get("/health/")

    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    body = response.json()
    assert body["status"] == "ok"
    checks = body["checks"]
    assert checks["database"]["ok"] is True
    assert checks["cache"]["ok"] is True
    assert checks["tasks"] == {
        "ok": True,
        "waiting": 0,
        "running": 0,
        "lag_seconds": 0.0,
        "failed_last_day": 0,
        "workers": 1,
    }
    assert checks["schedule"]["route_requests"]["rule"] == "every 300 s"
    assert "ready" in checks["matching"]


def test_a_queue_that_falls_behind_or_has_no_worker_is_degraded_but_serving(
    client: Client,
) -> None:
    result = succeeds.enqueue("late")
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(id=result.id).update(
        enqueued_at=timezone.now() - timedelta(minutes=20)
    )
    response = client.get("/health/")
    assert response.status_code == 200  # the web server can still serve pages
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["tasks"]["workers"] == 0
    assert body["checks"]["tasks"]["waiting"] == 1
    assert body["checks"]["tasks"]["lag_seconds"] >= 1200


def test_a_database_that_does_not_answer_is_503(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def down() -> dict[str, object]:
        raise ConnectionError("could not connect to server")

    monkeypatch.setattr(health, "_database", down)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {
        "status": "down",
        "checks": {"database": {"ok": False, "error": "ConnectionError"}},
    }
