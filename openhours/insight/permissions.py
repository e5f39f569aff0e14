"""Who may see insight: coordinators and system leaders; names of members only coordinators."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from openhours.accounts.models import Role, User
from openhours.accounts.permissions import View, Viewer

READERS = (Role.COORDINATOR, Role.LEADER)


def can_read_insight(user: Viewer) -> bool:
    return isinstance(user, User) and user.is_approved_member and user.role in READERS


def sees_small_numbers(user: Viewer) -> bool:
    """Coordinators run the time bank and see exact figures; everyone else sees them
    suppressed below five people."""
    return isinstance(user, User) and user.is_coordinator


def insight_reader_required(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_read_insight(request.user):
            raise PermissionDenied("Only coordinators and system leaders can open insight.")
        return view(request, *args, **kwargs)

    return wrapper
