from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from openhours.accounts.models import User
from openhours.core.minutes import QUARTER_HOURS_HINT, QuarterHoursField, hours_to_minutes
from openhours.posts.models import Kind, Post
from openhours.posts.models import Status as PostStatus

from .models import MAX_CAPACITY, MAX_SESSION_MINUTES
from .services import SessionDetails

MAX_HOURS = Decimal(MAX_SESSION_MINUTES) / 60


class SessionForm(forms.Form):
    title = forms.CharField(
        max_length=140, help_text="One line, for example: QI for beginners: PDSA cycles."
    )
    description = forms.CharField(
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What you will cover, who it is for and anything to bring or read first.",
    )
    offer = forms.ModelChoiceField(
        label="Linked offer (optional)",
        queryset=Post.objects.none(),
        required=False,
        empty_label="Not linked to an offer",
        help_text="If this session delivers one of your offers, choose it.",
    )
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(
        label="Start time", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    planned_hours = QuarterHoursField(
        label="Length (hours)",
        help_text="In quarter hours: 0.25, 0.5, 1, 1.5 … up to 8.",
        max_hours=MAX_HOURS,
    )
    capacity = forms.IntegerField(
        label="Places",
        min_value=1,
        max_value=MAX_CAPACITY,
        help_text="The most people who can attend.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    online = forms.BooleanField(label="This session is online", required=False, initial=True)
    location = forms.CharField(
        max_length=200,
        required=False,
        help_text="Needed if it is in person, for example: Education Centre, Southmead Hospital.",
    )

    def __init__(self, *args: Any, giver: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offers: QuerySet[Post] = Post.objects.filter(
            author=giver, kind=Kind.OFFER, status=PostStatus.OPEN
        ).order_by("-created_at")
        self.fields["offer"].queryset = offers  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("online") and not (data.get("location") or "").strip():
            self.add_error("location", "Say where it will happen, or tick that it is online.")
        return data

    def details(self) -> SessionDetails:
        data = self.cleaned_data
        starts_at = timezone.make_aware(datetime.combine(data["date"], data["time"]))
        return SessionDetails(
            title=data["title"],
            description=data["description"],
            starts_at=starts_at,
            planned_minutes=hours_to_minutes(data["planned_hours"]),
            capacity=data["capacity"],
            online=data["online"],
            location=data["location"],
            offer=data["offer"],
        )


class DeliveryForm(forms.Form):
    delivered_hours = QuarterHoursField(
        label="How long did it run (hours)?", help_text=QUARTER_HOURS_HINT, max_hours=MAX_HOURS
    )
    preparation_hours = QuarterHoursField(
        label="Preparation time (hours)",
        help_text="In quarter hours, or 0. Paid once, up to the length of the session.",
        min_hours="0",
        max_hours=MAX_HOURS,
    )
    attendees = forms.ModelMultipleChoiceField(
        label="Who attended?",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick everyone who was there. Each will be asked to confirm.",
        error_messages={"required": "Tick at least one attendee."},
    )

    def __init__(self, *args: Any, signed_up: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["attendees"]
        field.queryset = signed_up  # type: ignore[attr-defined]
        field.label_from_instance = lambda user: user.full_name  # type: ignore[attr-defined]

    @property
    def delivered_minutes(self) -> int:
        return hours_to_minutes(self.cleaned_data["delivered_hours"])

    @property
    def preparation_minutes(self) -> int:
        return hours_to_minutes(self.cleaned_data["preparation_hours"])


class ReasonForm(forms.Form):
    """Dispute (reason required) and the giver's cancellation (message optional)."""

    reason = forms.CharField(
        max_length=1000, widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, label: str, help_text: str, required: bool, **kw: Any):
        super().__init__(*args, **kw)
        field = self.fields["reason"]
        field.label, field.help_text, field.required = label, help_text, required


class ResolveForm(forms.Form):
    REMOVE = "remove"
    CANCEL = "cancel"
    action = forms.ChoiceField(
        label="What should happen?",
        choices=[
            (REMOVE, "Remove one attendee (they won't be charged)"),
            (CANCEL, "Cancel the whole session (nobody is charged)"),
        ],
        widget=forms.RadioSelect,
    )
    member = forms.ModelChoiceField(
        label="Attendee to remove",
        queryset=User.objects.none(),
        required=False,
        empty_label="Choose an attendee",
    )
    reason = forms.CharField(
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept in the session's history and shown to the people affected.",
    )

    def __init__(self, *args: Any, members: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["member"]
        field.queryset = members  # type: ignore[attr-defined]
        field.label_from_instance = lambda user: user.full_name  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == self.REMOVE and not data.get("member"):
            self.add_error("member", "Choose who to remove.")
        return data
