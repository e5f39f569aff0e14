"""Operations' own background work."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult


@task()
def prune_task_results() -> int:
    """Delete finished task results older than ``OPENHOURS_TASK_RESULTS_KEEP_DAYS``;
    return how many went. Waiting and running tasks are never touched."""
    cutoff = timezone.now() - timedelta(days=settings.OPENHOURS_TASK_RESULTS_KEEP_DAYS)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return deleted


@task()
def ping() -> str:
    """Does nothing: the queue's own cost (claim, run, record), which bench/tasks.py
    measures everything else against, and a way to check that a worker takes work up."""
    return "pong"
