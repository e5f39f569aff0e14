"""Print the exchange transitions table for docs/architecture.md, from the code.

The docs table is ``transitions.render_markdown()``; a test fails when the two differ, and
this command prints the table to paste between the markers in the "Exchanges" section.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from openhours.exchanges.transitions import render_markdown


class Command(BaseCommand):
    help = (
        "Print the exchange state machine (exchanges/transitions.py) as the Markdown table "
        "docs/architecture.md shows in its Exchanges section."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(render_markdown(), ending="")
