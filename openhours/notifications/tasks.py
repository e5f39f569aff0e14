"""Notifications' background work: emails (run by the worker; see docs/operations.md)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from . import services

# A notification whose own email task has had this long is swept up by the next sweep.
SWEEP_AFTER = timedelta(minutes=2)


@task()
def email_notification(notification_id: int) -> bool:
    """Email one notification (once: see ``services.email_notification``)."""
    return services.email_notification(notification_id)


@task()
def send_pending_emails() -> int:
    """Send the immediate emails whose task was lost or never ran; return how many."""
    pending = services.pending_immediate_emails(now=timezone.now(), older_than=SWEEP_AFTER)
    return sum(services.email_notification(pk) for pk in pending)


@task()
def send_digests() -> int:
    """Send the daily summaries (each member's once: see ``services.send_digests``)."""
    return services.send_digests()
