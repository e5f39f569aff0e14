"""``manage.py refresh_insight``: bring the insight dashboard's tables up to date.

Run it every few minutes (cron or a systemd timer); each run processes only what changed
since the last. ``--rebuild`` starts from scratch (after an import, or to check).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from openhours.insight import rendering
from openhours.insight.refresh import refresh


class Command(BaseCommand):
    help = "Refresh the system insight aggregates incrementally (or --rebuild them)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--rebuild", action="store_true", help="Rebuild every table from scratch."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verbose = int(options["verbosity"]) > 1
        result = refresh(
            rebuild=bool(options["rebuild"]),
            progress=self.stdout.write if verbose else lambda _message: None,
        )
        # The first visitors after a refresh find the default view already rendered.
        rendering.warm()
        what = "Rebuilt" if result.rebuild else "Refreshed"
        spanners = ", boundary spanners recomputed" if result.spanners else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{what} insight in {result.seconds:.1f}s: "
                f"{result.exchanges_changed:,} exchanges and {result.members_changed:,} members "
                f"changed, {result.cells_recomputed:,} aggregate cells and "
                f"{result.posts_changed:,} posts re-derived{spanners}."
            )
        )
