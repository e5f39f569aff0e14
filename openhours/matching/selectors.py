"""Matching's one entry point: rank members for a request, and requests for a member.

Every caller (the request page, the home page, alerts, escalation, the coordinators'
queue) goes through `helpers_for_request` and `requests_for_member`; the scoring lives in
`openhours.matching.ranking` (see docs/matching.md).
"""

from __future__ import annotations

from collections.abc import Collection

from openhours.accounts.models import User
from openhours.matching.ranking.engine import rank_helpers, rank_requests
from openhours.matching.ranking.results import HelperMatch, RequestMatch
from openhours.posts.models import Post

__all__ = ["HelperMatch", "RequestMatch", "helpers_for_request", "requests_for_member"]


def helpers_for_request(
    post: Post, *, limit: int = 10, exclude: Collection[int] = ()
) -> list[HelperMatch]:
    """The members best able to help with `post`, best first.

    Never the requester, anyone they blocked or who blocked them, or an inactive or
    unapproved account; `exclude` removes more member ids (those already asked).
    """
    return rank_helpers(post, limit=limit, exclude=exclude)


def requests_for_member(member: User, *, limit: int = 10) -> list[RequestMatch]:
    """Open requests by other members that `member` could help with, best first.

    Never their own, one by someone blocked either way, or one they already answered.
    """
    return rank_requests(member, limit=limit)
