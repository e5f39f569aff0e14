"""Writes a member makes in ``insight``: whether they may be named as a boundary spanner."""

from __future__ import annotations

from django.db import transaction

from openhours.accounts.models import User

from .models import NamingPreference


def set_naming_preference(*, user: User, may_be_named: bool) -> NamingPreference:
    with transaction.atomic():
        preference, _ = NamingPreference.objects.select_for_update().get_or_create(user=user)
        preference.may_be_named = may_be_named
        preference.save()
    return preference


def may_be_named(user: User) -> bool:
    preference = NamingPreference.objects.filter(user=user).first()
    return preference.may_be_named if preference else True
