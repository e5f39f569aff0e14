from __future__ import annotations

from django.http import HttpRequest

from .selectors import unread_count


def unread(request: HttpRequest) -> dict[str, int]:
    """``unread_notifications`` for the header badge: one indexed COUNT, members only."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_approved:
        return {"unread_notifications": 0}
    return {"unread_notifications": unread_count(user)}
