"""Exchange blocks that pages owned by lower apps show: ``{% load exchanges %}``.

The home page (``home``) shows ``{% home_summary user %}``: what is waiting for the member
and where their credits stand.

The profile page belongs to ``members``, which sits below ``exchanges`` and never imports
it; its template loads this library instead, so the dependency points the right way in
Python and the thanks block is rendered by the app that owns thanks (docs/architecture.md).
"""

from __future__ import annotations

from typing import Any

from django import template

from openhours.accounts.models import User
from openhours.ledger.selectors import contribution

from ..selectors import exchanges_for_member, thanks_received

register = template.Library()

PROFILE_THANKS = 3


@register.inclusion_tag("exchanges/_profile_thanks.html")
def profile_thanks(member: User) -> dict[str, Any]:
    """The latest thank-you notes a member received; the template shows nothing if none."""
    return {"thanks": thanks_received(member, limit=PROFILE_THANKS), "member": member}


@register.inclusion_tag("exchanges/_home_summary.html")
def home_summary(member: User) -> dict[str, Any]:
    """How many exchanges wait for this member, and their given/received/balance figures."""
    return {
        "waiting": exchanges_for_member(member, show="action").count(),
        "contribution": contribution(member),
    }
