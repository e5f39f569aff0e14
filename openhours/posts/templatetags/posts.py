"""Post blocks that pages owned by lower apps show: ``{% load posts %}``.

The profile page belongs to ``members``, which sits below ``posts`` and never imports it;
its template loads this library instead, as it loads ``exchanges`` for thanks, so the
dependency points the right way in Python and the app that owns posts decides how a
member's open posts are listed (docs/architecture.md).
"""

from __future__ import annotations

from typing import Any

from django import template

from openhours.accounts.models import User

from ..selectors import open_posts_by

register = template.Library()

PROFILE_POSTS = 10


@register.inclusion_tag("posts/_profile_posts.html")
def profile_posts(member: User) -> dict[str, Any]:
    """A member's newest open offers and requests, or a line saying there are none."""
    return {"posts": open_posts_by(member, limit=PROFILE_POSTS)}
