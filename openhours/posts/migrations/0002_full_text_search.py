"""Full-text search indexes, one per database engine (see openhours/posts/search.py)."""

from django.db import migrations

SQLITE_CREATE = [
    """CREATE VIRTUAL TABLE posts_post_fts USING fts5(
        title, description, content='posts_post', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER posts_post_fts_insert AFTER INSERT ON posts_post BEGIN
        INSERT INTO posts_post_fts(rowid, title, description)
        VALUES (new.id, new.title, new.description);
    END""",
    """CREATE TRIGGER posts_post_fts_delete AFTER DELETE ON posts_post BEGIN
        INSERT INTO posts_post_fts(posts_post_fts, rowid, title, description)
        VALUES ('delete', old.id, old.title, old.description);
    END""",
    """CREATE TRIGGER posts_post_fts_update AFTER UPDATE OF title, description ON posts_post BEGIN
        INSERT INTO posts_post_fts(posts_post_fts, rowid, title, description)
        VALUES ('delete', old.id, old.title, old.description);
        INSERT INTO posts_post_fts(rowid, title, description)
        VALUES (new.id, new.title, new.description);
    END""",
    "INSERT INTO posts_post_fts(posts_post_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS posts_post_fts_update",
    "DROP TRIGGER IF EXISTS posts_post_fts_delete",
    "DROP TRIGGER IF EXISTS posts_post_fts_insert",
    "DROP TABLE IF EXISTS posts_post_fts",
]
POSTGRES_CREATE = [
    """CREATE INDEX posts_post_fts_gin ON posts_post USING gin (
        (to_tsvector('english'::regconfig, coalesce(title, '') || ' ' || coalesce(description, '')))
    )"""
]
POSTGRES_DROP = ["DROP INDEX IF EXISTS posts_post_fts_gin"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("posts", "0001_posts")]
    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
