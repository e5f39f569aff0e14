"""The worker runs queued tasks, retries failures with backoff and recovers lost tasks."""

from __future__ import annotations

from datetime import datetime, timedelta
from io import StringIO
from typing import Any
from typing import Any as SettingsWrapper
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from openhours.operations.models import WorkerHeartbeat
from openhours.operations.worker import Worker, requeue_lost

from . import tasks_for_tests
from .tasks_for_tests import always_fails, succeeds

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_queue")]

START = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/London"))


def _drain() -> Worker:
    worker = Worker(keep_schedule=False, until_idle=True)
    worker.run()
    return worker


def test_a_queued_task_runs_once_and_its_result_is_kept() -> None:
    result = succeeds.enqueue("hello")
    assert DBTaskResult.objects.get(id=result.id).status == "READY"

    assert _drain().tasks_run == 1
    assert _drain().tasks_run == 0

    row = DBTaskResult.objects.get(id=result.id)
    assert (row.status, row.return_value) == ("SUCCESSFUL", "hello")
    assert tasks_for_tests.CALLS == ["hello"]
    # A worker that stopped leaves no heartbeat behind to be mistaken for a live one.
    assert not WorkerHeartbeat.objects.exists()


def test_a_failing_task_is_retried_with_backoff_then_left_failed(
    settings: SettingsWrapper,
) -> None:
    settings.OPENHOURS_TASK_ATTEMPTS = 3
    settings.OPENHOURS_TASK_RETRY_SECONDS = 30
    with time_machine.travel(START, tick=False):
        result = always_fails.enqueue("flaky")
        _drain()
    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == "READY"
    assert row.run_after == START + timedelta(seconds=30)
    assert "flaky went wrong" in row.traceback  # the last error stays visible

    # Not before its time.
    with time_machine.travel(START + timedelta(seconds=29), tick=False):
        assert _drain().tasks_run == 0
    with time_machine.travel(START + timedelta(seconds=30), tick=False):
        assert _drain().tasks_run == 1
    row.refresh_from_db()
    assert row.run_after == START + timedelta(seconds=30 + 60)  # twice as long

    with time_machine.travel(START + timedelta(seconds=90), tick=False):
        _drain()
    row.refresh_from_db()
    assert row.status == "FAILED"
    assert len(row.worker_ids) == 3
    assert tasks_for_tests.CALLS == ["flaky"] * 3
    with time_machine.travel(START + timedelta(days=1), tick=False):
        assert _drain().tasks_run == 0


def _running(*, worker_id: str, started: datetime) -> str:
    result = succeeds.enqueue("cut off")
    DBTaskResult.objects.filter(id=result.id).update(
        status="RUNNING", started_at=started, worker_ids=[worker_id]
    )
    return str(result.id)


def test_a_task_cut_off_with_its_worker_runs_again(settings: SettingsWrapper) -> None:
    settings.OPENHOURS_WORKER_LOST_SECONDS = 30
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="alive", hostname="a", pid=1, started_at=now, seen_at=now
    )
    WorkerHeartbeat.objects.create(
        worker_id="killed",
        hostname="b",
        pid=2,
        started_at=now - timedelta(hours=1),
        seen_at=now - timedelta(seconds=31),
    )
    lost = _running(worker_id="killed", started=now - timedelta(minutes=5))
    vanished = _running(worker_id="never-seen", started=now - timedelta(minutes=5))
    busy = _running(worker_id="alive", started=now - timedelta(minutes=5))
    just_claimed = _running(worker_id="never-seen", started=now)

    assert requeue_lost(now=now) == 2

    statuses = dict(DBTaskResult.objects.values_list("id", "status"))
    assert {str(k): v for k, v in statuses.items()} == {
        lost: "READY",
        vanished: "READY",
        busy: "RUNNING",
        just_claimed: "RUNNING",
    }
    _drain()
    assert tasks_for_tests.CALLS == ["cut off", "cut off"]


def test_a_lost_task_that_used_its_attempts_is_marked_failed(settings: SettingsWrapper) -> None:
    settings.OPENHOURS_TASK_ATTEMPTS = 1
    now = timezone.now()
    lost = _running(worker_id="killed", started=now - timedelta(minutes=5))
    assert requeue_lost(now=now) == 0
    row = DBTaskResult.objects.get(id=lost)
    assert row.status == "FAILED"
    assert "stopped while running" in row.traceback


def test_the_command_runs_the_schedule_and_the_queue(settings: SettingsWrapper) -> None:
    settings.OPENHOURS_SCHEDULE = {"prune_task_results": "daily 03:00", "route_requests": "off"}
    out = StringIO()
    call_command("run_worker", "--until-idle", stdout=out)
    assert "prune_task_results: daily at 03:00" in out.getvalue()
    assert "Ran 1 tasks" in out.getvalue()
    row = DBTaskResult.objects.get()
    assert (row.task_path, row.status) == (
        "openhours.operations.tasks.prune_task_results",
        "SUCCESSFUL",
    )


def test_old_finished_results_are_pruned(settings: SettingsWrapper) -> None:
    settings.OPENHOURS_TASK_RESULTS_KEEP_DAYS = 14
    old = succeeds.enqueue("old")
    waiting = succeeds.enqueue("waiting")
    DBTaskResult.objects.filter(id=old.id).update(
        status="SUCCESSFUL", finished_at=timezone.now() - timedelta(days=15)
    )
    DBTaskResult.objects.filter(id=waiting.id).update(
        enqueued_at=timezone.now() - timedelta(days=30)
    )
    from openhours.operations.tasks import prune_task_results

    assert prune_task_results.call() == 1
    assert [str(pk) for pk in DBTaskResult.objects.values_list("id", flat=True)] == [waiting.id]


def test_a_database_blip_does_not_stop_a_running_worker(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from django.db.utils import OperationalError

    from openhours.operations import worker as worker_module

    calls = {"n": 0}
    real = worker_module.requeue_lost

    def flaky(*, now: datetime) -> int:
        calls["n"] += 1
        if calls["n"] == 1:
            raise OperationalError("the database system is starting up")
        return real(now=now)

    monkeypatch.setattr(worker_module, "requeue_lost", flaky)
    monkeypatch.setattr(worker_module, "SCHEDULE_EVERY", 0.0)
    monkeypatch.setattr(worker_module, "DATABASE_RETRY_SECONDS", 0.01)
    succeeds.enqueue("after the blip")
    worker = Worker(keep_schedule=False, interval=0.01)

    def stop_when_done() -> None:
        if tasks_for_tests.CALLS:
            worker.stop()

    monkeypatch.setattr(worker, "_run", _then(worker._run, stop_when_done))
    worker.run()

    assert tasks_for_tests.CALLS == ["after the blip"]
    assert "lost the database" in caplog.text


def _then(first: Any, second: Any) -> Any:
    def both(*args: Any) -> None:
        first(*args)
        second()

    return both


def test_a_ping_is_taken_up_and_answered() -> None:
    from openhours.operations.tasks import ping

    result = ping.enqueue()
    _drain()
    assert DBTaskResult.objects.get(id=result.id).return_value == "pong"
