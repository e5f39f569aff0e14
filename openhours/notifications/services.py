"""Writes to notifications: the only way a notification is created, read or emailed.

Other apps call :func:`notify` from inside their own services. It never raises because
of email: mail is queued for the worker after the caller's transaction commits, and the
worker retries a mail server that refuses (see ``tasks.py`` and docs/operations.md).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import CharField
from django.utils import timezone

from openhours.accounts.models import User
from openhours.core import mail
from openhours.core.errors import DomainError
from openhours.core.tasks import enqueue_with_change

from .models import EmailPreference, Notification, NotificationPreference
from .selectors import preference_for

logger = logging.getLogger(__name__)


# The stored message's limit, owned here so callers pass their full text: a long title or
# reason is shortened the same way for every app, never refused and never cut mid-claim
# without saying so.
def _message_max_length() -> int:
    field = Notification._meta.get_field("message")
    if not isinstance(field, CharField) or field.max_length is None:
        raise ImproperlyConfigured("Notification.message must be a CharField with a max_length.")
    return field.max_length


MESSAGE_MAX_LENGTH = _message_max_length()
# Most overdue immediate emails one sweep sends (the next sweep takes the rest).
SWEEP_BATCH = 500
ELLIPSIS = "…"


def shorten(text: str, limit: int) -> str:
    """``text`` if it fits in ``limit`` characters, else its start and an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


def notify(
    *,
    recipient: User,
    verb: str,
    message: str,
    url: str = "",
    actor: User | None = None,
    needs_action: bool = False,
) -> Notification | None:
    """Tell ``recipient`` that something happened; return the new notification.

    ``message`` may be any length: one longer than the stored field is shortened to fit,
    ending with an ellipsis. Returns ``None``, and stores nothing, when the recipient is
    the actor: nobody is told about their own action. When ``needs_action`` is set and the
    recipient wants email straight away, an email task is queued with the surrounding
    transaction (so a rolled back change never emails anyone, and a committed one always
    does) and the worker sends it. Members on the daily digest get
    it in the next digest; members who turned email off see it in the app only.
    """
    if actor is not None and actor.pk == recipient.pk:
        return None
    with transaction.atomic():
        notification = Notification.objects.create(
            recipient=recipient,
            actor=actor,
            verb=verb,
            message=shorten(message, MESSAGE_MAX_LENGTH),
            url=url,
            needs_action=needs_action,
            created_at=timezone.now(),
        )
        if needs_action and preference_for(recipient) == EmailPreference.IMMEDIATE:
            # Imported here: the task module imports these services.
            from .tasks import email_notification as email_task

            enqueue_with_change(email_task, notification.pk)
    return notification


def email_notification(notification_id: int) -> bool:
    """Email one notification to its recipient, once; return whether an email went out.

    Run by the worker (``tasks.email_notification``, queued with the notification) and by
    the sweep that catches any whose task never ran (a queue other than the database's). The row
    is locked and marked emailed in the same transaction that sends, so a second run, or
    one overlapping it, finds it emailed and sends nothing; a mail server that refuses
    rolls the mark back and the worker tries again later. A worker killed between the
    send and the commit can send it once more: email is at least once, never lost.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .filter(pk=notification_id, emailed_at__isnull=True)
            .first()
        )
        if notification is None:
            return False
        recipient = User.objects.get(pk=notification.recipient_id)
        link = _absolute(notification.url)
        body = f"Hello {recipient.get_short_name()},\n\n{notification.message}\n"
        if link:
            body += f"\nSee it here:\n{link}\n"
        body += _footer()
        Notification.objects.filter(pk=notification_id).update(emailed_at=timezone.now())
        mail.send(recipient.email, _subject_line(notification.message), body, kind="notification")
    return True


def pending_immediate_emails(*, now: datetime, older_than: timedelta) -> list[int]:
    """Notifications that should have been emailed straight away and were not: their task
    was lost (a crash between the commit and the enqueue) or has not run yet. Only those
    at least ``older_than`` old and at most a day old, unread, to members who still want
    email straight away."""
    return list(
        Notification.objects.filter(
            needs_action=True,
            emailed_at__isnull=True,
            read_at__isnull=True,
            created_at__lte=now - older_than,
            created_at__gte=now - timedelta(days=1),
            recipient__is_active=True,
        )
        .exclude(
            recipient__notification_preference__email__in=[
                EmailPreference.DIGEST,
                EmailPreference.OFF,
            ]
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )


def mark_read(*, user: User, notification: Notification) -> Notification:
    if notification.recipient_id != user.pk:
        raise DomainError("That notification belongs to someone else.")
    if notification.read_at is None:
        now = timezone.now()
        with transaction.atomic():
            Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
                read_at=now
            )
        notification.read_at = now
    return notification


def mark_all_read(*, user: User) -> int:
    """Mark every unread notification of ``user`` as read; return how many changed."""
    with transaction.atomic():
        return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
            read_at=timezone.now()
        )


def clear_for_url(*, user: User, url: str) -> int:
    """The member has acted on the thing at ``url``: its unread notifications are read.

    Called by the app that owns the thing, in the same transaction as the action, so a
    "please confirm" notification stops asking once the member has confirmed.
    """
    if not url:
        return 0
    return Notification.objects.filter(recipient=user, url=url, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def set_email_preference(*, user: User, preference: str) -> NotificationPreference:
    if preference not in EmailPreference.values:
        raise DomainError("Choose how often we should email you.", field="email")
    with transaction.atomic():
        row, _ = NotificationPreference.objects.update_or_create(
            user=user, defaults={"email": preference}
        )
    return row


def send_digests(*, now: datetime | None = None) -> int:
    """Email each member on the daily digest one summary of what they have not yet read.

    Includes unread notifications created before ``now`` that have not been emailed, and
    marks them emailed in the same transaction as the claim, so a second run (or an
    overlapping one, which waits on the row locks) finds nothing new. Returns the number
    of emails sent.
    """
    now = now or timezone.now()
    recipient_ids = list(
        Notification.objects.filter(
            recipient__notification_preference__email=EmailPreference.DIGEST,
            recipient__is_active=True,
            read_at__isnull=True,
            emailed_at__isnull=True,
            created_at__lt=now,
        )
        .values_list("recipient_id", flat=True)
        .distinct()
        .order_by("recipient_id")
    )
    sent = 0
    for recipient_id in recipient_ids:
        if _send_digest_to(recipient_id, now=now):
            sent += 1
    return sent


def _send_digest_to(recipient_id: int, *, now: datetime) -> bool:
    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update()
            .filter(
                recipient_id=recipient_id,
                read_at__isnull=True,
                emailed_at__isnull=True,
                created_at__lt=now,
            )
            .order_by("created_at", "pk")
        )
        if not pending:
            return False
        recipient = User.objects.get(pk=recipient_id)
        lines = []
        for notification in pending:
            link = _absolute(notification.url)
            lines.append(f"- {notification.message}" + (f"\n  {link}" if link else ""))
        count = len(pending)
        noun = "notification" if count == 1 else "notifications"
        body = (
            f"Hello {recipient.get_short_name()},\n\n"
            f"Here is what happened on OpenHours since your last summary:\n\n"
            + "\n".join(lines)
            + f"\n\nSee them all: {settings.SITE_URL}/notifications/\n"
            + _footer()
        )
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=now)
        try:
            # Sent inside the transaction on purpose: if the mail server refuses, the
            # emailed_at marks roll back and tomorrow's run tries again.
            mail.send(
                recipient.email, f"Your daily summary: {count} new {noun}", body, kind="digest"
            )
        except Exception:
            logger.exception("Could not send the notification digest to user %s", recipient_id)
            transaction.set_rollback(True)
            return False
    return True


def _absolute(url: str) -> str:
    if url.startswith("/") and not url.startswith("//"):
        return settings.SITE_URL + url
    return ""


def _subject_line(message: str) -> str:
    return shorten(" ".join(message.split()), 120)


def _footer() -> str:
    return (
        "\nYou can choose whether OpenHours emails you straight away, once a day or never:\n"
        f"{settings.SITE_URL}/notifications/settings/\n"
    )
