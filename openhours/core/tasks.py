"""Queueing background work from inside a change (docs/operations.md, "Background work")."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_tasks.base import Task
from django_tasks_db.backend import DatabaseBackend


def enqueue_with_change(task: Task[..., Any], *args: Any) -> None:
    """Queue ``task`` so that it runs if, and only if, the surrounding transaction commits.

    With the database queue (production) the task's row is written in that transaction:
    the change and its follow-up commit together, so no crash between the two can lose
    the follow-up. With any other backend (the tests' immediate one) it is queued once the
    transaction has committed, so a rolled back change never runs its task.
    """
    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(*args)
    else:
        transaction.on_commit(lambda: task.enqueue(*args))
