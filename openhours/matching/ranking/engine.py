"""The process's matching index and the two rankings built on it.

Relevance comes first: a BM25F score over each member's words (and, when semantic
matching is on, the cosine similarity of sentence embeddings, combined as z-scores). The
best few hundred by relevance are then read from the database, checked (approved, active,
not the requester, not blocked either way, open requests only) and re-ranked by the
system-aware adjustments in `reranking.py`. docs/matching.md gives the weights and why.

Each process holds one index. It is built from the stored documents on first use, and
every `OPENHOURS_MATCHING_REFRESH_SECONDS` a ranking first asks the database what changed
since the last look (profiles, offers, requests, confirmed exchanges) and takes exactly
those documents, so an edited profile is matchable within seconds without a rebuild.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

import numpy as np
from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from openhours.matching.models import MemberDocument, RequestDocument
from openhours.matching.ranking import semantic
from openhours.matching.ranking.documents import request_fields, request_items, sync_documents
from openhours.matching.ranking.lexical import FieldSpec, LexicalIndex, top_k
from openhours.matching.ranking.reranking import rerank_helpers, rerank_requests
from openhours.matching.ranking.results import HelperMatch, RequestMatch

if TYPE_CHECKING:
    from openhours.accounts.models import User
    from openhours.posts.models import Post

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
# How many of the most relevant documents relevance returns, and how many of those are
# read from the database and re-ranked (the adjustments are bounded, so a member below
# the best 100 by relevance would need every bonus and the others every penalty).
CANDIDATES = 200
RERANK = 100
# Changes are looked for from a little before the last look, so a transaction that
# committed late with an earlier timestamp is not missed.
OVERLAP = timedelta(seconds=30)


class Corpus:
    """The lexical index and (when on) the vectors of one kind of document."""

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

    def remove(self, key: int) -> None:
        self.lexical.remove(key)
        self.digests.pop(key, None)
        if self.vectors is not None:
            self.vectors.remove(key)

    def __len__(self) -> int:
        return len(self.lexical)

    def relevance(
        self, text: str, vector: np.ndarray | None, *, exclude: Collection[int] = ()
    ) -> list[tuple[int, float]]:
        """The most relevant documents, best first, with relevance scaled to (0, 1]."""
        keys, lexical = self.lexical.score(text)
        if vector is None or self.vectors is None or not len(keys):
            found = top_k(keys, lexical, CANDIDATES, exclude=list(exclude))
            best = found[0][1] if found else 1.0
            return [(cast(int, key), score / best) for key, score in found]
        vector_keys, similarity = self.vectors.similarities(vector)
        excluded = list(exclude)
        lexical_at = dict(top_k(keys, lexical, CANDIDATES, exclude=excluded))
        semantic_at = dict(
            top_k(vector_keys, similarity, CANDIDATES, exclude=excluded, positive_only=False)
        )
        lexical_z = _standardise(lexical)
        semantic_z = _standardise(similarity)
        # Close in meaning means closer than the average document, or sharing words.
        live = similarity[np.isfinite(similarity)]
        typical = float(live.mean()) if len(live) else 0.0
        lexical_row = self.lexical.position
        vector_row = self.vectors.rows
        combined: dict[int, float] = {}
        for key in cast(set[int], set(lexical_at) | set(semantic_at)):
            row = lexical_row(key)
            vrow = vector_row.get(key)
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


@dataclass
class RefreshReport:
    members: int
    requests: int
    seconds: float


class MatchingIndex:
    """Members and open requests, ready to rank, kept in step with the database."""

    def __init__(self) -> None:
        self.members = Corpus(MEMBER_FIELDS)
        self.requests = Corpus(REQUEST_FIELDS)
        self.watermark: datetime | None = None
        self.checked_at = 0.0
        self.lock = threading.RLock()

    def load(self) -> None:
        """Build from the stored documents, first bringing them up to date."""
        with self.lock:
            started = timezone.now()
            latest = [
                MemberDocument.objects.aggregate(at=Max("updated_at"))["at"],
                RequestDocument.objects.aggregate(at=Max("updated_at"))["at"],
            ]
            since = min((at for at in latest if at), default=None)
            sync_documents(since=since - OVERLAP if since else None)
            for corpus, model, key in (
                (self.members, MemberDocument, "member_id"),
                (self.requests, RequestDocument, "post_id"),
            ):
                stored = model.objects.order_by("pk").values_list(
                    key, "fields", "digest", "embedding"
                )
                corpus.build(stored.iterator(chunk_size=2000), count=stored.count())
            self.watermark = started - OVERLAP
            self.checked_at = time.monotonic()

    def refresh(self, *, force: bool = False) -> RefreshReport | None:
        """Take what changed since the last look, if it is time to look again."""
        every = settings.OPENHOURS_MATCHING_REFRESH_SECONDS
        if not force and time.monotonic() - self.checked_at < every:
            return None
        with self.lock:
            began = time.monotonic()
            started = timezone.now()
            report = sync_documents(since=self.watermark)
            members = self._take(self.members, MemberDocument, "member_id", report.examined_members)
            requests = self._take(
                self.requests, RequestDocument, "post_id", report.examined_requests
            )
            self.watermark = started - OVERLAP
            self.checked_at = time.monotonic()
            return RefreshReport(members, requests, time.monotonic() - began)

    @staticmethod
    def _take(
        corpus: Corpus,
        model: type[MemberDocument] | type[RequestDocument],
        key_field: str,
        keys: list[int],
    ) -> int:
        """Apply the stored documents of `keys` whose digest differs from ours."""
        if not keys:
            return 0
        stored = {
            key: (fields, digest, data)
            for key, fields, digest, data in model.objects.filter(
                **{f"{key_field}__in": keys}
            ).values_list(key_field, "fields", "digest", "embedding")
        }
        changed = 0
        for key in keys:
            if key not in stored:
                if key in corpus.digests:
                    corpus.remove(key)
                    changed += 1
                continue
            fields, digest, data = stored[key]
            if corpus.digests.get(key) != digest:
                corpus.upsert(key, fields, digest, data)
                changed += 1
        return changed


_index: MatchingIndex | None = None
_index_lock = threading.Lock()


def get_index() -> MatchingIndex:
    """This process's index: loaded on first use, refreshed when it is time."""
    global _index
    with _index_lock:
        if _index is None:
            index = MatchingIndex()
            index.load()
            _index = index
            return index
        index = _index
    index.refresh()
    return index


def reset_index() -> None:
    """Forget the index (tests, and `rebuild_matching_index`); the next use reloads."""
    global _index
    with _index_lock:
        _index = None


def query_vector_for_text(text: str) -> np.ndarray | None:
    if not semantic.enabled() or not text.strip():
        return None
    vector: np.ndarray = semantic.embed([text])[0]
    return vector


def rank_helpers(
    post: Post, *, limit: int = 10, exclude: Collection[int] = ()
) -> list[HelperMatch]:
    index = get_index()
    fields = request_fields(post, sorted(skill.name for skill in post.skills.all()))
    text = "\n".join(fields.values())
    stored = index.requests.vectors
    vector = None
    if semantic.enabled():
        row = stored.rows.get(post.pk) if stored is not None else None
        if stored is not None and row is not None and stored.alive[row]:
            vector = stored.matrix[row]
        else:
            vector = query_vector_for_text(request_items(fields)[0])
    candidates = index.members.relevance(text, vector, exclude={post.author_id, *exclude})
    return rerank_helpers(post, candidates[:RERANK], query_text=text, limit=limit)


def rank_requests(member: User, *, limit: int = 10) -> list[RequestMatch]:
    index = get_index()
    document = (
        MemberDocument.objects.filter(member_id=member.pk)
        .values_list("fields", "embedding")
        .first()
    )
    if document is None:
        return []
    fields, data = document
    text = "\n".join(str(value) for value in fields.values())
    vector = semantic.from_bytes(data)
    candidates = index.requests.relevance(
        text, vector.astype(np.float32) if vector is not None else None
    )
    return rerank_requests(member, candidates[:RERANK], query_fields=fields, limit=limit)


def index_status() -> dict[str, object]:
    """Whether this process's index is built, and how big it is (for ``/health/``)."""
    index = _index
    if index is None:
        return {"ready": False}
    return {
        "ready": True,
        "members": len(index.members),
        "requests": len(index.requests),
        "checked_seconds_ago": round(time.monotonic() - index.checked_at, 1),
    }
