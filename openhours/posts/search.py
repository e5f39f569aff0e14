"""Full-text search over posts, using the database's own engine.

SQLite: an FTS5 table (``posts_post_fts``) kept in step with ``posts_post`` by triggers.
PostgreSQL: a GIN index on the same tsvector expression used in the query. Both are
created by migration 0002; both make a search touch the index, not every post.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from .models import Post

# The expression the PostgreSQL index is built on; queries must use it verbatim.
PG_DOCUMENT = (
    "to_tsvector('english'::regconfig, coalesce(title, '') || ' ' || coalesce(description, ''))"
)

_WORD = re.compile(r"\w+", re.UNICODE)


def fts5_query(text: str) -> str:
    """Free text as a safe FTS5 query: every word must match; the last may be a prefix."""
    words = _WORD.findall(text.lower())[:12]
    if not words:
        return ""
    terms = [f'"{w}"' for w in words]
    terms[-1] += "*"
    return " ".join(terms)


def search_posts(queryset: QuerySet[Post], text: str) -> QuerySet[Post]:
    text = text.strip()
    if not text:
        return queryset
    if connection.vendor == "postgresql":
        # The user's text is a bound parameter; only our own constant is formatted in.
        sql = (
            f"SELECT id FROM posts_post WHERE {PG_DOCUMENT} @@ websearch_to_tsquery('english', %s)"  # noqa: S608
        )
        return queryset.filter(pk__in=RawSQL(sql, [text]))  # noqa: S611
    query = fts5_query(text)
    if not query:
        return queryset.none()
    sql = "SELECT rowid FROM posts_post_fts WHERE posts_post_fts MATCH %s"
    return queryset.filter(pk__in=RawSQL(sql, [query]))  # noqa: S611
