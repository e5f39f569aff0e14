"""``manage.py run_worker``: run background tasks and the periodic schedule until stopped."""

from __future__ import annotations

import signal
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import autoreload

from openhours.operations import schedule
from openhours.operations.worker import Worker


class Command(BaseCommand):
    help = (
        "Run queued background tasks (emails, alerts, confirmations, settlement, digests, "
        "insight refreshes) and enqueue the periodic ones when they are due. Run one or more "
        "per installation; they share the work. SIGTERM finishes the task in hand first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait when the queue is empty (default 1).",
        )
        parser.add_argument(
            "--queue", action="append", dest="queues", help="Run only this queue (repeatable)."
        )
        parser.add_argument(
            "--no-schedule",
            action="store_true",
            help="Run tasks only; leave the periodic schedule to other workers.",
        )
        parser.add_argument(
            "--until-idle",
            action="store_true",
            help="Enqueue what is due, run everything waiting, then stop (for cron and tests).",
        )
        parser.add_argument(
            "--reload",
            action="store_true",
            default=False,
            help="Restart on code changes (development; `make run` turns it on).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        rules = schedule.rules()  # refuse a bad OPENHOURS_SCHEDULE before starting
        if not options["no_schedule"] and int(options["verbosity"]) > 0:
            for name, rule in sorted(rules.items()):
                self.stdout.write(f"  {name}: {rule}")
        worker = Worker(
            interval=max(0.1, options["interval"]),
            queue_names=options["queues"],
            keep_schedule=not options["no_schedule"],
            until_idle=options["until_idle"],
        )

        def stop(signum: int, frame: FrameType | None) -> None:
            self.stdout.write(f"{signal.strsignal(signum)}: stopping after the task in hand.")
            worker.stop()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(
            f"Worker {worker.worker_id} running "
            f"(attempts {settings.OPENHOURS_TASK_ATTEMPTS}, queues {options['queues'] or 'all'})."
        )
        if options["reload"]:
            autoreload.run_with_reloader(worker.run)
        else:
            worker.run()
        if options["until_idle"]:
            self.stdout.write(f"Ran {worker.tasks_run} tasks; the queue is empty.")
