"""The periodic schedule: which background task runs how often (``OPENHOURS_SCHEDULE``).

Every worker looks at the schedule between tasks. An entry that is due is claimed with a
conditional ``UPDATE`` of its ``next_run_at``, in the same transaction that enqueues the
task, so however many workers look at once, each due run is enqueued exactly once (a test
runs two workers with the clock moved). An entry whose last run is still waiting or
running is not enqueued again until that run ends: a slow insight refresh never piles up.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult

from openhours.exchanges.tasks import auto_confirm_exchanges
from openhours.group_sessions.tasks import settle_group_sessions
from openhours.insight.tasks import refresh_insight
from openhours.matching.tasks import route_requests
from openhours.notifications.tasks import send_digests, send_pending_emails
from openhours.posts.tasks import expire_posts

from .models import PeriodicRun
from .tasks import prune_task_results

logger = logging.getLogger(__name__)

# Every task the schedule may run, by the name ``OPENHOURS_SCHEDULE`` gives it.
PERIODIC_TASKS: dict[str, Task[[], Any]] = {
    "route_requests": route_requests,
    "send_pending_emails": send_pending_emails,
    "auto_confirm_exchanges": auto_confirm_exchanges,
    "settle_group_sessions": settle_group_sessions,
    "expire_posts": expire_posts,
    "send_digests": send_digests,
    "refresh_insight": refresh_insight,
    "prune_task_results": prune_task_results,
}

UNFINISHED = ("READY", "RUNNING")


@dataclass(frozen=True)
class Every:
    """Run every ``seconds`` seconds, counted from the last time it was enqueued."""

    seconds: int

    def next_after(self, moment: datetime) -> datetime:
        return moment + timedelta(seconds=self.seconds)

    def __str__(self) -> str:
        return f"every {self.seconds} s"


@dataclass(frozen=True)
class Daily:
    """Run once a day at a wall-clock time in ``TIME_ZONE`` (digests arrive before work)."""

    at: time

    def next_after(self, moment: datetime) -> datetime:
        zone = ZoneInfo(settings.TIME_ZONE)
        local = moment.astimezone(zone)
        candidate = datetime.combine(local.date(), self.at, tzinfo=zone)
        if candidate <= local:
            candidate = datetime.combine(local.date() + timedelta(days=1), self.at, tzinfo=zone)
        return candidate

    def __str__(self) -> str:
        return f"daily at {self.at:%H:%M}"


Rule = Every | Daily


def parse_rule(name: str, spec: str) -> Rule | None:
    """``"300"`` (seconds), ``"daily 07:00"`` or ``"off"``; anything else is refused."""
    text = spec.strip().lower()
    if text == "off":
        return None
    if text.startswith("daily "):
        try:
            return Daily(time.fromisoformat(text.removeprefix("daily ").strip()))
        except ValueError:
            pass
    elif text.isdigit() and int(text) > 0:
        return Every(int(text))
    raise ImproperlyConfigured(
        f'OPENHOURS_SCHEDULE: {name} must be a number of seconds, "daily HH:MM" or "off", '
        f"not {spec!r}."
    )


def rules() -> dict[str, Rule]:
    """The schedule in force: ``OPENHOURS_SCHEDULE`` read and checked, "off" left out."""
    configured: dict[str, str] = settings.OPENHOURS_SCHEDULE
    unknown = sorted(set(configured) - set(PERIODIC_TASKS))
    if unknown:
        raise ImproperlyConfigured(
            f"OPENHOURS_SCHEDULE names tasks that don't exist: {', '.join(unknown)} "
            f"(known: {', '.join(sorted(PERIODIC_TASKS))})."
        )
    parsed = {name: parse_rule(name, spec) for name, spec in configured.items()}
    return {name: rule for name, rule in parsed.items() if rule is not None}


def enqueue_due(*, now: datetime | None = None) -> list[str]:
    """Enqueue every scheduled task that is due; return the names enqueued by this call."""
    now = now or timezone.now()
    enqueued = []
    for name, rule in rules().items():
        if _enqueue_if_due(name, rule, now=now):
            enqueued.append(name)
    return enqueued


def _enqueue_if_due(name: str, rule: Rule, *, now: datetime) -> bool:
    _ensure_row(name, now=now)
    with transaction.atomic():
        row = PeriodicRun.objects.get(name=name)
        if row.next_run_at > now or _still_unfinished(row.last_result_id):
            return False
        claimed = PeriodicRun.objects.filter(pk=row.pk, next_run_at=row.next_run_at).update(
            next_run_at=rule.next_after(now), last_enqueued_at=now
        )
        if not claimed:
            return False  # another worker claimed this run a moment ago
        result = PERIODIC_TASKS[name].enqueue()
        PeriodicRun.objects.filter(pk=row.pk).update(last_result_id=str(result.id))
    logger.info("Enqueued periodic task %s (%s), result %s", name, rule, result.id)
    return True


def _ensure_row(name: str, *, now: datetime) -> None:
    if PeriodicRun.objects.filter(name=name).exists():
        return
    try:
        with transaction.atomic():
            # A new entry is due at once: a fresh install alerts, confirms and refreshes
            # as soon as its worker starts.
            PeriodicRun.objects.create(name=name, next_run_at=now)
    except IntegrityError:
        pass  # another worker created it first


def _still_unfinished(result_id: str) -> bool:
    if not result_id:
        return False
    return DBTaskResult.objects.filter(id=result_id, status__in=UNFINISHED).exists()
