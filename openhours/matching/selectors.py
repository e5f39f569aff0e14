"""Matching's reads: rank members for a request, requests for a member, and who sees them.

Every caller (the request page, the home page, alerts, escalation, the coordinators'
queue) goes through `helpers_for_request` and `requests_for_member`; the scoring lives in
`openhours.matching.ranking` (see docs/matching.md).

What a person is *shown* is decided here too, once, for the views and the template tags
alike: `may_see_helpers` (who gets "People who could help" on a request at all) and
`helpers_to_show` (which helpers that viewer may see listed). The tags that put these
blocks on pages owned by `posts` and `core` call them, never the views.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import prefetch_related_objects

from openhours.accounts.models import User
from openhours.matching.ranking.engine import WARMING_UP, is_ready, rank_helpers, rank_requests
from openhours.matching.ranking.results import HelperMatch, RequestMatch
from openhours.members.models import Profile, Visibility
from openhours.posts.models import Kind, Post, Status

from .models import Suggestion, SuggestionKind

__all__ = [
    "HelperMatch",
    "HelperRow",
    "RequestMatch",
    "can_invite",
    "helpers_for_request",
    "helpers_to_show",
    "matching_ready",
    "may_see_helpers",
    "requests_for_member",
    "requests_to_show",
    "warming_up_note",
]


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


def matching_ready() -> bool:
    """Whether this process can rank yet. Until the server's first index snapshot is
    written, rankings find nobody and pages say matching is warming up (`WARMING_UP`)."""
    return is_ready()


def warming_up_note() -> str:
    """What a page says in place of matches while matching warms up, or ""."""
    return "" if is_ready() else WARMING_UP


# Who sees what ----------------------------------------------------------------------


@dataclass(frozen=True)
class HelperRow:
    """A helper as a page lists them: the match, and whether they were already invited."""

    match: HelperMatch
    invited: bool

    @property
    def member(self) -> User:
        return self.match.member


def can_invite(*, post: Post, inviter: User) -> bool:
    """The requester and coordinators may invite people to a request."""
    return post.author_id == inviter.pk or inviter.is_coordinator


def may_see_helpers(post: Post, viewer: User | AnonymousUser) -> bool:
    """People who could help are shown to the requester and coordinators, on open requests.

    Everyone else gets nothing, and the ranking is not even run for them.
    """
    return (
        isinstance(viewer, User)
        and viewer.is_authenticated
        and post.kind == Kind.REQUEST
        and post.status == Status.OPEN
        and can_invite(post=post, inviter=viewer)
    )


def helpers_to_show(
    post: Post, *, viewer: User, limit: int, exclude_alerted: bool = False
) -> list[HelperRow]:
    """The best helpers for `post` as `viewer` may see them, each marked if invited.

    A member who hid their profile can still be alerted, but only coordinators see them
    listed here: a requester is shown only profiles they could open anyway.
    `exclude_alerted` leaves out those already alerted (the coordinators' queue).
    """
    exclude: set[int] = set()
    if exclude_alerted:
        exclude = set(
            Suggestion.objects.filter(post=post, kind=SuggestionKind.ALERT).values_list(
                "member_id", flat=True
            )
        )
    # Twice as many as shown, so that hidden profiles left out still leave `limit`.
    matches = helpers_for_request(post, limit=limit * 2, exclude=exclude)
    prefetch_related_objects([m.member for m in matches], "profile", "profile__organisations")
    if not viewer.is_coordinator:
        # Read from the database, not the members' cached profiles, which may be stale.
        hidden = set(
            Profile.objects.filter(
                user_id__in=[m.member.pk for m in matches], visibility=Visibility.HIDDEN
            ).values_list("user_id", flat=True)
        )
        matches = [m for m in matches if m.member.pk not in hidden]
    matches = matches[:limit]
    invited = set(
        Suggestion.objects.filter(
            post=post, kind=SuggestionKind.INVITATION, member_id__in=[m.member.pk for m in matches]
        ).values_list("member_id", flat=True)
    )
    return [HelperRow(match=m, invited=m.member.pk in invited) for m in matches]


def requests_to_show(member: User, *, limit: int) -> list[RequestMatch]:
    """The requests `member` could help with, with their authors' profiles loaded for the
    page (each row links to its author)."""
    matches = requests_for_member(member, limit=limit)
    prefetch_related_objects([m.post for m in matches], "author", "author__profile")
    return matches
