"""The index as files: written by one builder per server, memory-mapped by every process.

A snapshot is a directory of ``.npy`` arrays, for members and for requests each: the keys
in ascending order, the BM25F matrix in CSC form (``data``, ``indices``, ``indptr``), the
sorted vocabulary (UTF-8 bytes and their offsets) and, when semantic matching is on, the
vectors aligned with the keys. ``meta.json`` says when its documents were read and with
which model. ``current.json`` names the newest complete snapshot.

Writing is atomic: the arrays go into a temporary directory that is renamed into place
when complete, then ``current.json`` is replaced (``os.replace``). A reader therefore sees
the old snapshot or the new one, never half of one. Readers open the arrays with
``numpy.load(mmap_mode="r")``, so every process on a server shares one copy in the page
cache instead of holding its own; a process looks at ``current.json`` (one ``stat``) at
most every ``OPENHOURS_MATCHING_REFRESH_SECONDS`` and maps the new snapshot when it
changed. Old snapshots are deleted after ``KEEP`` newer ones: a process that still maps
one keeps reading it (Linux frees a deleted file's pages when the last map goes).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from openhours.matching.ranking.corpus import K1, Corpus, Ranked
from openhours.matching.ranking.lexical import Keys, part_score, query_weights
from openhours.matching.ranking.text import term_counts

logger = logging.getLogger(__name__)

POINTER = "current.json"


def database_identity() -> str:
    """Which database a snapshot was read from: a folder shared by two installations (a
    developer's SQLite demo and a PostgreSQL benchmark in one checkout) must never serve
    one's members to the other."""
    from django.db import connection

    db = connection.settings_dict
    return f"{connection.vendor}:{db.get('HOST') or ''}:{db.get('PORT') or ''}:{db['NAME']}"


KEEP = 3  # snapshots kept besides the newest
CORPORA = ("members", "requests")


class FrozenTerms:
    """A sorted vocabulary held as one UTF-8 blob and offsets: shared, not a dict per
    process. `find` is a binary search (UTF-8 byte order is code-point order)."""

    def __init__(self, blob: np.ndarray, offsets: np.ndarray) -> None:
        self.blob = blob
        self.offsets = offsets

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def _at(self, i: int) -> bytes:
        return bytes(self.blob[int(self.offsets[i]) : int(self.offsets[i + 1])])

    def find(self, term: str) -> int | None:
        target = term.encode()
        low, high = 0, len(self)
        while low < high:
            middle = (low + high) // 2
            if self._at(middle) < target:
                low = middle + 1
            else:
                high = middle
        return low if low < len(self) and self._at(low) == target else None


class FrozenLexical:
    """A lexical index read from a snapshot: BM25F over one CSC matrix, nothing pending."""

    def __init__(self, keys: np.ndarray, matrix: sparse.csc_matrix, terms: FrozenTerms) -> None:
        self.keys = keys
        self.matrix = matrix
        self.terms = terms

    def __len__(self) -> int:
        return len(self.keys)

    def _frequency(self, term_ids: np.ndarray) -> np.ndarray:
        indptr = self.matrix.indptr
        return np.asarray(indptr[term_ids + 1] - indptr[term_ids])

    def score(self, text: str) -> tuple[Keys, np.ndarray]:
        term_ids, weights, content = query_weights(
            term_counts(text), self.terms.find, self._frequency, len(self)
        )
        return self.keys, part_score(self.matrix, term_ids, weights, content)

    def position(self, key: Any) -> int | None:
        row = int(np.searchsorted(self.keys, key))
        return row if row < len(self.keys) and int(self.keys[row]) == key else None


class FrozenVectors:
    """Vectors read from a snapshot, one row per lexical row (`alive` where there is one)."""

    def __init__(self, lexical: FrozenLexical, matrix: np.ndarray, alive: np.ndarray) -> None:
        self.lexical = lexical
        self.matrix = matrix
        self.alive = alive

    def similarities(self, query: np.ndarray) -> tuple[Keys, np.ndarray]:
        scores = self.matrix @ query.astype(np.float32)
        return self.lexical.keys, np.where(self.alive, scores, -np.inf)

    def row(self, key: Any) -> int | None:
        return self.lexical.position(key)

    def vector(self, key: int) -> np.ndarray | None:
        row = self.lexical.position(key)
        if row is None or not self.alive[row]:
            return None
        vector: np.ndarray = np.asarray(self.matrix[row])
        return vector


class FrozenCorpus(Ranked):
    """One kind of document as a snapshot holds it, ranked by the same `relevance`."""

    lexical: FrozenLexical
    vectors: FrozenVectors | None

    def __init__(self, lexical: FrozenLexical, vectors: FrozenVectors | None) -> None:
        self.lexical = lexical
        self.vectors = vectors

    def __len__(self) -> int:
        return len(self.lexical)


@dataclass
class Snapshot:
    """A snapshot mapped by this process."""

    version: int
    built_at: datetime  # the documents were read at this moment
    model: str
    members: FrozenCorpus
    requests: FrozenCorpus
    path: Path


# -- writing ----------------------------------------------------------------------------


def _save(folder: Path, name: str, array: np.ndarray) -> None:
    with open(folder / f"{name}.npy", "wb") as file:
        np.save(file, np.ascontiguousarray(array), allow_pickle=False)
        file.flush()
        os.fsync(file.fileno())


def _write_corpus(folder: Path, name: str, corpus: Corpus) -> dict[str, Any]:
    arrays = corpus.lexical.export()
    encoded = [term.encode() for term in arrays.terms]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(term) for term in encoded], out=offsets[1:])
    _save(folder, f"{name}.keys", arrays.keys)
    _save(folder, f"{name}.data", arrays.data)
    _save(folder, f"{name}.indices", arrays.indices)
    _save(folder, f"{name}.indptr", arrays.indptr)
    _save(folder, f"{name}.terms", np.frombuffer(b"".join(encoded), dtype=np.uint8))
    _save(folder, f"{name}.term_offsets", offsets)
    vectors = corpus.vectors is not None
    if corpus.vectors is not None:
        matrix, alive = corpus.vectors.export(arrays.keys)
        _save(folder, f"{name}.vectors", matrix)
        _save(folder, f"{name}.alive", alive)
    return {"documents": len(arrays.keys), "terms": len(encoded), "vectors": vectors}


def current_version(directory: Path) -> int:
    try:
        return int(json.loads((directory / POINTER).read_text())["version"])
    except (OSError, ValueError, KeyError):
        return 0


def write(
    directory: Path, *, members: Corpus, requests: Corpus, built_at: datetime, model: str
) -> int:
    """Write a new snapshot of `members` and `requests` and make it current; return its
    version. Only one process per directory may write (the builder holds a lock)."""
    directory.mkdir(parents=True, exist_ok=True)
    version = current_version(directory) + 1
    folder = Path(tempfile.mkdtemp(prefix=".incoming-", dir=directory))
    try:
        meta = {
            "version": version,
            "built_at": built_at.isoformat(),
            "written_at": time.time(),
            "model": model,
            "database": database_identity(),
            "k1": K1,
            "members": _write_corpus(folder, "members", members),
            "requests": _write_corpus(folder, "requests", requests),
        }
        (folder / "meta.json").write_text(json.dumps(meta))
        final = directory / f"v{version:08d}"
        os.rename(folder, final)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    pointer = directory / f".{POINTER}.{os.getpid()}"
    with open(pointer, "w") as file:
        json.dump({"version": version, "path": final.name}, file)
        file.flush()
        os.fsync(file.fileno())
    os.replace(pointer, directory / POINTER)
    _prune(directory, keep=final.name)
    return version


def _prune(directory: Path, *, keep: str) -> None:
    versions = sorted(p for p in directory.glob("v*") if p.is_dir() and p.name != keep)
    for old in versions[: max(0, len(versions) - KEEP)]:
        shutil.rmtree(old, ignore_errors=True)
    for stale in directory.glob(".incoming-*"):
        if time.time() - stale.stat().st_mtime > 3600:  # left by a builder that died
            shutil.rmtree(stale, ignore_errors=True)


# -- reading ----------------------------------------------------------------------------


def _load(folder: Path, name: str) -> np.ndarray:
    array: np.ndarray = np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False)
    return array


def _read_corpus(folder: Path, name: str, meta: dict[str, Any]) -> FrozenCorpus:
    keys = _load(folder, f"{name}.keys")
    terms = FrozenTerms(_load(folder, f"{name}.terms"), _load(folder, f"{name}.term_offsets"))
    matrix = sparse.csc_matrix(
        (
            _load(folder, f"{name}.data"),
            _load(folder, f"{name}.indices"),
            _load(folder, f"{name}.indptr"),
        ),
        shape=(len(keys), len(terms)),
        copy=False,
    )
    lexical = FrozenLexical(keys, matrix, terms)
    vectors = None
    if meta[name]["vectors"]:
        vectors = FrozenVectors(
            lexical, _load(folder, f"{name}.vectors"), _load(folder, f"{name}.alive")
        )
    return FrozenCorpus(lexical, vectors)


def read(directory: Path) -> Snapshot | None:
    """The current snapshot of `directory`, mapped read-only, or None if there is none."""
    try:
        pointer = json.loads((directory / POINTER).read_text())
    except FileNotFoundError:
        return None
    folder = directory / pointer["path"]
    meta = json.loads((folder / "meta.json").read_text())
    if meta.get("database") != database_identity():
        return None  # another database's snapshot: as if there were none yet
    return Snapshot(
        version=int(meta["version"]),
        built_at=datetime.fromisoformat(meta["built_at"]),
        model=str(meta["model"]),
        members=_read_corpus(folder, "members", meta),
        requests=_read_corpus(folder, "requests", meta),
        path=folder,
    )


HEARTBEAT = "builder.seen"


def mark_looked(directory: Path) -> None:
    """The builder looked at the change log just now (and found the snapshot current)."""
    (directory / HEARTBEAT).touch()


def seconds_since_looked(directory: Path) -> float | None:
    """How long ago this server's builder last looked, or None if it never has."""
    try:
        return max(0.0, time.time() - os.stat(directory / HEARTBEAT).st_mtime)
    except FileNotFoundError:
        return None


def pointer_stamp(directory: Path) -> tuple[int, int] | None:
    """What changes when a new snapshot is made current: ``current.json``'s inode and
    modification time (``os.replace`` gives it a new inode each time)."""
    try:
        stat = os.stat(directory / POINTER)
    except FileNotFoundError:
        return None
    return stat.st_ino, stat.st_mtime_ns
