"""What a ranking returns."""

from __future__ import annotations

from dataclasses import dataclass, field

from openhours.accounts.models import User
from openhours.posts.models import Post


@dataclass(frozen=True)
class HelperMatch:
    """A member who could help with a request, how strongly, and why in plain English."""

    member: User
    score: float
    reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RequestMatch:
    """An open request a member could help with, how strongly, and why."""

    post: Post
    score: float
    reasons: list[str] = field(default_factory=list)
