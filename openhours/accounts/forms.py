from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest


class SignupDetailsForm(forms.Form):
    """Extra fields on allauth's sign-up form: the member's name."""

    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        help_text="As colleagues know you, for example Priya Shah.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    field_order = ["full_name", "email", "password1", "password2"]

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if len(name) < 2:
            raise forms.ValidationError("Enter your name so colleagues can recognise you.")
        return name

    def signup(self, request: HttpRequest, user: Any) -> None:
        user.full_name = self.cleaned_data["full_name"]
        user.save(update_fields=["full_name"])
