"""``manage.py import_organisations``: load real ICBs, places and organisations.

A thin shell over ``openhours.organisations.importer``; see that module for the rules.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from openhours.organisations.importer import (
    DATA_DIR,
    ReferenceDataError,
    UnknownICBError,
    import_organisations,
    load_reference_data,
)


class Command(BaseCommand):
    help = (
        "Import NHS England ICBs with their places, trusts, GP practices, PCNs and local "
        "authorities from the reference data shipped with OpenHours. Safe to re-run."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument(
            "--icb",
            action="append",
            metavar="ODS_CODE",
            help="The ICB's ODS code, for example QUY. Repeat for several.",
        )
        which.add_argument("--all", action="store_true", help="Every ICB in England.")
        which.add_argument(
            "--list", action="store_true", help="List the ICB codes and names, then stop."
        )
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=DATA_DIR,
            metavar="PATH",
            help="Folder holding the reference CSVs (default: the copy shipped with OpenHours).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            reference = load_reference_data(options["data_dir"])
        except ReferenceDataError as exc:
            raise CommandError(str(exc)) from exc
        if options["list"]:
            for icb in reference.icbs.values():
                self.stdout.write(f"{icb.ods_code}  {icb.name}")
            return

        codes = None if options["all"] else options["icb"]
        progress = self.stdout.write if options["verbosity"] >= 1 else None
        try:
            report = import_organisations(icb_codes=codes, reference=reference, progress=progress)
        except UnknownICBError as exc:
            raise CommandError(
                f"{exc} Run `manage.py import_organisations --list` to see all 42 codes "
                f"(they are also in {options['data_dir'] / 'icbs.csv'})."
            ) from exc

        elapsed = time.monotonic() - started
        for line in report.summary_lines():
            self.stdout.write(f"  {line}")
        verdict = "Nothing to change." if report.changed == 0 else "Import complete."
        self.stdout.write(self.style.SUCCESS(f"{verdict} ({elapsed:.1f}s)"))
