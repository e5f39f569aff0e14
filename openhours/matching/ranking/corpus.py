"""One kind of document ready to rank: its lexical index, its vectors, and relevance.

Relevance comes first in every ranking: a BM25F score over the document's words (and,
when semantic matching is on, the cosine similarity of sentence embeddings, combined as
z-scores). `relevance()` reads the indexes through two small protocols, so the same code
ranks a `Corpus` being built and changed in memory (the index builder, the evaluation, a
test's process) and a snapshot memory-mapped from disk (`snapshot.py`): the scores are
the same numbers either way (docs/matching.md).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import Any, Protocol, cast

import numpy as np

from openhours.matching.ranking import semantic
from openhours.matching.ranking.lexical import FieldSpec, Keys, LexicalIndex, top_k

# Field weights and BM25 constants, chosen on the development queries (docs/matching.md):
# a skill or job title counts twice a word in a bio or an offer; long documents are
# normalised almost fully (b 0.9) and repeated words saturate slowly (k1 2.5).
MEMBER_FIELDS = {
    "skills": FieldSpec(weight=2.0, b=0.75),
    "about": FieldSpec(weight=1.0, b=0.9),
    "offers": FieldSpec(weight=1.0, b=0.9),
}
REQUEST_FIELDS = {
    "title": FieldSpec(weight=2.0, b=0.75),
    "body": FieldSpec(weight=1.0, b=0.9),
}
K1 = 2.5
# Lexical and semantic scores are combined as z-scores, each standardised over its best
# NORMALISE_OVER documents; semantic similarity counts 1.8 times lexical
# relevance. Chosen on the development queries (docs/matching.md).
SEMANTIC_WEIGHT = 1.8
NORMALISE_OVER = 100
# How many of the most relevant documents relevance returns (engine.RERANK of them are
# then re-ranked).
CANDIDATES = 200


class Ranked:
    """What ranks one kind of document: its lexical index and (when on) its vectors, live
    (`Corpus`) or mapped from a snapshot (`snapshot.FrozenCorpus`)."""

    lexical: LexicalView
    vectors: VectorView | None

    def relevance(
        self, text: str, vector: np.ndarray | None, *, exclude: Collection[int] = ()
    ) -> list[tuple[int, float]]:
        return relevance(self.lexical, self.vectors, text, vector, exclude=exclude)

    def vector(self, key: int) -> np.ndarray | None:
        """The stored vector of `key` (a request's, so it is not embedded again)."""
        return self.vectors.vector(key) if self.vectors is not None else None


class Corpus(Ranked):
    """The lexical index and (when on) the vectors of one kind of document."""

    lexical: LexicalIndex
    vectors: semantic.VectorIndex | None

    def __init__(self, fields: dict[str, FieldSpec]) -> None:
        self.lexical = LexicalIndex(fields, k1=K1)
        self.vectors: semantic.VectorIndex | None = None
        self.digests: dict[int, str] = {}

    def build(self, rows: Iterable[tuple[int, dict[str, str], str, Any]], count: int) -> None:
        """Replace everything with `rows` (about `count` of them), read once."""
        digests: dict[int, str] = {}
        vectors: semantic.VectorIndex | None = None

        def documents() -> Iterator[tuple[int, dict[str, str]]]:
            nonlocal vectors
            for key, fields, digest, data in rows:
                digests[key] = digest
                vector = semantic.from_bytes(data)
                if vector is not None:
                    if vectors is None:
                        vectors = semantic.VectorIndex(len(vector), capacity=count)
                    vectors.upsert(key, vector)
                yield key, fields

        self.lexical.build(documents())
        self.digests = digests
        self.vectors = vectors

    def upsert(self, key: int, fields: dict[str, str], digest: str, data: Any) -> None:
        self.lexical.upsert(key, fields)
        self.digests[key] = digest
        vector = semantic.from_bytes(data)
        if vector is not None:
            if self.vectors is None:
                self.vectors = semantic.VectorIndex(len(vector))
            self.vectors.upsert(key, vector)
        elif self.vectors is not None:
            self.vectors.remove(key)

    def replace_many(
        self, documents: Sequence[tuple[int, dict[str, str] | None, str, Any]]
    ) -> None:
        """Apply many `(key, fields, digest, embedding)` at once; `fields` None removes the
        document. Old rows leave the lexical index in one pass (`remove_many`)."""
        self.lexical.remove_many([key for key, *_ in documents])
        for key, fields, digest, data in documents:
            if fields is None:
                self.remove(key)
            else:
                self.upsert(key, fields, digest, data)

    def remove(self, key: int) -> None:
        self.lexical.remove(key)
        self.digests.pop(key, None)
        if self.vectors is not None:
            self.vectors.remove(key)

    def __len__(self) -> int:
        return len(self.lexical)


class LexicalView(Protocol):
    """What relevance reads of a lexical index: `LexicalIndex`, or a snapshot's."""

    def score(self, text: str) -> tuple[Keys, np.ndarray]: ...

    def position(self, key: Any) -> int | None: ...


class VectorView(Protocol):
    """What relevance reads of the vectors: `semantic.VectorIndex`, or a snapshot's."""

    def similarities(self, query: np.ndarray) -> tuple[Keys, np.ndarray]: ...

    def row(self, key: Any) -> int | None: ...

    def vector(self, key: Any) -> np.ndarray | None: ...


def relevance(
    lexical: LexicalView,
    vectors: VectorView | None,
    text: str,
    vector: np.ndarray | None,
    *,
    exclude: Collection[int] = (),
) -> list[tuple[int, float]]:
    """The most relevant documents, best first, with relevance scaled to (0, 1]."""
    keys, lexical_scores = lexical.score(text)
    if vector is None or vectors is None or not len(keys):
        found = top_k(keys, lexical_scores, CANDIDATES, exclude=list(exclude))
        best = found[0][1] if found else 1.0
        return [(cast(int, key), score / best) for key, score in found]
    vector_keys, similarity = vectors.similarities(vector)
    excluded = list(exclude)
    lexical_at = dict(top_k(keys, lexical_scores, CANDIDATES, exclude=excluded))
    semantic_at = dict(
        top_k(vector_keys, similarity, CANDIDATES, exclude=excluded, positive_only=False)
    )
    lexical_z = _standardise(lexical_scores)
    semantic_z = _standardise(similarity)
    # Close in meaning means closer than the average document, or sharing words.
    live = similarity[np.isfinite(similarity)]
    typical = float(live.mean()) if len(live) else 0.0
    combined: dict[int, float] = {}
    for key in cast(set[int], set(lexical_at) | set(semantic_at)):
        row = lexical.position(key)
        vrow = vectors.row(key)
        if row is None or vrow is None:
            continue
        lex, sem = float(lexical_z[row]), float(semantic_z[vrow])
        if not (np.isfinite(lex) and np.isfinite(sem)):
            continue
        if key in lexical_at or float(similarity[vrow]) > typical:
            combined[key] = lex + SEMANTIC_WEIGHT * sem
    ranked = sorted(combined.items(), key=lambda item: -item[1])[:CANDIDATES]
    if not ranked:
        return []
    # Scaled to (0, 1] between the last candidate and the best, as the re-ranking
    # expects; the order is the combined score's.
    best, floor = ranked[0][1], ranked[-1][1]
    spread = (best - floor) or 1.0
    return [(key, 0.05 + 0.95 * (score - floor) / spread) for key, score in ranked]


def _standardise(scores: np.ndarray) -> np.ndarray:
    """Scores as z-scores against the best `NORMALISE_OVER`: the spread that matters is
    among documents that could be chosen, not the long tail that shares nothing."""
    live = scores[np.isfinite(scores)]
    if not len(live):
        return scores
    if len(live) > NORMALISE_OVER:
        live = np.partition(live, len(live) - NORMALISE_OVER)[-NORMALISE_OVER:]
    spread = float(live.std()) or 1.0
    return (scores - float(live.mean())) / spread
