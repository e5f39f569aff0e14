"""Tasks that exist only for the worker's tests."""

from __future__ import annotations

from django_tasks import task

CALLS: list[str] = []


@task()
def always_fails(label: str) -> None:
    CALLS.append(label)
    raise RuntimeError(f"{label} went wrong")


@task()
def succeeds(label: str) -> str:
    CALLS.append(label)
    return label
