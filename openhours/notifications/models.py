"""In-app notifications and each member's choice of email about them."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class EmailPreference(models.TextChoices):
    IMMEDIATE = "immediate", "Straight away"
    DIGEST = "digest", "Once a day, in a single summary"
    OFF = "off", "Never: I'll check OpenHours myself"


class Notification(models.Model):
    """Something a member should know about. Rows are disposable, not a record: they go
    with their recipient (CASCADE); the ledger's audit trail is the record of what happened.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verb = models.CharField(max_length=64, help_text='A machine code, e.g. "exchange.proposed".')
    message = models.CharField(max_length=500)
    url = models.CharField(max_length=500, blank=True, help_text="A site-relative path.")
    needs_action = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # Serves the header's unread count on every page: recipient = ? AND read_at IS NULL.
            models.Index(fields=["recipient", "read_at"], name="notif_recipient_read"),
            models.Index(fields=["recipient", "-created_at"], name="notif_recipient_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(verb=""), name="notifications_notification_verb_present"
            ),
            models.CheckConstraint(
                condition=models.Q(actor__isnull=True) | ~models.Q(actor=models.F("recipient")),
                name="notifications_notification_not_own_action",
            ),
        ]

    def __str__(self) -> str:
        return self.message

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NotificationPreference(models.Model):
    """A member's email choice. No row means the default, ``immediate``."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.CharField(
        max_length=16, choices=EmailPreference.choices, default=EmailPreference.IMMEDIATE
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(email__in=EmailPreference.values),
                name="notifications_preference_email_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_email_display()}"
