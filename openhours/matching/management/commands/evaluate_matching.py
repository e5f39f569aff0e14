"""Measure matching on a labelled expert-finding set: `make eval-matching`."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test import override_settings

from openhours.matching.evaluation import DEVELOPMENT_FIELDS, evaluate, load_questions
from openhours.matching.ranking.semantic import PACKAGED_MODEL


class Command(BaseCommand):
    help = (
        "Rank every author for each question of an ExpertQA-style JSON-lines file and print "
        "nDCG@10, Recall@10 and MRR, lexical and (with the semantic extra) semantic."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="A JSON-lines file of questions.")
        parser.add_argument(
            "--fields",
            nargs="+",
            default=list(DEVELOPMENT_FIELDS),
            help="Evaluate the questions of these fields (default: the development fields).",
        )
        parser.add_argument("--mode", choices=["lexical", "semantic", "both"], default="both")
        parser.add_argument(
            "--model",
            default=PACKAGED_MODEL,
            help=f"Semantic model: {PACKAGED_MODEL!r} (packaged) or a local directory.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        try:
            questions = load_questions(path)
        except (ValueError, KeyError) as exc:
            raise CommandError(f"{path} is not a JSON-lines question file: {exc}") from exc
        fields = options["fields"]
        if not any(q.field in fields for q in questions):
            raise CommandError(f"No question in {path} has a field in {fields}.")
        modes = ["lexical", "semantic"] if options["mode"] == "both" else [options["mode"]]
        self.stdout.write(
            f"{len(questions)} questions by {len({q.author for q in questions})} authors; "
            f"evaluating fields {', '.join(fields)}"
        )
        for mode in modes:
            started = time.monotonic()
            model = options["model"] if mode == "semantic" else ""
            with override_settings(OPENHOURS_MATCHING_SEMANTIC_MODEL=model):
                scores = evaluate(
                    questions,
                    fields=fields,
                    use_semantic=mode == "semantic",
                    progress=self._progress,
                )
            self.stderr.write("")
            self.stdout.write(
                f"{mode:<9} queries {scores.queries}  nDCG@10 {scores.ndcg:.3f}  "
                f"Recall@10 {scores.recall:.3f}  MRR {scores.mrr:.3f}  "
                f"({time.monotonic() - started:.0f} s)"
            )

    def _progress(self, done: int, total: int) -> None:
        if done % 50 == 0 or done == total:
            self.stderr.write(f"\r  {done}/{total} queries", ending="")
