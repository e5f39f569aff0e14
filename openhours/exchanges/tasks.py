"""The exchanges' background work (run by the worker; see docs/operations.md)."""

from __future__ import annotations

from django_tasks import task

from .services import auto_confirm_due


@task()
def auto_confirm_exchanges() -> dict[str, int]:
    """Confirm the exchanges that have waited their days unanswered (idempotent: each is
    confirmed under its row lock, once)."""
    run = auto_confirm_due()
    return {"confirmed": len(run.confirmed), "refused": len(run.refused)}
