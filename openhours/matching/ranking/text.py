"""Turning words into the terms the lexical ranker counts.

Lower-case letters and digits only, and a light English suffix stripper so that
"audits", "auditing" and "audited" meet "audit". No stop-word list: measured on the
development set, dropping common words cost more than it gained (BM25's inverse document
frequency already gives them almost no weight), see docs/matching.md. Common words do not
make a match on their own, though: a document must share at least one other term with the
query (`FUNCTION_WORDS`), or a request would be brought to everyone who wrote "and".
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

_WORD = re.compile(r"[a-z0-9]+")

# Longest first; each keeps a stem of at least three letters.
_SUFFIXES = (
    ("ational", "ate"),
    ("ations", ""),
    ("ation", ""),
    ("ments", ""),
    ("ment", ""),
    ("ness", ""),
    ("ings", ""),
    ("ing", ""),
    ("ies", "y"),
    ("ied", "y"),
    ("ers", "er"),
    ("ses", "s"),
    ("es", "e"),
    ("ed", ""),
    ("ly", ""),
    ("s", ""),
)


_FUNCTION_WORDS = """a about after all also am an and any are as at be been being but by
    can could did
    do does for from had has have he her his how i if in into is it its just me more most
    my no not of on or our out she so some than that the their them then there these they
    this those to too up us very was we were what when where which who why will with would
    you your"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS.split())


@lru_cache(maxsize=1 << 18)
def stem(word: str) -> str:
    """Strip one common English suffix, keeping at least three letters (remembered: the
    same few thousand words come back in every document)."""
    if word.isdigit() or len(word) <= 3:
        return word
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            return word[: -len(suffix)] + replacement
    return word


def terms(text: str) -> list[str]:
    """The terms of `text` in order, stemmed."""
    return [stem(word) for word in _WORD.findall(text.lower())]


def term_counts(text: str) -> Counter[str]:
    return Counter(terms(text))


def is_content(term: str) -> bool:
    return term not in FUNCTION_WORDS
