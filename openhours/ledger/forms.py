"""Forms for the ledger's pages. They collect input; the services decide what is allowed.

Every form that moves credits carries a hidden ``idempotency_key``: a UUID made when the
form is first shown, so a double click or a retried request posts once. The view turns it
into the ledger key (``web:<action>:<user id>:<uuid>``), so one member's key can never
collide with another's, or with a key the system derives (``joining-grant:<id>``).
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.http import QueryDict

from openhours.accounts.models import User
from openhours.core.minutes import quarter_hour_steps
from openhours.members.forms import MemberField

# Hours a single form may move: the upper limit's default, and well past any real donation.
MAX_HOURS = 100
MINUTE_STEPS = quarter_hour_steps()


class KeyedForm(forms.Form):
    idempotency_key = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": "This form is out of date. Check the details and submit it again.",
            "invalid": "This form is out of date. Check the details and submit it again.",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("idempotency_key", uuid.uuid4())
        super().__init__(*args, **kwargs)

    def ledger_key(self, *, action: str, user: User) -> str:
        return f"web:{action}:{user.pk}:{self.cleaned_data['idempotency_key']}"

    def renew_key(self) -> None:
        """Give a re-shown form a new key: the old one may already name a posted transfer
        (a member who went back and changed the amount), and nothing was posted this time."""
        if self.is_bound:
            data = QueryDict(mutable=True)
            data.update(self.data)
            data[self.add_prefix("idempotency_key")] = str(uuid.uuid4())
            self.data = data


class AmountMixin(forms.Form):
    """Hours and a quarter-hour step, so amounts are entered the way people say them."""

    hours = forms.IntegerField(
        min_value=0,
        max_value=MAX_HOURS,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    minutes = forms.TypedChoiceField(choices=MINUTE_STEPS, coerce=int, initial=0)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        hours, minutes = data.get("hours"), data.get("minutes")
        if hours is not None and minutes is not None and hours * 60 + minutes == 0:
            self.add_error("hours", "Choose how much time: at least 15 minutes.")
        elif hours == MAX_HOURS and minutes:
            self.add_error("hours", f"At most {MAX_HOURS} hours at a time.")
        return data

    def amount(self) -> int:
        """The amount in minutes."""
        return int(self.cleaned_data["hours"]) * 60 + int(self.cleaned_data["minutes"])


POOL, COLLEAGUE = "pool", "colleague"


class DonateForm(AmountMixin, KeyedForm):
    recipient = forms.ChoiceField(
        label="Who to give to",
        choices=[(POOL, "The community pool"), (COLLEAGUE, "A colleague")],
        initial=POOL,
        widget=forms.RadioSelect,
        help_text="The community pool funds help for members who can't yet pay for it.",
        error_messages={"required": "Choose the community pool or a colleague."},
    )
    to_user = MemberField(
        label="Which colleague?",
        required=False,
        error_messages={"excluded": "You can't give credits to yourself."},
    )
    memo = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=200,
        help_text="Shown on both statements, for example: Thanks for covering the audit.",
    )

    field_order = ["recipient", "to_user", "hours", "minutes", "memo", "idempotency_key"]

    def __init__(self, *args: Any, donor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_user"].exclude = donor  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("recipient") == POOL:
            # The pool is chosen, so whatever is left in the colleague box doesn't count.
            self.errors.pop("to_user", None)
            data["to_user"] = None
        elif (
            data.get("recipient") == COLLEAGUE
            and not self.has_error("to_user")
            and data.get("to_user") is None
        ):
            self.add_error("to_user", "Choose a colleague, or give to the community pool.")
        return data

    def recipient_name(self) -> str:
        """Who the (valid) form gives to, in words: a colleague's name or the pool."""
        to_user: User | None = self.cleaned_data["to_user"]
        return to_user.full_name if to_user is not None else "the community pool"


class ReasonMixin(forms.Form):
    reason = forms.CharField(
        max_length=400,
        help_text="Kept with the transfer and in the audit log.",
        error_messages={"required": "Give a reason; it is kept in the audit log."},
    )


class GrantForm(AmountMixin, ReasonMixin, KeyedForm):
    to_user = MemberField(
        label="Member", error_messages={"excluded": "You can't grant credits to yourself."}
    )

    field_order = ["to_user", "hours", "minutes", "reason", "idempotency_key"]

    def __init__(self, *args: Any, coordinator: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_user"].exclude = coordinator  # type: ignore[attr-defined]


class TopUpForm(AmountMixin, ReasonMixin, KeyedForm):
    field_order = ["hours", "minutes", "reason", "idempotency_key"]


class AdjustForm(ReasonMixin, KeyedForm):
    user = MemberField(
        label="Member",
        error_messages={"excluded": "You can't adjust your own balance."},
    )
    minutes = forms.IntegerField(
        label="Change in minutes",
        min_value=-MAX_HOURS * 60,
        max_value=MAX_HOURS * 60,
        help_text="Positive adds credits, negative takes them away: for example 90 or -30.",
        widget=forms.NumberInput(attrs={"inputmode": "text"}),
    )
    override_lower_limit = forms.BooleanField(
        label="Post it even if it takes the member below the lower limit",
        required=False,
    )

    field_order = ["user", "minutes", "reason", "override_lower_limit", "idempotency_key"]

    def __init__(self, *args: Any, coordinator: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].exclude = coordinator  # type: ignore[attr-defined]

    def clean_minutes(self) -> int:
        minutes = int(self.cleaned_data["minutes"])
        if minutes == 0:
            raise forms.ValidationError("An adjustment must change the balance.")
        return minutes


class ReverseForm(ReasonMixin, KeyedForm):
    override_lower_limit = forms.BooleanField(
        label="Post it even if it takes someone below the lower limit",
        required=False,
    )

    field_order = ["reason", "override_lower_limit", "idempotency_key"]


class FindTransferForm(forms.Form):
    transfer = forms.IntegerField(
        label="Transfer number",
        min_value=1,
        help_text="Shown as # on statements and in the audit log.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
