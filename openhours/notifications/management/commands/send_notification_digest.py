from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from openhours.notifications.services import send_digests


class Command(BaseCommand):
    help = (
        "Email each member who chose the daily summary one email listing their unread "
        "notifications not yet emailed. Safe to run more than once: run it daily from cron."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_digests()
        noun = "email" if sent == 1 else "emails"
        self.stdout.write(f"Sent {sent} digest {noun}.")
