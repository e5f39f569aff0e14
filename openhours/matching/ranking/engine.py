"""Where a process's rankings read the index from, and the two rankings built on it.

Relevance comes first (`corpus.relevance`: BM25F, and cosine similarity when semantic
matching is on). The best few hundred by relevance are then read from the database,
checked (approved, active, not the requester, not blocked either way, open requests
only) and re-ranked by the system-aware adjustments in `reranking.py`. docs/matching.md
gives the weights and why.

No index is built or brought up to date inside a request. One builder per server (a
thread of that server's worker, `builder.py`) keeps a `MatchingIndex` in step with the
database through the change log, and writes it as a snapshot that every process on the
server memory-maps (`snapshot.py`); a ranking reads the newest snapshot, looking for a
newer one with one `stat` at most every `OPENHOURS_MATCHING_REFRESH_SECONDS`. Before the
first snapshot exists a ranking finds nobody and says so (`index_status`, `is_ready`).

`OPENHOURS_MATCHING_REFRESH_SECONDS=0` (the test suite's setting, and a one-process
development server's) makes each process its own builder instead: every ranking first
takes the changes, so a test sees its own writes at once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from openhours.matching.models import MemberDocument, RequestDocument
from openhours.matching.ranking import changes, semantic, snapshot
from openhours.matching.ranking.corpus import MEMBER_FIELDS, REQUEST_FIELDS, Corpus
from openhours.matching.ranking.documents import (
    missing_member_ids,
    missing_request_ids,
    request_fields,
    request_items,
    sync_documents,
    sync_members_and_requests,
)
from openhours.matching.ranking.reranking import rerank_helpers, rerank_requests
from openhours.matching.ranking.results import HelperMatch, RequestMatch

if TYPE_CHECKING:
    from openhours.accounts.models import User
    from openhours.posts.models import Post

logger = logging.getLogger(__name__)

# How many of the most relevant documents are read from the database and re-ranked (the
# adjustments are bounded, so a member below the best 100 by relevance would need every
# bonus and the others every penalty).
RERANK = 100
# A builder starting up takes the changes logged from a little before its newest stored
# document, so one written by a transaction that committed late is not missed.
OVERLAP = timedelta(seconds=30)
WARMING_UP = "Matching is warming up: suggestions appear once the index is built."


@dataclass
class RefreshReport:
    members: int
    requests: int
    seconds: float


class MatchingIndex:
    """Members and open requests, ready to rank, kept in step with the database by the
    change log. Held by a builder (and, with no refresh delay, by each process)."""

    def __init__(self) -> None:
        self.members = Corpus(MEMBER_FIELDS)
        self.requests = Corpus(REQUEST_FIELDS)
        self.cursor = changes.ChangeCursor()
        self.built_at: datetime | None = None  # documents read at or after this moment
        self.checked_at = 0.0
        self.lock = threading.RLock()

    def load(self) -> None:
        """Build from the stored documents, first bringing them up to date: with what the
        change log holds since the newest document was stored, and any member or open
        request with no document at all (or, for a process that is its own builder, or
        when the log no longer reaches back that far, every document)."""
        with self.lock:
            started = timezone.now()
            cursor = changes.ChangeCursor.at_end()  # before anything is read
            latest = [
                MemberDocument.objects.aggregate(at=Max("updated_at"))["at"],
                RequestDocument.objects.aggregate(at=Max("updated_at"))["at"],
            ]
            since = min((at for at in latest if at), default=None)
            if since is None or since < started - changes.KEEP or in_process():
                sync_documents(since=None)
            else:
                logged = changes.logged_since(since - OVERLAP)
                sync_members_and_requests(
                    logged.members | set(missing_member_ids()),
                    logged.requests | set(missing_request_ids()),
                )
            for corpus, model, key in (
                (self.members, MemberDocument, "member_id"),
                (self.requests, RequestDocument, "post_id"),
            ):
                stored = model.objects.order_by("pk").values_list(
                    key, "fields", "digest", "embedding"
                )
                corpus.build(stored.iterator(chunk_size=2000), count=stored.count())
            self.cursor = cursor
            self.built_at = started
            self.checked_at = time.monotonic()

    def refresh(self, *, force: bool = False) -> RefreshReport | None:
        """Take what the change log says changed since the last look, if it is time to
        look again (`force`: now)."""
        every = settings.OPENHOURS_MATCHING_REFRESH_SECONDS
        if not force and time.monotonic() - self.checked_at < every:
            return None
        with self.lock:
            began = time.monotonic()
            started = timezone.now()
            changed = self.cursor.take()
            members = requests = 0
            if changed.reload:
                self.load()
                seconds = time.monotonic() - began
                return RefreshReport(len(self.members), len(self.requests), seconds)
            if changed:
                report = sync_members_and_requests(changed.members, changed.requests)
                members = self._take(
                    self.members, MemberDocument, "member_id", report.examined_members
                )
                requests = self._take(
                    self.requests, RequestDocument, "post_id", report.examined_requests
                )
            self.built_at = started
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
        replaced: list[tuple[int, dict[str, str] | None, str, Any]] = []
        for key in keys:
            if key not in stored:
                if key in corpus.digests:
                    replaced.append((key, None, "", None))
                continue
            fields, digest, data = stored[key]
            if corpus.digests.get(key) != digest:
                replaced.append((key, fields, digest, data))
        corpus.replace_many(replaced)
        return len(replaced)


# -- what a process ranks from ----------------------------------------------------------


class RankableCorpus(Protocol):
    def __len__(self) -> int: ...

    def relevance(
        self, text: str, vector: np.ndarray | None, *, exclude: Collection[int] = ()
    ) -> list[tuple[int, float]]: ...

    def vector(self, key: int) -> np.ndarray | None: ...


class IndexView(Protocol):
    """What a ranking reads: a `MatchingIndex` or a mapped `snapshot.Snapshot`."""

    @property
    def members(self) -> RankableCorpus: ...

    @property
    def requests(self) -> RankableCorpus: ...


def in_process() -> bool:
    """Whether each process is its own builder (no refresh delay: tests, development)."""
    return settings.OPENHOURS_MATCHING_REFRESH_SECONDS == 0


def index_directory() -> Path:
    return Path(settings.OPENHOURS_MATCHING_INDEX_DIR)


class SnapshotReader:
    """This process's view of the server's snapshot: re-mapped when a newer one is made
    current, looked for with one `stat` at most every `OPENHOURS_MATCHING_REFRESH_SECONDS`."""

    def __init__(self) -> None:
        self.snapshot: snapshot.Snapshot | None = None
        self.stamp: tuple[int, int] | None = None
        self.looked_at = float("-inf")
        self.lock = threading.Lock()

    def current(self, *, look: bool = False) -> snapshot.Snapshot | None:
        """The newest snapshot seen (`look`: stat the pointer now, whatever the time)."""
        now = time.monotonic()
        if look or now - self.looked_at >= settings.OPENHOURS_MATCHING_REFRESH_SECONDS:
            with self.lock:
                self.looked_at = now
                directory = index_directory()
                stamp = snapshot.pointer_stamp(directory)
                if stamp is not None and stamp != self.stamp:
                    try:
                        self.snapshot = snapshot.read(directory)
                        self.stamp = stamp
                    except (OSError, ValueError, KeyError):
                        # Half-deleted or unreadable: keep ranking from the one we have.
                        logger.exception("Could not map the matching snapshot in %s", directory)
        return self.snapshot


_index: MatchingIndex | None = None
_index_lock = threading.Lock()
_reader = SnapshotReader()


def get_index() -> IndexView | None:
    """What this process ranks from, or None while matching warms up.

    With a refresh delay (production): the server's newest snapshot, never built here.
    Without one (tests, development): this process's own index, loaded on first use and
    brought up to date on every call.
    """
    if not in_process():
        return _reader.current()
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


def is_ready() -> bool:
    """Whether rankings in this process can find anyone yet (no query: a process that is
    its own builder is always ready, building on its first ranking)."""
    return in_process() or _reader.current() is not None


def reset_index() -> None:
    """Forget this process's index and snapshot (tests, and `rebuild_matching_index`)."""
    global _index, _reader
    with _index_lock:
        _index = None
        _reader = SnapshotReader()


def query_vector_for_text(text: str) -> np.ndarray | None:
    if not semantic.enabled() or not text.strip():
        return None
    vector: np.ndarray = semantic.embed([text])[0]
    return vector


def rank_helpers(
    post: Post, *, limit: int = 10, exclude: Collection[int] = ()
) -> list[HelperMatch]:
    index = get_index()
    if index is None:
        return []
    fields = request_fields(post, sorted(skill.name for skill in post.skills.all()))
    text = "\n".join(fields.values())
    vector = None
    if semantic.enabled():
        vector = index.requests.vector(post.pk)
        if vector is None:
            vector = query_vector_for_text(request_items(fields)[0])
    candidates = index.members.relevance(text, vector, exclude={post.author_id, *exclude})
    return rerank_helpers(post, candidates[:RERANK], query_text=text, limit=limit)


def rank_requests(member: User, *, limit: int = 10) -> list[RequestMatch]:
    index = get_index()
    if index is None:
        return []
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
    """Whether matching is ready in this process, where its index comes from, how many
    documents it holds, how old its snapshot is (`age_seconds`: when its documents were
    read) and when the server's builder last found it current (for ``/health/``)."""
    if in_process():
        local = _index
        if local is None:
            return {"ready": False, "source": "process", "note": "built on first ranking"}
        return {
            "ready": True,
            "source": "process",
            "members": len(local.members),
            "requests": len(local.requests),
            "age_seconds": _age(local.built_at),
        }
    current = _reader.current()
    if current is None:
        return {
            "ready": False,
            "source": "snapshot",
            "note": WARMING_UP,
            "directory": str(index_directory()),
        }
    return {
        "ready": True,
        "source": "snapshot",
        "version": current.version,
        "built_at": current.built_at.isoformat(),
        "age_seconds": _age(current.built_at),
        "members": len(current.members),
        "requests": len(current.requests),
        "model": current.model or "lexical",
        # The snapshot is current as of the builder's last look (it writes only changes).
        "builder_looked_seconds_ago": _rounded(snapshot.seconds_since_looked(index_directory())),
    }


def _age(moment: datetime | None) -> float | None:
    return _rounded((timezone.now() - moment).total_seconds() if moment else None)


def _rounded(seconds: float | None) -> float | None:
    return round(seconds, 1) if seconds is not None else None
