"""Request types for views behind member_required, so views read request.user as a User.

It lives with ``User`` and ``member_required`` in ``accounts``, so ``core`` imports no app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from .models import User


class MemberRequest(HttpRequest):
    user: User
    htmx: HtmxDetails
