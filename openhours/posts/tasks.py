"""The posts' background work (run by the worker; see docs/operations.md)."""

from __future__ import annotations

from dataclasses import asdict

from django_tasks import task

from .services import send_expiry_reminders_and_expire


@task()
def expire_posts() -> dict[str, int]:
    """Remind authors of posts about to close, and close the overdue ones."""
    return asdict(send_expiry_reminders_and_expire())
