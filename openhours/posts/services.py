"""Writes to posts: the only way an offer or request is created, changed or closed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from openhours.accounts.models import User
from openhours.core import mail
from openhours.core.errors import DomainError
from openhours.core.minutes import is_quarter_hours
from openhours.members.models import Skill
from openhours.organisations.models import Place

from .models import Post, PostMode, Status
from .permissions import can_edit_post


@dataclass(frozen=True, kw_only=True)
class PostDetails:
    kind: str
    title: str
    description: str
    category: str
    estimated_minutes: int
    mode: str = PostMode.ANY
    online: bool = True
    location: str = ""
    place: Place | None = None
    skills: list[Skill] = field(default_factory=list)


def _lifetime() -> timedelta:
    return timedelta(days=settings.OPENHOURS_POST_LIFETIME_DAYS)


def _validate(details: PostDetails) -> None:
    if not details.title.strip():
        raise DomainError("Give your post a title.", field="title")
    if details.estimated_minutes < 15 or details.estimated_minutes > 100 * 60:
        raise DomainError(
            "Estimate between a quarter of an hour and 100 hours.", field="estimated_hours"
        )
    if not is_quarter_hours(details.estimated_minutes):
        raise DomainError("Estimate time in quarter hours.", field="estimated_hours")
    if not details.online and not details.location.strip():
        raise DomainError("Say where, or mark it as online.", field="location")


def create_post(*, author: User, details: PostDetails, now: datetime | None = None) -> Post:
    if not author.is_approved:
        raise DomainError("Your membership is waiting for a coordinator's approval.")
    _validate(details)
    now = now or timezone.now()
    with transaction.atomic():
        post = Post.objects.create(
            author=author,
            kind=details.kind,
            title=details.title.strip(),
            description=details.description.strip(),
            category=details.category,
            estimated_minutes=details.estimated_minutes,
            mode=details.mode,
            online=details.online,
            location=details.location.strip(),
            place=details.place,
            created_at=now,
            updated_at=now,
            expires_at=now + _lifetime(),
        )
        post.skills.set(details.skills)
    return post


def update_post(*, actor: User, post: Post, details: PostDetails) -> Post:
    if not can_edit_post(actor, post):
        raise DomainError("Only the author or a coordinator can edit this post.")
    if post.status != Status.OPEN:
        raise DomainError("This post is closed. Reopen it before editing.")
    _validate(details)
    with transaction.atomic():
        post.kind = details.kind
        post.title = details.title.strip()
        post.description = details.description.strip()
        post.category = details.category
        post.estimated_minutes = details.estimated_minutes
        post.mode = details.mode
        post.online = details.online
        post.location = details.location.strip()
        post.place = details.place
        post.updated_at = timezone.now()
        post.save()
        post.skills.set(details.skills)
    return post


def close_post(*, actor: User, post: Post) -> Post:
    if not can_edit_post(actor, post):
        raise DomainError("Only the author or a coordinator can close this post.")
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        if post.status != Status.OPEN:
            raise DomainError("This post is already closed.")
        post.status = Status.CLOSED
        post.closed_at = timezone.now()
        post.save(update_fields=["status", "closed_at"])
    return post


def renew_post(*, actor: User, post: Post, now: datetime | None = None) -> Post:
    """Reopen a closed or expired post, or extend an open one, for another full lifetime."""
    if not can_edit_post(actor, post):
        raise DomainError("Only the author or a coordinator can renew this post.")
    now = now or timezone.now()
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        post.status = Status.OPEN
        post.closed_at = None
        post.reminder_sent_at = None
        post.expires_at = now + _lifetime()
        post.updated_at = now
        post.save(
            update_fields=["status", "closed_at", "reminder_sent_at", "expires_at", "updated_at"]
        )
    return post


@dataclass(frozen=True)
class ExpiryRun:
    reminded: int
    expired: int


def send_expiry_reminders_and_expire(*, now: datetime | None = None) -> ExpiryRun:
    """Remind authors of posts about to expire (once each), then expire overdue posts.

    Each post is claimed with a conditional UPDATE in the transaction that sends its
    email, so two overlapping runs never remind the same author twice, and a mail server
    that refuses rolls the claim back for the next run (the task retries).
    """
    now = now or timezone.now()
    soon = now + timedelta(days=settings.OPENHOURS_POST_REMINDER_DAYS)
    reminded = 0
    due = Post.objects.filter(
        status=Status.OPEN, reminder_sent_at__isnull=True, expires_at__gt=now, expires_at__lte=soon
    ).select_related("author")
    for post in due.iterator(chunk_size=500):
        with transaction.atomic():
            claimed = Post.objects.filter(pk=post.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            )
            if claimed:
                _send_expiry_reminder(post)
                reminded += 1
    expired = Post.objects.filter(status=Status.OPEN, expires_at__lte=now).update(
        status=Status.EXPIRED, closed_at=now
    )
    return ExpiryRun(reminded=reminded, expired=expired)


def _send_expiry_reminder(post: Post) -> None:
    url = settings.SITE_URL + reverse("posts:detail", args=[post.pk])
    mail.send(
        post.author.email,
        f"Your {post.get_kind_display().lower()} closes soon: {post.title}",
        f"Hello {post.author.get_short_name()},\n\n"
        f'Your {post.get_kind_display().lower()} "{post.title}" will close on '
        f"{timezone.localtime(post.expires_at):%A %d %B}. If it is still needed, renew it "
        f"for another {settings.OPENHOURS_POST_LIFETIME_DAYS} days here:\n{url}\n\n"
        "If it is done, thank you: there's nothing you need to do.\n",
        kind="post_reminder",
    )
