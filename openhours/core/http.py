"""Request types for views behind member_required, so views read request.user as a User."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from openhours.accounts.models import User


class MemberRequest(HttpRequest):
    user: User
    htmx: HtmxDetails
