"""Matching's one entry point: rank members for a request, and requests for a member.

Every caller (the request page, the home page, alerts, escalation, the coordinators'
queue) goes through `helpers_for_request` and `requests_for_member`; the scoring lives in
`openhours.matching.ranking` (see docs/matching.md).
"""

from __future__ import annotations

from collections.abc import Collection
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


def helpers_for_request(
    post: Post, *, limit: int = 10, exclude: Collection[int] = ()
) -> list[HelperMatch]:
    """The members best able to help with `post`, best first.

    Never the requester, anyone they blocked or who blocked them, or an inactive or
    unapproved account; `exclude` removes more member ids (those already asked).
    """
    from openhours.matching.ranking.engine import rank_helpers

    return rank_helpers(post, limit=limit, exclude=exclude)


def requests_for_member(member: User, *, limit: int = 10) -> list[RequestMatch]:
    """Open requests by other members that `member` could help with, best first."""
    from openhours.matching.ranking.engine import rank_requests

    return rank_requests(member, limit=limit)
