"""Database triggers for the two rules a CHECK constraint can't express.

1. The giver is never an attendee of their own session. The rule spans two tables
   (attendance.member_id vs session.giver_id), so a trigger refuses an attendance row for
   the session's giver, and refuses changing a session's giver.
2. Session events are append-only: UPDATE is refused on both engines; DELETE only on
   PostgreSQL, because Django flushes SQLite test databases with plain DELETE (see
   ledger/migrations/0002_append_only_triggers.py for the same reasoning).

SQLite drops a table's triggers when a migration rebuilds the table: a future migration
that alters these tables must recreate them (tests/test_models.py checks they exist).
"""

from django.db import migrations

GIVER_MESSAGE = "the giver of a group session cannot also attend it"
EVENT_MESSAGE = "group session events are append-only"

POSTGRES_CREATE = [
    f"""CREATE FUNCTION group_sessions_giver_not_attendee() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF EXISTS (SELECT 1 FROM group_sessions_groupsession
                   WHERE id = NEW.session_id AND giver_id = NEW.member_id) THEN
            RAISE EXCEPTION '{GIVER_MESSAGE}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END
    $$""",
    """CREATE TRIGGER group_sessions_attendance_not_giver
    BEFORE INSERT OR UPDATE OF member_id, session_id ON group_sessions_attendance
    FOR EACH ROW EXECUTE FUNCTION group_sessions_giver_not_attendee()""",
    f"""CREATE FUNCTION group_sessions_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '% on %: {EVENT_MESSAGE}', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'restrict_violation';
    END
    $$""",
    """CREATE TRIGGER group_sessions_sessionevent_append_only
    BEFORE UPDATE OR DELETE ON group_sessions_sessionevent
    FOR EACH ROW EXECUTE FUNCTION group_sessions_refuse_change()""",
    """CREATE TRIGGER group_sessions_session_keeps_giver BEFORE UPDATE ON group_sessions_groupsession
    FOR EACH ROW WHEN (OLD.giver_id IS DISTINCT FROM NEW.giver_id)
    EXECUTE FUNCTION group_sessions_refuse_change()""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS group_sessions_session_keeps_giver ON group_sessions_groupsession",
    "DROP TRIGGER IF EXISTS group_sessions_sessionevent_append_only ON group_sessions_sessionevent",
    "DROP TRIGGER IF EXISTS group_sessions_attendance_not_giver ON group_sessions_attendance",
    "DROP FUNCTION IF EXISTS group_sessions_refuse_change()",
    "DROP FUNCTION IF EXISTS group_sessions_giver_not_attendee()",
]

_SQLITE_GIVER_CHECK = f"""
    WHEN EXISTS (SELECT 1 FROM group_sessions_groupsession
                 WHERE id = NEW.session_id AND giver_id = NEW.member_id)
    BEGIN SELECT RAISE(ABORT, '{GIVER_MESSAGE}'); END"""
SQLITE_CREATE = [
    f"""CREATE TRIGGER group_sessions_attendance_not_giver_insert
    BEFORE INSERT ON group_sessions_attendance {_SQLITE_GIVER_CHECK}""",
    f"""CREATE TRIGGER group_sessions_attendance_not_giver_update
    BEFORE UPDATE OF member_id, session_id ON group_sessions_attendance {_SQLITE_GIVER_CHECK}""",
    f"""CREATE TRIGGER group_sessions_sessionevent_append_only
    BEFORE UPDATE ON group_sessions_sessionevent
    BEGIN SELECT RAISE(ABORT, 'UPDATE on group_sessions_sessionevent: {EVENT_MESSAGE}'); END""",
    f"""CREATE TRIGGER group_sessions_session_keeps_giver BEFORE UPDATE ON group_sessions_groupsession
    WHEN OLD.giver_id IS NOT NEW.giver_id
    BEGIN SELECT RAISE(ABORT, 'UPDATE on group_sessions_groupsession: the giver never changes'); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS group_sessions_session_keeps_giver",
    "DROP TRIGGER IF EXISTS group_sessions_sessionevent_append_only",
    "DROP TRIGGER IF EXISTS group_sessions_attendance_not_giver_update",
    "DROP TRIGGER IF EXISTS group_sessions_attendance_not_giver_insert",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            # No parameters, so the "%" placeholders of RAISE reach PL/pgSQL untouched.
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("group_sessions", "0001_group_sessions_attendances_events")]
    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_CREATE, "sqlite": SQLITE_CREATE}),
            _run({"postgresql": POSTGRES_DROP, "sqlite": SQLITE_DROP}),
        )
    ]
