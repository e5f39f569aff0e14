from __future__ import annotations

from openhours.accounts.models import User
from openhours.accounts.permissions import Viewer

from .models import Post


def can_edit_post(user: Viewer, post: Post) -> bool:
    """The author or a coordinator. Everyone else, including other members, is refused."""
    if not isinstance(user, User):  # an anonymous visitor
        return False
    return bool(user.pk == post.author_id or user.is_coordinator)
