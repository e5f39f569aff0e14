"""Rebuild every matching document (and embedding) from profiles, posts and exchanges."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from tqdm import tqdm

from openhours.matching.ranking import changes, semantic
from openhours.matching.ranking.builder import Builder
from openhours.matching.ranking.documents import sync_documents
from openhours.matching.ranking.engine import in_process, index_directory, reset_index


class Command(BaseCommand):
    help = (
        "Rebuild the stored matching documents of every member and open request, embedding "
        "them when semantic matching is on, and write this server's index snapshot when no "
        "worker here is building it (a running builder takes the rebuilt documents from "
        "the change log). Use it after an import, a model change or a restore."
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
        written = "no snapshot (each process is its own builder)"
        if not in_process():
            builder = Builder(index_directory())
            version = builder.step()
            if version is not None and builder.index is not None:
                written = (
                    f"snapshot {version} written with {len(builder.index.members)} members "
                    f"and {len(builder.index.requests)} open requests"
                )
            else:
                written = "the worker building this server's index takes the changes"
            builder.release()
        # Every other builder (another server's, or this server's running one) loads the
        # rewritten documents again: one row in the change log, not one per document.
        changes.log_reload(now=timezone.now())
        self.stdout.write(
            f"{report.members} member and {report.requests} request documents changed "
            f"({report.embedded} texts embedded); {written}. "
            f"{time.monotonic() - started:.1f} s."
        )
