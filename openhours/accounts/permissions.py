"""Who may see what. Views call these; templates never decide access on their own."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeAlias

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect

from openhours.core.errors import DomainError

from .models import User

View = Callable[..., HttpResponseBase]

# Whoever is looking: a signed-in member or nobody. Every access function and selector that
# decides what someone may see takes one of these, never ``Any``, so an anonymous visitor
# is a case the type checker makes each of them consider.
Viewer: TypeAlias = User | AnonymousUser


def require_coordinator(actor: User, *, to: str) -> None:
    """Refuse anyone who may not act as a coordinator, in one shape for every service:
    ``DomainError("Only coordinators can <to>.")``.

    The rule is ``User.is_coordinator``: the role alone is not enough, so a coordinator
    whose account is waiting, declined or deactivated can't act, just as
    ``User.objects.coordinators()`` leaves them out of everything coordinators are told.
    """
    if not actor.is_coordinator:
        raise DomainError(f"Only coordinators can {to}.")


def member_required(view: View) -> View:
    """Signed in and approved. A pending member is sent to the waiting page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user.is_approved:
            return redirect("accounts:awaiting_approval")
        return view(request, *args, **kwargs)

    return wrapper


def coordinator_required(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user.is_coordinator:
            raise PermissionDenied("Only coordinators can open this page.")
        return view(request, *args, **kwargs)

    return wrapper
