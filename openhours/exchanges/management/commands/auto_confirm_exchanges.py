from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from openhours.core.minutes import minutes_in_words
from openhours.exchanges.services import auto_confirm_due


class Command(BaseCommand):
    help = (
        "Confirm exchanges whose recorded time has waited OPENHOURS_EXCHANGE_AUTO_CONFIRM_DAYS "
        "days without an answer from the receiver, and move the time credits. Safe to run "
        "as often as you like, and from several servers at once (for example hourly from cron)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        run = auto_confirm_due()
        for exchange in run.confirmed:
            self.stdout.write(
                f"Confirmed exchange {exchange.pk} ({exchange.title}): "
                f"{minutes_in_words(exchange.minutes or 0)} from {exchange.giver} "
                f"to {exchange.receiver}."
            )
        for exchange, message in run.refused:
            self.stdout.write(
                f"Could not confirm exchange {exchange.pk} ({exchange.title}): {message}"
            )
        days = settings.OPENHOURS_EXCHANGE_AUTO_CONFIRM_DAYS
        self.stdout.write(
            f"{len(run.confirmed)} confirmed, {len(run.refused)} could not be confirmed "
            f"(waiting more than {days} days)."
        )
