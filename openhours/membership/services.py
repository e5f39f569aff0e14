"""Becoming a member: sign-up and a coordinator's decision, with the joining grant.

These workflows span two apps. ``accounts`` owns the approval state and ``ledger`` owns
credits, and ``accounts`` sits below ``ledger`` (docs/architecture.md), so neither can call
the other here. This app sits above both and is the only place a member becomes approved:
the approval and the joining grant are written in one transaction, so a member is never
approved without their welcome credit, nor credited without being approved. The grant is
once per member (``grant_joining_credit`` is idempotent), so a retry is harmless.
"""

from __future__ import annotations

from django.db import transaction

from openhours.accounts import services as accounts
from openhours.accounts.models import User
from openhours.ledger.services import grant_joining_credit


def join(*, user: User) -> User:
    """Save a member who has just signed up, in the approval state the site's rules give
    their email address; if that approves them at once, grant the joining credit too."""
    with transaction.atomic():
        user.approval = accounts.approval_for_email(user.email)
        user.save()
        if user.is_approved:
            grant_joining_credit(user=user)
    return user


def decide_membership(*, coordinator: User, member: User, approve: bool) -> User:
    """A coordinator approves or declines a waiting member; approval brings the joining grant.

    The rules (only coordinators, only waiting members) and the email to the member are
    ``accounts.services.decide_membership``'s; the email goes only once all of this commits.
    """
    with transaction.atomic():
        member = accounts.decide_membership(coordinator=coordinator, member=member, approve=approve)
        if member.is_approved:
            grant_joining_credit(user=member)
    return member
