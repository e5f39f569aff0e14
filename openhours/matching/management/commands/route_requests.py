from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from openhours.matching.services import ROUTE_BATCH, route_requests


class Command(BaseCommand):
    help = (
        "Bring requests to the people who could help: alert the best matches of new "
        "requests, the next matches of requests unanswered after "
        "OPENHOURS_MATCHING_ESCALATE_AFTER_DAYS days, and put requests still unanswered "
        "after as long again in the coordinators' queue. Safe to run as often as you like, "
        "and from several servers at once (for example every five minutes from cron)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch",
            type=int,
            default=ROUTE_BATCH,
            help=f"Most requests to alert or escalate in this run (default {ROUTE_BATCH}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = route_requests(batch=max(1, options["batch"]))
        self.stdout.write(report.summary())
        self.stdout.write(
            f"(At most {settings.OPENHOURS_MATCHING_ALERTS_PER_REQUEST} alerts per request and "
            f"{settings.OPENHOURS_MATCHING_ALERTS_PER_WEEK} per member in any seven days.)"
        )
