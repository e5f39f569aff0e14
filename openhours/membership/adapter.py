"""How django-allauth fits OpenHours' membership rules."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest

from openhours.accounts.services import approval_for_email

from . import services


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return bool(settings.OPENHOURS_SIGNUP_OPEN)

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user = super().save_user(request, user, form, commit=False)
        user.email = user.email.lower()
        if commit:
            # Approval state, and the joining grant when that approves them, in one go.
            services.join(user=user)
        else:
            # No OpenHours flow asks for this; whoever does must save the user through
            # membership.services.join, or there will be no joining grant.
            user.approval = approval_for_email(user.email)
        return user
