"""PostgreSQL: keep each post's tsvector in a stored generated column, indexed by GIN.

Migration 0002 indexed the expression, which a GIN bitmap scan can use but which every
other plan recomputes per row: a page of results walking ``posts_status_created`` (0003)
spent ~40 microseconds in ``to_tsvector`` for each post it looked at. A stored column is
computed once, when the post is written, so a row-by-row check is a cheap ``@@``. The
model does not declare the column; PostgreSQL fills it. SQLite is untouched (its FTS5
table from 0002 already stores the index apart from the rows).
"""

from django.db import migrations

DOCUMENT = (
    "to_tsvector('english'::regconfig, coalesce(title, '') || ' ' || coalesce(description, ''))"
)
FORWARD = [
    f"ALTER TABLE posts_post ADD COLUMN search_document tsvector GENERATED ALWAYS AS ({DOCUMENT}) STORED",
    "CREATE INDEX posts_post_search_document_gin ON posts_post USING gin (search_document)",
    "DROP INDEX IF EXISTS posts_post_fts_gin",
]
BACKWARD = [
    f"CREATE INDEX posts_post_fts_gin ON posts_post USING gin (({DOCUMENT}))",
    "DROP INDEX IF EXISTS posts_post_search_document_gin",
    "ALTER TABLE posts_post DROP COLUMN IF EXISTS search_document",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("posts", "0003_browse_index_status_created_id")]
    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
