from __future__ import annotations

from typing import Any

from .models import Post


def can_edit_post(user: Any, post: Post) -> bool:
    """The author or a coordinator. Everyone else, including other members, is refused."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.pk == post.author_id or user.is_coordinator)
