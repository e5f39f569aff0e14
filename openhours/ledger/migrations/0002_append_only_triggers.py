"""Database triggers that refuse UPDATE and DELETE of ledger rows, one set per engine.

The models refuse too, but a trigger also stops raw SQL, a bulk ORM call or another
program. Accounts may change only their cached balance, never their holder.

SQLite gets no DELETE triggers: Django's own flush (used between transactional tests and by
``manage.py flush``) empties tables with plain DELETE, which a trigger cannot tell from a
bug. PostgreSQL flushes with TRUNCATE, which row triggers don't see, so it gets both.
SQLite also drops a table's triggers when a migration rebuilds the table: any migration
that alters these tables must recreate them (tests/test_append_only.py checks they exist).
"""

from django.db import migrations

GUARDED = ["ledger_transfer", "ledger_entry", "ledger_auditevent"]
MESSAGE = "ledger rows are append-only; post a reversal instead"

POSTGRES_CREATE = [
    f"""CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '% on %: {MESSAGE}', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'restrict_violation';
    END
    $$""",
    *[
        f"""CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()"""
        for table in GUARDED
    ],
    """CREATE TRIGGER ledger_account_keeps_holder BEFORE UPDATE ON ledger_account
    FOR EACH ROW WHEN (OLD.owner_id IS DISTINCT FROM NEW.owner_id
                       OR OLD.system_code IS DISTINCT FROM NEW.system_code)
    EXECUTE FUNCTION ledger_refuse_change()""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS ledger_account_keeps_holder ON ledger_account",
    *[f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}" for table in GUARDED],
    "DROP FUNCTION IF EXISTS ledger_refuse_change()",
]

SQLITE_CREATE = [
    *[
        f"""CREATE TRIGGER {table}_append_only BEFORE UPDATE ON {table}
        BEGIN SELECT RAISE(ABORT, 'UPDATE on {table}: {MESSAGE}'); END"""
        for table in GUARDED
    ],
    f"""CREATE TRIGGER ledger_account_keeps_holder BEFORE UPDATE ON ledger_account
    WHEN OLD.owner_id IS NOT NEW.owner_id OR OLD.system_code IS NOT NEW.system_code
    BEGIN SELECT RAISE(ABORT, 'UPDATE on ledger_account: {MESSAGE}'); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS ledger_account_keeps_holder",
    *[f"DROP TRIGGER IF EXISTS {table}_append_only" for table in GUARDED],
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            # No parameters, so the "%" placeholders of RAISE reach PL/pgSQL untouched.
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_accounts_transfers_entries_audit")]
    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_CREATE, "sqlite": SQLITE_CREATE}),
            _run({"postgresql": POSTGRES_DROP, "sqlite": SQLITE_DROP}),
        )
    ]
