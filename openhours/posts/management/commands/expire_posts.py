from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from openhours.posts.services import send_expiry_reminders_and_expire


class Command(BaseCommand):
    help = (
        "Email authors whose offers and requests close within a week, and close those past "
        "their expiry date. Safe to run as often as you like (for example daily from cron)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        run = send_expiry_reminders_and_expire()
        self.stdout.write(f"{run.reminded} reminded, {run.expired} expired.")
