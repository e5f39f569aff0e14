"""Full-text search over posts, using the database's own engine.

SQLite: an FTS5 table (``posts_post_fts``) kept in step with ``posts_post`` by triggers
(migration 0002). PostgreSQL: a stored generated tsvector column, ``search_document``,
with a GIN index (migration 0004). Either way a search reads the index, not every post's
text, and the browse order comes from ``posts_status_created`` (0003): see
``selectors.browse_posts``.

Both engines get the same query from the same words: every word must match (stemmed),
and the last may be the start of a word, so "spiro" finds spirometry while it is typed.
The words are runs of letters and digits taken from the user's text, so no operator,
quote or bracket of either query language ever reaches the engine; text without any such
word is no search at all.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from .models import Post

# At most this many words, each cut to this many characters: a pasted essay stays a
# small query (and PostgreSQL never meets a lexeme over its 2 KB limit).
MAX_WORDS = 12
MAX_WORD_LENGTH = 64

# Letters and digits in any script; underscores, punctuation and operators separate words.
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# A possessive 's is not a word to match ("patient's notes" looks for patient and notes):
# PostgreSQL drops it as a stop word, FTS5 would look for a word "s".
_POSSESSIVE = re.compile(r"(?<=[^\W_])['\u2019]s\b", re.UNICODE)

# PostgreSQL: the stored tsvector of title and description (generated, not on the model),
# unqualified so it names this query's posts_post under whatever alias Django gives it.
# The first parameter is every word but the last (may be empty: then it adds nothing);
# the second is the last word as a prefix. An English stop word ("on", "the") has no
# English lexeme, so as the last word it is matched as typed instead ("on" finds oncology),
# as on SQLite, which has no stop words. Both tsqueries are built from bound parameters
# and are constants to the planner, so the GIN index on search_document serves them.
PG_MATCH = (
    "search_document @@ (to_tsquery('english'::regconfig, %s) && coalesce("
    "nullif(to_tsquery('english'::regconfig, %s), ''::tsquery), "
    "to_tsquery('simple'::regconfig, %s)))"
)


def search_words(text: str) -> list[str]:
    """The words of free text that a search matches, lower-cased, at most ``MAX_WORDS``."""
    words = _WORD.findall(_POSSESSIVE.sub("", text.lower()))
    return [word[:MAX_WORD_LENGTH] for word in words[:MAX_WORDS]]


def fts5_query(words: list[str]) -> str:
    """Words as a safe FTS5 query: every word must match; the last may be a prefix."""
    terms = [f'"{word}"' for word in words]
    terms[-1] += "*"
    return " ".join(terms)


def _tsquery_operand(word: str) -> str:
    # A word is only letters and digits, but quote it as a tsquery literal regardless.
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def tsquery_terms(words: list[str]) -> tuple[str, str]:
    """Words as ``to_tsquery`` input: (every word but the last ANDed, the last as a prefix).

    The prefix is written ``(word | word:*)``, which matches exactly what ``word:*`` does,
    for the planner's sake: it estimates a prefix alone from a fixed default (2 % of rows
    when its statistics hold under 100 common lexemes), so "virtual ward" looked rare and
    was read whole from the GIN index and sorted (~55 ms at 100,000 posts) instead of
    walking the browse order to its 20th match (under 1 ms). With the whole word beside
    it, the estimate is at least the word's own.
    """
    *head, last = words
    operand = _tsquery_operand(last)
    return " & ".join(_tsquery_operand(word) for word in head), f"({operand} | {operand}:*)"


def search_posts(queryset: QuerySet[Post], text: str) -> QuerySet[Post]:
    words = search_words(text)
    if not words:
        return queryset
    if connection.vendor == "postgresql":
        # A condition on the row itself (no IN-subquery), so PostgreSQL may either walk
        # the browse order and check each row's stored vector, or read the GIN index.
        head, last = tsquery_terms(words)
        condition = RawSQL(PG_MATCH, [head, last, last], output_field=BooleanField())  # noqa: S611
        return queryset.filter(condition)
    sql = "SELECT rowid FROM posts_post_fts WHERE posts_post_fts MATCH %s"
    return queryset.filter(pk__in=RawSQL(sql, [fts5_query(words)]))  # noqa: S611
