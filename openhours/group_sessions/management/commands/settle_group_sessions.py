from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from openhours.group_sessions.services import auto_confirm_days, settle_due_sessions


class Command(BaseCommand):
    help = (
        "Settle group sessions delivered more than OPENHOURS_EXCHANGE_AUTO_CONFIRM_DAYS ago "
        "(confirming for attendees who didn't answer) and retry any the ledger refused. "
        "Idempotent and safe to run concurrently (for example hourly from cron)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now", help="Act as if it were this ISO 8601 time (for tests and replays)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = _parse_now(options.get("now"))
        run = settle_due_sessions(now=now)
        self.stdout.write(
            f"Settled {run.settled}, closed without credits {run.closed}, "
            f"waiting for a coordinator {run.blocked} "
            f"(waiting period {auto_confirm_days()} days)."
        )


def _parse_now(value: str | None) -> datetime | None:
    if not value:
        return None
    parsed = parse_datetime(value)
    if parsed is None:
        raise CommandError(f"--now must be an ISO 8601 date and time, not {value!r}.")
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed
