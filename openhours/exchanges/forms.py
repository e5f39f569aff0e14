from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from openhours.accounts.models import User
from openhours.core.minutes import QuarterHoursField, hours_to_minutes
from openhours.members.forms import MemberField

from .models import Helped


def to_minutes(hours: Decimal | None) -> int | None:
    """Hours from an optional field as integer minutes (None when left blank)."""
    return None if hours is None else hours_to_minutes(hours)


class ProposeForm(forms.Form):
    # One key per form shown: posting the same form again starts no second exchange.
    proposal_key = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": "This form is out of date. Check the details and send it again.",
            "invalid": "This form is out of date. Check the details and send it again.",
        },
    )
    message = forms.CharField(
        label="Message",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="A short hello: what you can offer or what you hope for, and when suits you.",
    )
    estimated_hours = QuarterHoursField(
        label="Estimated time (hours, optional)",
        required=False,
        help_text="Leave blank to use the post's estimate. In quarter hours: 0.25, 0.5, 1 …",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("proposal_key", uuid.uuid4())
        super().__init__(*args, **kwargs)

    def estimated_minutes(self) -> int | None:
        return to_minutes(self.cleaned_data["estimated_hours"])

    def key(self, user: User) -> str:
        return f"web:propose:{user.pk}:{self.cleaned_data['proposal_key']}"


class StartExchangeForm(ProposeForm):
    direction = forms.ChoiceField(
        label="Who gives the time?",
        choices=[("give", "I'll help them"), ("receive", "I'd like their help")],
        widget=forms.RadioSelect,
    )
    title = forms.CharField(
        label="What is it about?",
        max_length=140,
        help_text="One line, for example: A review of our audit plan.",
    )
    field_order = ["direction", "title", "message", "estimated_hours", "proposal_key"]


class DeliverForm(forms.Form):
    hours = QuarterHoursField(label="Time given (hours)")
    delivered_on = forms.DateField(
        label="Date", widget=forms.DateInput(attrs={"type": "date"}), required=False
    )
    note = forms.CharField(
        label="Note (optional)", max_length=1000, required=False, widget=forms.Textarea({"rows": 2})
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["delivered_on"].initial = timezone.localdate()


class CorrectionForm(forms.Form):
    hours = QuarterHoursField(label="The time it should be (hours)")
    reason = forms.CharField(
        label="Why?", max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReasonForm(forms.Form):
    """A reason for a decline, cancellation, dispute or rejection; required where it must be."""

    reason = forms.CharField(
        label="Reason", max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: object, required: bool = True, label: str = "", **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["reason"]
        field.required = required
        if label:
            field.label = label


class MessageForm(forms.Form):
    body = forms.CharField(
        label="Your message", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ThanksForm(forms.Form):
    body = forms.CharField(
        label="Your thanks",
        max_length=280,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 280}),
        help_text="A few words the other person will see. Up to 280 characters.",
    )


class FeedbackForm(forms.Form):
    helped = forms.ChoiceField(
        label="Did this exchange help?", choices=Helped.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label="Anything to add? (optional)",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only coordinators read this.",
    )


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[("confirm", "Confirm the exchange"), ("cancel", "Cancel it: no credits move")],
        widget=forms.RadioSelect,
    )
    hours = QuarterHoursField(
        label="Time to confirm (hours)",
        required=False,
        help_text="Needed to confirm. In quarter hours: 0.25, 0.5, 1, 1.5 …",
    )
    reason = forms.CharField(
        label="Your reasoning",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Both members see this.",
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("outcome") == "confirm" and data.get("hours") is None:
            self.add_error("hours", "Say how much time to confirm.")
        return data


class OfflineExchangeForm(forms.Form):
    giver = MemberField(label="Who gave the time?")
    receiver = MemberField(label="Who received it?")
    hours = QuarterHoursField(label="Time given (hours)")
    delivered_on = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label="What was it about?", max_length=140)
    description = forms.CharField(
        label="Description (optional)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason = forms.CharField(
        label="Why are you recording it?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: both members are offline; recorded from the paper log.",
    )
