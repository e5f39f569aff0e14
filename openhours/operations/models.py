"""What the background worker keeps about itself: the periodic schedule's state and each
worker's heartbeat. The tasks themselves are django-tasks-db's ``DBTaskResult`` rows."""

from __future__ import annotations

from django.db import models


class PeriodicRun(models.Model):
    """One entry of the periodic schedule (``OPENHOURS_SCHEDULE``): when it is next due and
    what became of the last run it enqueued.

    Workers claim an entry with a conditional update of ``next_run_at``, so when several
    workers look at the schedule at the same moment exactly one enqueues the task.
    """

    name = models.CharField(max_length=64, unique=True)
    next_run_at = models.DateTimeField()
    last_enqueued_at = models.DateTimeField(null=True, blank=True)
    # The DBTaskResult of the last run (a UUID as text, so no foreign key to another
    # app's table that pruning would have to respect).
    last_result_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(name=""), name="operations_periodicrun_name_present"
            )
        ]

    def __str__(self) -> str:
        return self.name


class WorkerHeartbeat(models.Model):
    """A running worker, seen every few seconds while it is alive (even mid-task).

    A task left ``RUNNING`` by a worker whose heartbeat stopped (killed, out of memory,
    the server gone) is put back in the queue by the others.
    """

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return f"{self.worker_id} on {self.hostname} (pid {self.pid})"
