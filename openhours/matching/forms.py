from __future__ import annotations

from django import forms


class InviteForm(forms.Form):
    """Whom to invite: a member id from the row's hidden input, checked by the service."""

    member = forms.IntegerField(min_value=1)
    next = forms.CharField(required=False, max_length=200)
