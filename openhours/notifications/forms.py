from __future__ import annotations

from django import forms

from .models import EmailPreference


class EmailPreferenceForm(forms.Form):
    email = forms.ChoiceField(
        label="How should we email you?",
        choices=[
            (
                EmailPreference.IMMEDIATE,
                "Straight away, when something needs me to act (recommended)",
            ),
            (EmailPreference.DIGEST, "Once a day: one summary of everything I haven't read"),
            (EmailPreference.OFF, "Never: I'll check OpenHours myself"),
        ],
        widget=forms.RadioSelect,
        help_text=(
            "Something needs you to act when, for example, someone offers to help with your "
            "request or asks you to confirm the hours you spent together."
        ),
        error_messages={
            "required": "Choose how often we should email you.",
            "invalid_choice": "Choose one of the three options.",
        },
    )
