"""Offers of help and requests for help."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from openhours.members.models import Category, Skill
from openhours.organisations.models import Place


class Kind(models.TextChoices):
    OFFER = "offer", "Offer"
    REQUEST = "request", "Request"


class Status(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
    EXPIRED = "expired", "Expired"


class PostMode(models.TextChoices):
    ANY = "any", "Any way that suits"
    VIDEO = "video", "Video call"
    PHONE = "phone", "Phone"
    IN_PERSON = "in_person", "In person"
    WRITTEN = "written", "Written (email or documents)"


class Post(models.Model):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    title = models.CharField(max_length=140)
    description = models.TextField(max_length=5000)
    category = models.CharField(max_length=24, choices=Category.choices)
    skills = models.ManyToManyField(Skill, blank=True, related_name="posts")
    mode = models.CharField(max_length=10, choices=PostMode.choices, default=PostMode.ANY)
    estimated_minutes = models.PositiveIntegerField(
        help_text="Estimated time in minutes; shown in hours."
    )
    online = models.BooleanField(default=True)
    location = models.CharField(max_length=200, blank=True)
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="posts"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(db_index=True)
    updated_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["status", "kind", "-created_at"], name="posts_status_kind_created"
            ),
            models.Index(fields=["status", "expires_at"], name="posts_status_expires"),
            # The browse page's order within a status, so a page of search results walks
            # the newest open posts and stops at 20 matches instead of sorting them all.
            models.Index(fields=["status", "-created_at", "-id"], name="posts_status_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=Kind.values), name="posts_post_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="posts_post_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(estimated_minutes__gte=15, estimated_minutes__lte=100 * 60),
                name="posts_post_minutes_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(online=True) | ~models.Q(location=""),
                name="posts_post_location_when_in_person",
            ),
            models.CheckConstraint(
                condition=models.Q(status="open") | models.Q(closed_at__isnull=False),
                name="posts_post_closed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == Status.OPEN

    @property
    def estimated_hours(self) -> float:
        return self.estimated_minutes / 60
