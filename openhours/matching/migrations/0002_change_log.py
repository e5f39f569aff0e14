"""The change log matching's index builder reads, filled by triggers, one set per engine.

Every write that can change a member's or a request's document adds a row to
``matching_documentchange``: a profile added, changed or deleted, or its skills; a post
(an offer counts for its author, a request for itself) or its skills; a user's approval
or activity; an exchange becoming confirmed (its title joins the giver's words). A
trigger sees a bulk ``UPDATE``, an import and raw SQL as well as the ORM's saves, and the
builder finds the changes by a primary-key range instead of scanning the members table
(docs/matching.md, "Freshness"). ``clock_timestamp()``, not ``now()``, so a long
transaction's rows are dated when written; the builder goes by id, the date only prunes.

SQLite drops a table's triggers when a migration rebuilds the table: a later migration
that alters one of these tables must recreate them (matching/tests/test_change_log.py checks they
exist on both engines).
"""

from django.db import migrations, models

LOG = "INSERT INTO matching_documentchange (kind, object_id, changed_at)"

# (table, events, row, what to log from that row) for the simple cases: one SELECT over
# the row (NEW or OLD) gives the kind and the id.
SIMPLE = {
    "profile": ("members_profile", "'member', {row}.user_id"),
    "user": ("accounts_user", "'member', {row}.id"),
    "post": (
        "posts_post",
        "CASE WHEN {row}.kind = 'offer' THEN 'member' ELSE 'request' END, "
        "CASE WHEN {row}.kind = 'offer' THEN {row}.author_id ELSE {row}.id END",
    ),
    "exchange": ("exchanges_exchange", "'member', {row}.giver_id"),
}
# Link tables: the owner is looked up (nothing is logged if it is already gone).
LINKS = {
    "profile_skill": (
        "members_profile_skills",
        "SELECT 'member', p.user_id, {now} FROM members_profile p WHERE p.id = {row}.profile_id",
    ),
    "post_skill": (
        "posts_post_skills",
        "SELECT CASE WHEN p.kind = 'offer' THEN 'member' ELSE 'request' END, "
        "CASE WHEN p.kind = 'offer' THEN p.author_id ELSE p.id END, {now} "
        "FROM posts_post p WHERE p.id = {row}.post_id",
    ),
}
# Which events of each table matter, and when (an update of a user matters only if their
# approval or activity changed; of an exchange, only when it becomes confirmed). Each is
# (name suffix, timing and event, row, condition in PostgreSQL, condition in SQLite).
EVENTS = {
    "profile": [
        ("ins", "INSERT", "NEW", "", ""),
        ("upd", "UPDATE", "NEW", "", ""),
        ("del", "DELETE", "OLD", "", ""),
    ],
    "user": [
        (
            "upd",
            "UPDATE",
            "NEW",
            "OLD.is_active IS DISTINCT FROM NEW.is_active "
            "OR OLD.approval IS DISTINCT FROM NEW.approval",
            "OLD.is_active IS NOT NEW.is_active OR OLD.approval IS NOT NEW.approval",
        )
    ],
    "post": [
        ("ins", "INSERT", "NEW", "", ""),
        ("upd", "UPDATE", "NEW", "", ""),
        ("del", "DELETE", "OLD", "", ""),
    ],
    "exchange": [
        ("ins", "INSERT", "NEW", "NEW.state = 'confirmed'", "NEW.state = 'confirmed'"),
        (
            "upd",
            "UPDATE",
            "NEW",
            "NEW.state = 'confirmed' AND OLD.state IS DISTINCT FROM NEW.state",
            "NEW.state = 'confirmed' AND OLD.state IS NOT NEW.state",
        ),
    ],
    "profile_skill": [("ins", "INSERT", "NEW", "", ""), ("del", "DELETE", "OLD", "", "")],
    "post_skill": [("ins", "INSERT", "NEW", "", ""), ("del", "DELETE", "OLD", "", "")],
}
TABLES = {**{name: table for name, (table, _) in SIMPLE.items()}}
TABLES.update({name: table for name, (table, _) in LINKS.items()})


def _insert(name: str, row: str, now: str) -> str:
    if name in SIMPLE:
        return f"{LOG} VALUES ({SIMPLE[name][1].format(row=row)}, {now})"
    return f"{LOG} {LINKS[name][1].format(row=row, now=now)}"


def postgres_create() -> list[str]:
    statements = []
    for name, events in EVENTS.items():
        for suffix, event, row, pg_when, _ in events:
            function = f"matching_log_{name}_{suffix}"
            statements.append(
                f"""CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN {_insert(name, row, "clock_timestamp()")}; RETURN NULL; END $$"""
            )
            when = f"WHEN ({pg_when})" if pg_when else ""
            statements.append(
                f"""CREATE TRIGGER {function} AFTER {event} ON {TABLES[name]}
                FOR EACH ROW {when} EXECUTE FUNCTION {function}()"""
            )
    return statements


def postgres_drop() -> list[str]:
    statements = []
    for name, events in EVENTS.items():
        for suffix, *_ in events:
            function = f"matching_log_{name}_{suffix}"
            statements.append(f"DROP TRIGGER IF EXISTS {function} ON {TABLES[name]}")
            statements.append(f"DROP FUNCTION IF EXISTS {function}()")
    return statements


def sqlite_create() -> list[str]:
    # Django stores SQLite datetimes as "YYYY-MM-DD HH:MM:SS.ffffff" text in UTC.
    now = "strftime('%Y-%m-%d %H:%M:%f', 'now')"
    statements = []
    for name, events in EVENTS.items():
        for suffix, event, row, _, sqlite_when in events:
            when = f"WHEN {sqlite_when}" if sqlite_when else ""
            statements.append(
                f"""CREATE TRIGGER matching_log_{name}_{suffix} AFTER {event} ON {TABLES[name]}
                FOR EACH ROW {when} BEGIN {_insert(name, row, now)}; END"""
            )
    return statements


def sqlite_drop() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS matching_log_{name}_{suffix}"
        for name, events in EVENTS.items()
        for suffix, *_ in events
    ]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, lambda: [])():
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0001_documents_and_routing"),
        ("accounts", "0001_user"),
        ("members", "0003_member_blocks"),
        ("posts", "0004_postgres_stored_search_document"),
        ("exchanges", "0001_exchanges_events_messages_feedback"),
    ]

    operations = [
        migrations.CreateModel(
            name="DocumentChange",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("member", "A member's document"),
                            ("request", "A request's document"),
                            ("reload", "Every document"),
                        ],
                        max_length=7,
                    ),
                ),
                (
                    "object_id",
                    models.BigIntegerField(help_text="The member's or the request's id."),
                ),
                ("changed_at", models.DateTimeField()),
            ],
            options={
                "indexes": [models.Index(fields=["changed_at"], name="matching_change_at")],
            },
        ),
        migrations.RunPython(
            _run({"postgresql": postgres_create, "sqlite": sqlite_create}),
            _run({"postgresql": postgres_drop, "sqlite": sqlite_drop}),
        ),
    ]
