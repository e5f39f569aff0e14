"""The background worker: runs queued tasks, keeps the periodic schedule and recovers the
tasks of workers that died (see docs/operations.md).

It runs django-tasks-db's queue (``DBTaskResult`` rows, claimed with ``SELECT … FOR UPDATE
SKIP LOCKED`` on PostgreSQL and an exclusive transaction on SQLite) and adds three things
the library leaves to the project:

* **Retries with backoff.** A task that raises is put back in the queue to run again
  after ``OPENHOURS_TASK_RETRY_SECONDS``, then twice and four times as long, until it has been tried
  ``OPENHOURS_TASK_ATTEMPTS`` times; then it stays ``FAILED``, with its traceback, for the
  operators (the admin, ``/health/`` and the metrics count them).
* **Recovery after a crash.** Each worker records a heartbeat every few seconds from a
  thread of its own, so the heartbeat goes on during a long task. A task still
  ``RUNNING`` whose worker's heartbeat is older than ``OPENHOURS_WORKER_LOST_SECONDS`` was
  cut off (kill -9, out of memory, the server gone) and goes back in the queue. Every
  task is idempotent, so running the remainder again does nothing twice.
* **The schedule.** Between tasks, at most every ``SCHEDULE_EVERY``, the worker enqueues
  the periodic tasks that are due (``schedule.enqueue_due``).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, connections
from django.db.utils import DatabaseError, OperationalError
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker as LibraryWorker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from openhours.matching.tasks import start_index_builder

from . import schedule
from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)

SCHEDULE_EVERY = 5.0
# How long a worker that lost the database waits before it tries again.
DATABASE_RETRY_SECONDS = 5.0


def lost_after() -> timedelta:
    """A worker silent for this long is taken for dead (``OPENHOURS_WORKER_LOST_SECONDS``)."""
    return timedelta(seconds=settings.OPENHOURS_WORKER_LOST_SECONDS)


def heartbeat_every() -> float:
    """Seconds between heartbeats: six fit in the time after which a worker is lost."""
    return settings.OPENHOURS_WORKER_LOST_SECONDS / 6


def backoff(attempts: int) -> timedelta:
    """How long a task that has failed ``attempts`` times waits before the next try."""
    return timedelta(seconds=settings.OPENHOURS_TASK_RETRY_SECONDS * 2 ** (attempts - 1))


class Worker:
    def __init__(
        self,
        *,
        interval: float = 1.0,
        queue_names: list[str] | None = None,
        worker_id: str | None = None,
        keep_schedule: bool = True,
        until_idle: bool = False,
        clock: Callable[[], datetime] = timezone.now,
    ) -> None:
        self.interval = interval
        self.queue_names = queue_names
        self.worker_id = worker_id or get_random_string(32)
        self.keep_schedule = keep_schedule
        self.until_idle = until_idle
        self.clock = clock
        self.stopping = threading.Event()
        self.tasks_run = 0
        # The library's worker runs one claimed task and records its outcome.
        self._runner = LibraryWorker(
            queue_names=queue_names or ["*"],
            interval=interval,
            batch=False,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False,
            max_tasks=None,
            worker_id=self.worker_id,
            excluded_queue_names=[],
        )

    def stop(self) -> None:
        """Finish the task in hand, then leave (SIGTERM and SIGINT call this)."""
        self.stopping.set()

    def run(self) -> None:
        logger.info("Worker %s starting (pid %s)", self.worker_id, os.getpid())
        self._beat(started=True)
        beating = threading.Thread(target=self._keep_beating, name="heartbeat", daemon=True)
        beating.start()
        try:
            self._loop()
        finally:
            self.stopping.set()
            beating.join(timeout=heartbeat_every() * 2)
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
            logger.info("Worker %s stopped after %s tasks", self.worker_id, self.tasks_run)

    def _loop(self) -> None:
        last_look = float("-inf")
        while not self.stopping.is_set():
            # Drop a connection the database closed, as Django does between requests (not
            # inside an outer transaction, where only a test ever runs a worker).
            if not connection.in_atomic_block:
                close_old_connections()
            try:
                now_seconds = timezone.now().timestamp()
                if now_seconds - last_look >= SCHEDULE_EVERY:
                    self.maintain()
                    last_look = now_seconds
                claimed = self._claim()
            except DatabaseError:
                # The database is restarting or failing over: wait and try again rather
                # than leave, so a worker outlives a database blip without a supervisor.
                logger.exception("Worker %s lost the database; trying again", self.worker_id)
                if self.until_idle:
                    raise
                self.stopping.wait(DATABASE_RETRY_SECONDS)
                continue
            if claimed is not None:
                self._run(claimed)
            elif self.until_idle:
                return
            else:
                self.stopping.wait(self.interval)

    def maintain(self) -> None:
        """Recover lost tasks, keep this server's matching index builder running and
        enqueue due periodic ones."""
        requeue_lost(now=self.clock())
        start_index_builder()
        if self.keep_schedule:
            schedule.enqueue_due(now=self.clock())

    def _claim(self) -> DBTaskResult[Any, Any] | None:
        ready = DBTaskResult.objects.ready().filter(backend_name=DEFAULT_TASK_BACKEND_ALIAS)
        if self.queue_names:
            ready = ready.filter(queue_name__in=self.queue_names)
        try:
            with exclusive_transaction(ready.db):
                result = ready.get_locked()
                if result is not None:
                    result.claim(self.worker_id)
                return result
        except OperationalError as error:
            if is_locked_database_exception(error):
                return None  # SQLite busy: try again on the next turn
            raise

    def _run(self, result: DBTaskResult[Any, Any]) -> None:
        logger.info(
            "Running %s (%s), attempt %s", result.task_path, result.id, len(result.worker_ids)
        )
        self._runner.run_task(result)
        self.tasks_run += 1
        result.refresh_from_db(fields=["status", "worker_ids"])
        if result.status == TaskResultStatus.FAILED:
            retry_or_give_up(result, now=self.clock())

    def _beat(self, *, started: bool = False) -> None:
        now = timezone.now()
        if started:
            WorkerHeartbeat.objects.update_or_create(
                worker_id=self.worker_id,
                defaults={
                    "hostname": socket.gethostname()[:255],
                    "pid": os.getpid(),
                    "started_at": now,
                    "seen_at": now,
                },
            )
        else:
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).update(seen_at=now)

    def _keep_beating(self) -> None:
        try:
            while not self.stopping.wait(heartbeat_every()):
                try:
                    self._beat()
                except OperationalError:
                    logger.warning("Worker %s could not record its heartbeat", self.worker_id)
        finally:
            connections.close_all()


def retry_or_give_up(result: DBTaskResult[Any, Any], *, now: datetime) -> bool:
    """Put a failed task back in the queue with backoff, unless it has had its attempts;
    return whether it will run again."""
    attempts = len(result.worker_ids)
    if attempts >= settings.OPENHOURS_TASK_ATTEMPTS:
        logger.error(
            "Task %s (%s) failed %s times; giving up", result.task_path, result.id, attempts
        )
        return False
    run_after = now + backoff(attempts)
    DBTaskResult.objects.filter(id=result.id, status=TaskResultStatus.FAILED).update(
        status=TaskResultStatus.READY, run_after=run_after, finished_at=None
    )
    logger.warning(
        "Task %s (%s) failed (attempt %s); trying again at %s",
        result.task_path,
        result.id,
        attempts,
        run_after.isoformat(),
    )
    return True


def requeue_lost(*, now: datetime) -> int:
    """Put back in the queue every running task whose worker stopped beating; return how
    many. A task that has used its attempts is marked failed instead."""
    silent = now - lost_after()
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=silent).values_list("worker_id", flat=True)
    )
    requeued = 0
    for result in DBTaskResult.objects.running().filter(started_at__lt=silent):
        owner = result.worker_ids[-1] if result.worker_ids else ""
        if owner in alive:
            continue
        if len(result.worker_ids) >= settings.OPENHOURS_TASK_ATTEMPTS:
            DBTaskResult.objects.filter(id=result.id, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path="openhours.operations.worker.WorkerLost",
                traceback=f"The worker {owner} stopped while running this task.",
            )
            continue
        requeued += DBTaskResult.objects.filter(
            id=result.id, status=TaskResultStatus.RUNNING
        ).update(status=TaskResultStatus.READY, run_after=now)
        logger.warning(
            "Task %s (%s) was cut off with worker %s; queued again",
            result.task_path,
            result.id,
            owner,
        )
    WorkerHeartbeat.objects.filter(seen_at__lt=now - lost_after() * 10).delete()
    return requeued
