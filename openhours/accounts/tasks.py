"""Accounts' background work (run by the worker; see docs/operations.md)."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def email_membership_approved(member_id: int) -> None:
    """Tell a member their membership is approved. Sent at least once: a rerun after a
    crash between the send and the result being stored sends it again, which is harmless
    for a welcome."""
    services.tell_member_approved(member_id)
