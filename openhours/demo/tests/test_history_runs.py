"""Seeding runs with a history: the same seed twice, without history, large runs, output."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.db import transaction

from openhours.accounts.models import User
from openhours.demo.seeding import seed_demo
from openhours.exchanges.models import Exchange
from openhours.group_sessions.models import GroupSession
from openhours.ledger.models import Account, Transfer, TransferKind

NOW = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)


def snapshot() -> dict[str, Any]:
    return {
        "balances": sorted(
            Account.objects.values_list("owner__email", "system_code", "balance"), key=str
        ),
        "exchanges": sorted(
            Exchange.objects.values_list(
                "giver__email", "receiver__email", "state", "minutes", "title", "created_at"
            )
        ),
        "sessions": sorted(GroupSession.objects.values_list("title", "status", "giver__email")),
        "transfers": Counter(Transfer.objects.values_list("kind", flat=True)),
    }


class Rollback(Exception):
    def __init__(self, snapshot: dict[str, Any]) -> None:
        self.snapshot = snapshot


def history_of(seed: int) -> dict[str, Any]:
    """Seed a small demo, note what it holds, and roll it all back."""
    try:
        with transaction.atomic():
            seed_demo(members=16, posts=16, now=NOW, seed=seed)
            raise Rollback(snapshot())
    except Rollback as rolled_back:
        return rolled_back.snapshot


def test_the_same_seed_gives_the_same_history(db: None) -> None:
    first, second = history_of(5), history_of(5)

    assert first == second
    assert first["exchanges"]
    assert first["transfers"][TransferKind.EXCHANGE]


def test_a_different_seed_gives_a_different_history(db: None) -> None:
    assert history_of(5)["exchanges"] != history_of(6)["exchanges"]


def test_no_history_leaves_only_members_and_posts(db: None) -> None:
    out = StringIO()
    call_command("seed_demo", "--members", "12", "--no-history", verbosity=1, stdout=out)

    assert not Transfer.objects.exists()
    assert not Exchange.objects.exists()
    assert "History:" not in out.getvalue()


def test_only_members_written_through_the_services_get_a_history(db: None) -> None:
    seed_demo(members=30, posts=30, now=NOW, service_limit=10)

    people = set(Account.objects.filter(owner__isnull=False).values_list("owner", flat=True)) | set(
        Exchange.objects.values_list("giver", flat=True)
    )
    first = set(User.objects.order_by("pk").values_list("pk", flat=True)[:12])
    assert people <= first
    assert Transfer.objects.filter(kind=TransferKind.JOINING_GRANT).count() == 12


def test_the_command_prints_a_summary_of_the_history(db: None) -> None:
    out = StringIO()
    call_command("seed_demo", "--members", "12", verbosity=1, stdout=out)

    summary = out.getvalue()
    assert "History:" in summary
    assert "exchanges (" in summary
    assert "group sessions" in summary
    assert "donations" in summary
    assert "a dispute to resolve" in summary
