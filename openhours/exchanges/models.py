"""One-to-one exchanges of time: who gives, who receives, where it has got to, and why.

An exchange changes state only through ``openhours.exchanges.services``; every change is
written to ``ExchangeEvent`` (append-only) in the same transaction. The database backs
the rules that must never break whatever the code does: two different people, a valid
state, time in positive quarter hours, and credits posted exactly when confirmed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models.functions import Mod
from django.db.models.lookups import Exact

from openhours.accounts.models import User
from openhours.core.models import AppendOnlyModel, AppendOnlyQuerySet
from openhours.ledger.models import Transfer
from openhours.posts.models import Post

if TYPE_CHECKING:
    # Annotations only: accounts.permissions loads auth views, which models need not import.
    from openhours.accounts.permissions import Viewer

# A hard ceiling in the database; the working maximum is OPENHOURS_EXCHANGE_MAX_MINUTES.
MINUTES_CEILING = 100 * 60


class State(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACCEPTED = "accepted", "Agreed"
    DECLINED = "declined", "Declined"
    DELIVERED = "delivered", "Time recorded"
    CORRECTION_PROPOSED = "correction_proposed", "Correction suggested"
    DISPUTED = "disputed", "Disputed"
    CONFIRMED = "confirmed", "Confirmed"
    CANCELLED = "cancelled", "Cancelled"


ACTIVE_STATES = (
    State.PROPOSED,
    State.ACCEPTED,
    State.DELIVERED,
    State.CORRECTION_PROPOSED,
    State.DISPUTED,
)
FINISHED_STATES = (State.CONFIRMED, State.DECLINED, State.CANCELLED)
# States in which the giver has recorded time, so ``minutes`` must be set.
TIME_RECORDED_STATES = (
    State.DELIVERED,
    State.CORRECTION_PROPOSED,
    State.DISPUTED,
    State.CONFIRMED,
)


def _quarter_hours(field: str) -> models.Q:
    """NULL, or a positive multiple of 15 minutes no bigger than the ceiling."""
    return models.Q(**{f"{field}__isnull": True}) | (
        models.Q(**{f"{field}__gt": 0, f"{field}__lte": MINUTES_CEILING})
        & models.Q(Exact(Mod(field, 15), 0))
    )


class Exchange(models.Model):
    giver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="exchanges_given"
    )
    receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="exchanges_received"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Set when a coordinator recorded the exchange for members who are offline.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="exchanges"
    )
    repeat_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="repeats"
    )
    title = models.CharField(max_length=140)
    description = models.TextField(max_length=2000, blank=True)
    state = models.CharField(max_length=24, choices=State.choices, default=State.PROPOSED)
    estimated_minutes = models.PositiveIntegerField(null=True, blank=True)
    # Recorded by the giver; then the corrected, resolved or confirmed figure.
    minutes = models.PositiveIntegerField(null=True, blank=True)
    delivered_on = models.DateField(null=True, blank=True)
    corrected_minutes = models.PositiveIntegerField(null=True, blank=True)
    correction_reason = models.TextField(max_length=1000, blank=True)
    transfer = models.OneToOneField(
        Transfer, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The proposing form's key ("web:start:<member>:<uuid>"): a form posted twice (a double
    # click, a retry after a lost answer) finds the exchange it started instead of another.
    proposal_key = models.CharField(max_length=100, null=True, blank=True, unique=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    disputed_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "delivered_at"], name="exchanges_state_delivered"),
            models.Index(fields=["giver", "-updated_at"], name="exchanges_giver_updated"),
            models.Index(fields=["receiver", "-updated_at"], name="exchanges_receiver_updated"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(giver=models.F("receiver")),
                name="exchanges_giver_is_not_receiver",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=State.values), name="exchanges_state_valid"
            ),
            models.CheckConstraint(
                condition=_quarter_hours("minutes"), name="exchanges_minutes_quarter_hours"
            ),
            models.CheckConstraint(
                condition=_quarter_hours("corrected_minutes"),
                name="exchanges_corrected_minutes_quarter_hours",
            ),
            models.CheckConstraint(
                condition=_quarter_hours("estimated_minutes"),
                name="exchanges_estimated_minutes_quarter_hours",
            ),
            models.CheckConstraint(
                condition=(models.Q(state=State.CONFIRMED) & models.Q(transfer__isnull=False))
                | (~models.Q(state=State.CONFIRMED) & models.Q(transfer__isnull=True)),
                name="exchanges_confirmed_iff_transfer",
            ),
            models.CheckConstraint(
                condition=~models.Q(state__in=TIME_RECORDED_STATES)
                | models.Q(minutes__isnull=False, delivered_at__isnull=False),
                name="exchanges_time_recorded_has_minutes",
            ),
            models.CheckConstraint(
                condition=~models.Q(state=State.CORRECTION_PROPOSED)
                | models.Q(corrected_minutes__isnull=False),
                name="exchanges_correction_has_minutes",
            ),
            models.CheckConstraint(
                condition=~models.Q(state=State.CONFIRMED) | models.Q(confirmed_at__isnull=False),
                name="exchanges_confirmed_has_time",
            ),
            models.CheckConstraint(
                condition=~models.Q(state=State.DISPUTED) | models.Q(disputed_at__isnull=False),
                name="exchanges_disputed_has_time",
            ),
            # One exchange in progress per pair and post: a double click, or a repeat while
            # the last one is still open, can't start a second.
            models.UniqueConstraint(
                fields=["post", "giver", "receiver"],
                condition=models.Q(post__isnull=False, state__in=ACTIVE_STATES),
                name="exchanges_one_active_per_post_and_pair",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def reference(self) -> str:
        """How the ledger refers to this exchange's transfer."""
        return f"exchange:{self.pk}"

    def is_party(self, user: Viewer) -> bool:
        return user.pk is not None and user.pk in {self.giver_id, self.receiver_id}

    def other_party(self, user: Viewer) -> User:
        return self.receiver if user.pk == self.giver_id else self.giver

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES


class ExchangeEvent(AppendOnlyModel):
    """One transition of one exchange: who moved it from which state to which, and why.

    ``actor`` is empty when the system acted (automatic confirmation). ``from_state`` is
    empty for the event that created the exchange.
    """

    exchange = models.ForeignKey(Exchange, on_delete=models.PROTECT, related_name="events")
    from_state = models.CharField(max_length=24, blank=True)
    to_state = models.CharField(max_length=24, choices=State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    minutes = models.PositiveIntegerField(null=True, blank=True)
    note = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField()

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(to_state__in=State.values), name="exchanges_event_to_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(from_state="") | models.Q(from_state__in=State.values),
                name="exchanges_event_from_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(from_state=models.F("to_state")),
                name="exchanges_event_changes_state",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_state or 'new'} → {self.to_state}"

    @property
    def to_state_label(self) -> str:
        return str(State(self.to_state).label)


class ExchangeMessage(models.Model):
    """The conversation between the two parties of an exchange."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="exchange_messages"
    )
    body = models.TextField(max_length=2000)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(body=""), name="exchanges_message_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return self.body[:40]


class Thanks(models.Model):
    """A short public thank-you from one party of a confirmed exchange to the other."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="thanks")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="thanks_given"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="thanks_received"
    )
    body = models.CharField(max_length=280)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["exchange", "author"], name="exchanges_one_thanks_per_party"
            ),
            models.CheckConstraint(
                condition=~models.Q(author=models.F("recipient")),
                name="exchanges_thanks_to_someone_else",
            ),
            models.CheckConstraint(condition=~models.Q(body=""), name="exchanges_thanks_not_empty"),
        ]

    def __str__(self) -> str:
        return self.body


class Helped(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"


class Feedback(models.Model):
    """Private feedback for coordinators: did this exchange help? Members never see others'."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="feedback")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="exchange_feedback"
    )
    helped = models.CharField(max_length=8, choices=Helped.choices)
    comment = models.TextField(max_length=1000, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["exchange", "author"], name="exchanges_one_feedback_per_party"
            ),
            models.CheckConstraint(
                condition=models.Q(helped__in=Helped.values), name="exchanges_feedback_helped_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_helped_display()}: {self.comment[:40]}"
