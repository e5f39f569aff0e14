"""The group sessions' background work (run by the worker; see docs/operations.md)."""

from __future__ import annotations

from dataclasses import asdict

from django_tasks import task

from .services import settle_due_sessions


@task()
def settle_group_sessions() -> dict[str, int]:
    """Settle the sessions whose waiting period is over (each once, under its row lock)."""
    return asdict(settle_due_sessions())
