"""Every email OpenHours itself writes goes out through :func:`send` (allauth's account
emails go through allauth): one sender, one subject prefix, counted for the metrics."""

from __future__ import annotations

from django.core.mail import send_mail

from .metrics import EMAILS

SUBJECT_PREFIX = "[OpenHours] "


def send(address: str, subject: str, body: str, *, kind: str) -> None:
    """One plain-text email from the site's default sender. Raises what the mail server
    raises (the caller's task retries), after counting the failure."""
    try:
        send_mail(
            subject=SUBJECT_PREFIX + subject,
            message=body,
            from_email=None,
            recipient_list=[address],
        )
    except Exception:
        EMAILS.labels(kind=kind, outcome="failed").inc()
        raise
    EMAILS.labels(kind=kind, outcome="sent").inc()
