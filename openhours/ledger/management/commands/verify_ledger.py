"""``manage.py verify_ledger``: reconcile the ledger and exit non-zero on any mismatch."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from openhours.ledger.verification import render, verify_ledger


class Command(BaseCommand):
    help = (
        "Check that every transfer balances, every cached balance matches its entries, the "
        "whole ledger sums to zero and no account is outside its limits unexplained."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_ledger()
        self.stdout.write(render(report))
        if not report.ok:
            # CommandError makes manage.py exit with status 1, which monitoring can alert on.
            raise CommandError(f"The ledger does not reconcile ({len(report.problems)} problems).")
