"""Nothing in the ledger is edited or deleted: not by the ORM, not by raw SQL."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client

from openhours.accounts.models import User
from openhours.core.models import AppendOnlyError
from openhours.ledger.models import Account, AuditEvent, Entry, Transfer
from openhours.ledger.services import pay_for_exchange

from .helpers import new_key

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite keeps no DELETE triggers: Django's test flush deletes rows (see 0002)",
)


@pytest.fixture
def transfer(member: User, giver: User) -> Transfer:
    return pay_for_exchange(
        giver=giver,
        receiver=member,
        minutes=60,
        reference="exchange:1",
        created_by=member,
        idempotency_key=new_key(),
    )


def test_saving_a_posted_transfer_again_is_refused(transfer: Transfer) -> None:
    transfer.memo = "Quietly rewritten"
    with pytest.raises(AppendOnlyError, match="append-only"):
        transfer.save()


def test_saving_a_posted_entry_again_is_refused(transfer: Transfer) -> None:
    entry = transfer.entries.first()
    assert entry is not None
    entry.amount = 600
    with pytest.raises(AppendOnlyError):
        entry.save()


@pytest.mark.parametrize("model", [Transfer, Entry, AuditEvent])
def test_deleting_a_ledger_row_is_refused(transfer: Transfer, model) -> None:
    with pytest.raises(AppendOnlyError):
        model.objects.first().delete()
    with pytest.raises(AppendOnlyError):
        model.objects.all().delete()


@pytest.mark.parametrize(
    ("model", "change"),
    [(Transfer, {"memo": "x"}), (Entry, {"amount": 5}), (AuditEvent, {"verb": "x"})],
)
def test_bulk_updates_of_ledger_rows_are_refused(transfer: Transfer, model, change) -> None:
    with pytest.raises(AppendOnlyError):
        model.objects.update(**change)


def test_bulk_update_of_entries_is_refused(transfer: Transfer) -> None:
    entries = list(transfer.entries.all())
    for entry in entries:
        entry.amount *= 2
    with pytest.raises(AppendOnlyError):
        Entry.objects.bulk_update(entries, ["amount"])


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE ledger_entry SET amount = amount * 2",
        "UPDATE ledger_transfer SET memo = 'rewritten'",
        "UPDATE ledger_auditevent SET verb = 'rewritten'",
    ],
)
def test_the_database_refuses_raw_updates(transfer: Transfer, sql: str) -> None:
    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)


@postgres_only
@pytest.mark.postgres
@pytest.mark.parametrize("table", ["ledger_entry", "ledger_transfer", "ledger_auditevent"])
def test_the_database_refuses_raw_deletes(transfer: Transfer, table: str) -> None:
    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608


def test_an_account_never_changes_hands(transfer: Transfer, outsider: User) -> None:
    account = Account.objects.exclude(owner=None).first()
    assert account is not None
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        Account.objects.filter(pk=account.pk).update(owner=outsider)


def test_the_append_only_triggers_exist(db: None) -> None:
    # SQLite drops triggers when a migration rebuilds a table; this catches it.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'ledger_%%'")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        names = {row[0] for row in cursor.fetchall()}
    assert {
        "ledger_transfer_append_only",
        "ledger_entry_append_only",
        "ledger_auditevent_append_only",
        "ledger_account_keeps_holder",
    } <= names


@pytest.mark.parametrize("model", ["account", "transfer", "auditevent"])
def test_the_admin_is_read_only(transfer: Transfer, model: str, db: None) -> None:
    from openhours.accounts.tests.factories import UserFactory

    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin_user)
    assert client.get(f"/admin/ledger/{model}/").status_code == 200
    assert client.get(f"/admin/ledger/{model}/add/").status_code == 403
    instance = {"account": Account, "transfer": Transfer, "auditevent": AuditEvent}[model]
    pk = instance.objects.first().pk  # type: ignore[attr-defined]
    page = client.get(f"/admin/ledger/{model}/{pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert client.post(f"/admin/ledger/{model}/{pk}/delete/").status_code == 403
