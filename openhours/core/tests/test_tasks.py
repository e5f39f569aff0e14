"""A task queued with a change runs if, and only if, the change commits."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from openhours.core.tasks import enqueue_with_change

RAN: list[str] = []


@task()
def remember(label: str) -> None:
    RAN.append(label)


class Boom(Exception):
    pass


def _change_that_fails() -> None:
    with transaction.atomic():
        enqueue_with_change(remember, "undone")
        raise Boom


@pytest.mark.django_db
def test_with_the_database_queue_the_task_row_commits_or_rolls_back_with_the_change(
    settings: Any,
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with transaction.atomic():
        enqueue_with_change(remember, "kept")
    with pytest.raises(Boom):
        _change_that_fails()
    assert [row.args_kwargs["args"] for row in DBTaskResult.objects.all()] == [["kept"]]


@pytest.mark.django_db(transaction=True)
def test_with_another_queue_the_task_waits_for_the_commit(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    RAN.clear()
    with transaction.atomic():
        enqueue_with_change(remember, "kept")
        assert RAN == []  # not before the commit
    assert RAN == ["kept"]
    with pytest.raises(Boom):
        _change_that_fails()
    assert RAN == ["kept"]
