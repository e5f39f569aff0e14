"""How long a sign-in lasts: ended after a spell of inactivity, and in any case after a
fixed lifetime (``SESSION_COOKIE_AGE``, counted from sign-in)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

LAST_SEEN = "openhours_last_seen"
# The time of the last request is written at most this often, so browsing doesn't write
# the session on every page (a GET stays a read).
RECORD_EVERY = 300


@receiver(user_logged_in)
def _signed_in(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN] = int(time.time())


class IdleTimeout:
    """Signs a member out after ``OPENHOURS_SESSION_IDLE_MINUTES`` without a request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_SEEN)
            idle = settings.OPENHOURS_SESSION_IDLE_MINUTES * 60
            if isinstance(last, int) and now - last > idle:
                logout(request)
                messages.info(
                    request,
                    "You were signed out after a while without using OpenHours. "
                    "Sign in again to carry on.",
                )
                return redirect_to_login(request.get_full_path())
            if not isinstance(last, int) or now - last >= RECORD_EVERY:
                request.session[LAST_SEEN] = now
        return self.get_response(request)
