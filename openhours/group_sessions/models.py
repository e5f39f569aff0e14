"""Group sessions: one giver, several attendees (a teaching session, a QI workshop).

Models hold fields, constraints and small properties; the workflow lives in services.py.
The database backs every rule it can see on one row; a trigger (migration
0002_giver_is_never_an_attendee) backs the one that spans two tables.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Mod

from openhours.core.models import AppendOnlyModel, AppendOnlyQuerySet
from openhours.ledger.models import Transfer
from openhours.posts.models import Post

QUARTER_HOUR = 15
MAX_SESSION_MINUTES = 8 * 60
MAX_CAPACITY = 200


class SessionStatus(models.TextChoices):
    OPEN = "open", "Open for sign-ups"
    DELIVERED = "delivered", "Delivered, awaiting confirmation"
    SETTLED = "settled", "Settled"
    CLOSED = "closed", "Closed without credits"
    CANCELLED = "cancelled", "Cancelled"


# States in which the giver has recorded what happened.
DELIVERY_RECORDED = [SessionStatus.DELIVERED, SessionStatus.SETTLED, SessionStatus.CLOSED]
FINISHED = [SessionStatus.SETTLED, SessionStatus.CLOSED, SessionStatus.CANCELLED]


class AttendanceStatus(models.TextChoices):
    SIGNED_UP = "signed_up", "Signed up"
    WITHDRAWN = "withdrawn", "Withdrew"
    ABSENT = "absent", "Did not attend"
    ATTENDED = "attended", "Attended, not yet confirmed"
    CONFIRMED = "confirmed", "Confirmed"
    DISPUTED = "disputed", "Disputed"
    REMOVED = "removed", "Removed by a coordinator"


# Attendances still taking part: counted against capacity while open, paid on settlement.
ACTIVE_BEFORE_DELIVERY = [AttendanceStatus.SIGNED_UP]
MARKED_PRESENT = [AttendanceStatus.ATTENDED, AttendanceStatus.CONFIRMED]


def _quarter_hours(field: str) -> Q:
    return Q(**{f"{field}__gte": QUARTER_HOUR, f"{field}__lte": MAX_SESSION_MINUTES}) & Q(
        models.lookups.Exact(Mod(field, QUARTER_HOUR), 0)
    )


class GroupSession(models.Model):
    giver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sessions_given"
    )
    offer = models.ForeignKey(
        Post,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="group_sessions",
        help_text="The giver's offer this session delivers, if any.",
    )
    title = models.CharField(max_length=140)
    description = models.TextField(max_length=5000)
    starts_at = models.DateTimeField()
    planned_minutes = models.PositiveIntegerField()
    capacity = models.PositiveIntegerField()
    online = models.BooleanField(default=True)
    location = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=10, choices=SessionStatus.choices, default=SessionStatus.OPEN
    )
    created_at = models.DateTimeField()
    # Recorded by the giver after the session.
    delivered_minutes = models.PositiveIntegerField(null=True, blank=True)
    preparation_minutes = models.PositiveIntegerField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    # Settled (credits moved), closed (nobody left to pay) or cancelled.
    finished_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(max_length=1000, blank=True)
    transfer = models.OneToOneField(
        Transfer,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="group_session",
    )
    # Why settlement could not finish (the ledger refused it); shown to coordinators, who
    # resolve it. Empty when nothing needs them.
    needs_attention = models.TextField(max_length=1000, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["status", "starts_at"], name="group_sess_status_starts"),
            models.Index(fields=["status", "delivered_at"], name="group_sess_status_delivered"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=SessionStatus.values), name="group_session_status_valid"
            ),
            models.CheckConstraint(
                condition=_quarter_hours("planned_minutes"),
                name="group_session_planned_quarter_hours",
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1, capacity__lte=MAX_CAPACITY),
                name="group_session_capacity_in_range",
            ),
            models.CheckConstraint(
                condition=Q(online=True) | ~Q(location=""),
                name="group_session_location_when_in_person",
            ),
            models.CheckConstraint(
                condition=(
                    Q(delivered_minutes__isnull=True)
                    & Q(preparation_minutes__isnull=True)
                    & Q(delivered_at__isnull=True)
                )
                | (
                    _quarter_hours("delivered_minutes")
                    & Q(preparation_minutes__gte=0)
                    & Q(preparation_minutes__lte=models.F("delivered_minutes"))
                    & Q(models.lookups.Exact(Mod("preparation_minutes", QUARTER_HOUR), 0))
                    & Q(delivered_at__isnull=False)
                ),
                name="group_session_delivery_recorded_together",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=DELIVERY_RECORDED) | Q(delivered_at__isnull=False),
                name="group_session_delivered_has_delivery",
            ),
            models.CheckConstraint(
                condition=~Q(status=SessionStatus.OPEN) | Q(delivered_at__isnull=True),
                name="group_session_open_not_delivered",
            ),
            models.CheckConstraint(
                condition=Q(status__in=FINISHED, finished_at__isnull=False)
                | (~Q(status__in=FINISHED) & Q(finished_at__isnull=True)),
                name="group_session_finished_has_time",
            ),
            models.CheckConstraint(
                condition=(Q(status=SessionStatus.SETTLED) & Q(transfer__isnull=False))
                | (~Q(status=SessionStatus.SETTLED) & Q(transfer__isnull=True)),
                name="group_session_settled_iff_transfer",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == SessionStatus.OPEN

    @property
    def is_delivered(self) -> bool:
        return self.status == SessionStatus.DELIVERED

    @property
    def reference(self) -> str:
        """How the ledger names this session's transfer (docs/ledger.md)."""
        return f"session:{self.pk}"


class Attendance(models.Model):
    """One member's place in one session, from sign-up to their confirmation."""

    session = models.ForeignKey(GroupSession, on_delete=models.PROTECT, related_name="attendances")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="session_attendances"
    )
    status = models.CharField(
        max_length=10, choices=AttendanceStatus.choices, default=AttendanceStatus.SIGNED_UP
    )
    signed_up_at = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True)
    # Confirmed on the member's behalf by settle_group_sessions after the waiting period.
    confirmed_automatically = models.BooleanField(default=False)
    reason = models.TextField(
        max_length=1000, blank=True, help_text="Why the member disputed, or was removed."
    )
    # Set at settlement: True when this member paid, False when the ledger refused their
    # payment (below the lower limit) and they were left out. Null before settlement.
    charged = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["signed_up_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "member"], name="group_session_one_attendance_per_member"
            ),
            models.CheckConstraint(
                condition=Q(status__in=AttendanceStatus.values),
                name="group_attendance_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[AttendanceStatus.DISPUTED, AttendanceStatus.REMOVED])
                | ~Q(reason=""),
                name="group_attendance_reason_when_disputed_or_removed",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[AttendanceStatus.CONFIRMED, AttendanceStatus.DISPUTED])
                | Q(responded_at__isnull=False),
                name="group_attendance_response_has_time",
            ),
            models.CheckConstraint(
                condition=Q(charged__isnull=True) | Q(status=AttendanceStatus.CONFIRMED),
                name="group_attendance_only_confirmed_are_charged",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} at {self.session}"


class EventVerb(models.TextChoices):
    CREATED = "created", "Created the session"
    SIGNED_UP = "signed_up", "Signed up"
    WITHDREW = "withdrew", "Withdrew"
    CANCELLED = "cancelled", "Cancelled the session"
    DELIVERED = "delivered", "Recorded delivery"
    CONFIRMED = "confirmed", "Confirmed attendance"
    AUTO_CONFIRMED = "auto_confirmed", "Attendance confirmed automatically"
    DISPUTED = "disputed", "Disputed attendance"
    REMOVED = "removed", "Removed an attendee"
    LEFT_OUT = "left_out", "Left out of payment (limit)"
    BLOCKED = "blocked", "Settlement refused by the ledger"
    SETTLED = "settled", "Settled"
    CLOSED = "closed", "Closed without credits"


class SessionEvent(AppendOnlyModel):
    """Who did what to a session, and when. Append-only (a trigger refuses UPDATE)."""

    session = models.ForeignKey(GroupSession, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty when the system acted (automatic confirmation, settlement).",
    )
    verb = models.CharField(max_length=16, choices=EventVerb.choices)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The attendee the event is about, if any.",
    )
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(verb__in=EventVerb.values), name="group_session_event_verb_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_verb_display()} ({self.created_at:%Y-%m-%d %H:%M})"
