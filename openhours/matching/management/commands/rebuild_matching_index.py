"""Rebuild every matching document (and embedding) from profiles, posts and exchanges."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from tqdm import tqdm

from openhours.matching.ranking import semantic
from openhours.matching.ranking.documents import sync_documents
from openhours.matching.ranking.engine import MatchingIndex, reset_index


class Command(BaseCommand):
    help = (
        "Rebuild the stored matching documents of every member and open request, embedding "
        "them when semantic matching is on. Running apps pick up changes by themselves; "
        "use this after an import, a model change or a restore."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--changed-since-minutes",
            type=int,
            default=None,
            help="Only what changed in the last N minutes (default: everything).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        since = None
        if options["changed_since_minutes"] is not None:
            since = timezone.now() - timedelta(minutes=options["changed_since_minutes"])
        mode = f"semantic ({semantic.model_label()})" if semantic.enabled() else "lexical only"
        self.stdout.write(f"Building matching documents, {mode}.")
        with tqdm(total=0, unit="doc", disable=options["verbosity"] == 0) as bar:

            def progress(done: int, total: int) -> None:
                bar.total = total
                bar.n = done
                bar.refresh()

            report = sync_documents(since=since, progress=progress)
        reset_index()
        index = MatchingIndex()
        index.load()
        self.stdout.write(
            f"{report.members} member and {report.requests} request documents changed "
            f"({report.embedded} texts embedded); the index holds {len(index.members)} "
            f"members and {len(index.requests)} open requests. "
            f"{time.monotonic() - started:.1f} s."
        )
