"""Full-text search over posts, using the database's own engine.

SQLite: an FTS5 table (``posts_post_fts``) kept in step with ``posts_post`` by triggers
(migration 0002). PostgreSQL: a stored generated tsvector column, ``search_document``,
with a GIN index (migration 0004). Either way a search reads the index, not every post's
text, and the browse order comes from ``posts_status_created`` (0003): see
``selectors.browse_posts``.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from .models import Post

# PostgreSQL's stored tsvector of title and description (generated, not on the model).
# Unqualified, so it names this query's posts_post under whatever alias Django gives it.
PG_MATCH = "search_document @@ websearch_to_tsquery('english', %s)"

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
        # A condition on the row itself (no IN-subquery), so PostgreSQL may either walk
        # the browse order and check each row's stored vector, or read the GIN index.
        # The user's text is a bound parameter.
        return queryset.filter(RawSQL(PG_MATCH, [text], output_field=BooleanField()))  # noqa: S611
    query = fts5_query(text)
    if not query:
        return queryset.none()
    sql = "SELECT rowid FROM posts_post_fts WHERE posts_post_fts MATCH %s"
    return queryset.filter(pk__in=RawSQL(sql, [query]))  # noqa: S611
