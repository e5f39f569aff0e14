"""The backup and restore of docs/operations.md, done for real: pg_dump the database,
restore it into a new one, and the restored ledger passes `verify_ledger`."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from openhours.accounts.tests.factories import UserFactory
from openhours.core.testing import needs_postgresql
from openhours.ledger.models import Transfer
from openhours.ledger.services import donate, grant_joining_credit

from .servers import production_env

pytestmark = [
    *needs_postgresql,
    pytest.mark.skipif(shutil.which("pg_dump") is None, reason="needs PostgreSQL's client tools"),
]


def test_a_backup_restores_into_a_new_database_with_a_clean_ledger(tmp_path: Path) -> None:
    giver, taker = UserFactory(), UserFactory()
    for person in (giver, taker):
        grant_joining_credit(user=person)
    donate(donor=giver, to_user=taker, minutes=30, memo="Thanks", idempotency_key="backup-1")
    transfers = Transfer.objects.count()

    db = connection.settings_dict
    where = ["-h", db["HOST"], "-p", str(db["PORT"]), "-U", db["USER"]]
    backup = tmp_path / "openhours.dump"
    restored = f"{db['NAME']}_restored"
    # The commands of docs/operations.md, "Backups".
    subprocess.run(["pg_dump", *where, "-Fc", "-f", str(backup), db["NAME"]], check=True)
    subprocess.run(["dropdb", *where, "--if-exists", restored], check=True)
    subprocess.run(["createdb", *where, restored], check=True)
    try:
        subprocess.run(
            ["pg_restore", *where, "--no-owner", "-d", restored, str(backup)], check=True
        )
        env = production_env(tmp_path)
        env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{restored}"
        checked = subprocess.run(
            [sys.executable, "manage.py", "verify_ledger"],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert f"{transfers} transfers" in checked.stdout
        assert "All checks passed." in checked.stdout
    finally:
        subprocess.run(["dropdb", *where, "--if-exists", restored], check=True)
