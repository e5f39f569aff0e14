"""A BM25F ranker held in memory, with documents added and replaced one at a time.

Each document is a few named fields (a member's skills, what they say about themselves,
their offers; a request's title and body). A term's weight in a document is its count in
each field, normalised by that field's length and multiplied by the field's weight, then
saturated (tf / (k1 + tf)) and multiplied by the term's inverse document frequency at
query time: BM25F as Robertson and Zaragoza describe it.

The bulk of the documents sit in one sparse matrix (documents x terms, stored by column so
a query reads only its own terms' columns). A document added or replaced after the build
goes into a small second matrix and its old row is masked out, so a profile edited a
moment ago is ranked on its new words straight away; `export()` folds the changes into one
matrix for a snapshot.
Document frequencies follow every change exactly; the field-length averages are those of
the last build, which moves little between builds.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from openhours.matching.ranking.text import is_content, term_counts

Key = Hashable
# What a ranker returns keys as: a list, or a snapshot's array of ids.
Keys = Sequence[Key] | np.ndarray


@dataclass(frozen=True)
class FieldSpec:
    weight: float
    b: float = 0.75


@dataclass
class _Part:
    """One matrix of documents: their keys and their saturated term weights."""

    keys: list[Key]
    matrix: sparse.csc_matrix  # documents x terms
    alive: np.ndarray  # bool per document: False once replaced or removed


class LexicalIndex:
    """BM25F over documents given as `{field: text}`, keyed by anything hashable."""

    def __init__(self, fields: Mapping[str, FieldSpec], *, k1: float = 1.2) -> None:
        self.fields = dict(fields)
        self.k1 = k1
        self.vocabulary: dict[str, int] = {}
        self.document_frequency = np.zeros(0, dtype=np.int64)
        self.average_length = dict.fromkeys(self.fields, 1.0)
        self._base = _Part([], sparse.csc_matrix((0, 0), dtype=np.float32), np.zeros(0, bool))
        self._delta_rows: dict[Key, dict[int, float]] = {}
        self._delta: _Part | None = None
        self._where: dict[Key, int] = {}  # key -> row in the base part, while alive

    # -- building ---------------------------------------------------------------------

    def build(self, documents: Iterable[tuple[Key, Mapping[str, str]]]) -> None:
        """Replace everything with `documents` (read once, so a generator will do).

        Counts go into flat typed arrays as they are read (a few bytes per term and
        document, not a Python object each), and the BM25F weights are then worked out for
        all of them at once with numpy.
        """
        names = list(self.fields)
        self.vocabulary = {}
        vocabulary = self.vocabulary
        totals = [0] * len(names)
        keys: list[Key] = []
        rows, term_ids, counts, field_ids = array("i"), array("i"), array("f"), array("b")
        for row, (key, fields) in enumerate(documents):
            keys.append(key)
            for field_id, name in enumerate(names):
                for term, count in term_counts(fields.get(name, "")).items():
                    term_id = vocabulary.get(term)
                    if term_id is None:
                        term_id = vocabulary[term] = len(vocabulary)
                    rows.append(row)
                    term_ids.append(term_id)
                    counts.append(count)
                    field_ids.append(field_id)
                    totals[field_id] += count
        n = max(len(keys), 1)
        self.average_length = {name: max(totals[i] / n, 1.0) for i, name in enumerate(names)}
        row_of = np.frombuffer(rows, dtype=np.int32)
        field_of = np.frombuffer(field_ids, dtype=np.int8).astype(np.int64)
        count_of = np.frombuffer(counts, dtype=np.float32).astype(np.float64)
        cell = row_of.astype(np.int64) * len(names) + field_of
        length = np.bincount(cell, weights=count_of, minlength=len(keys) * len(names))
        weight = np.asarray([self.fields[name].weight for name in names])
        b = np.asarray([self.fields[name].b for name in names])
        average = np.asarray([self.average_length[name] for name in names])
        norm = 1 - b[field_of] + b[field_of] * length[cell] / average[field_of]
        matrix = sparse.coo_matrix(
            (weight[field_of] * count_of / norm, (row_of, np.frombuffer(term_ids, np.int32))),
            shape=(len(keys), len(vocabulary)),
        ).tocsc()  # sums each term's fields into one pseudo-frequency
        matrix.sum_duplicates()
        matrix.data = (matrix.data / (self.k1 + matrix.data)).astype(np.float32)
        matrix = matrix.astype(np.float32)
        self.document_frequency = np.diff(matrix.indptr).astype(np.int64)
        self._where = {key: row for row, key in enumerate(keys)}
        self._base = _Part(keys, matrix, np.ones(len(keys), dtype=bool))
        self._delta_rows = {}
        self._delta = None

    def _base_terms(self, row: int) -> np.ndarray:
        """Term ids of the base document in `row` (a scan of the matrix: edits are rare)."""
        matrix = self._base.matrix
        entries = np.flatnonzero(matrix.indices == row)
        return np.searchsorted(matrix.indptr, entries, side="right") - 1

    def _weights(self, by_field: Mapping[str, Counter[str]]) -> dict[int, float]:
        """Saturated BM25F weight of each term of one document, by term id."""
        pseudo: dict[int, float] = {}
        for name, counts in by_field.items():
            if not counts:
                continue
            spec = self.fields[name]
            length = sum(counts.values())
            norm = 1 - spec.b + spec.b * length / self.average_length[name]
            for term, count in counts.items():
                term_id = self.vocabulary.get(term)
                if term_id is None:
                    term_id = self.vocabulary[term] = len(self.vocabulary)
                pseudo[term_id] = pseudo.get(term_id, 0.0) + spec.weight * count / norm
        return {term_id: tf / (self.k1 + tf) for term_id, tf in pseudo.items()}

    # -- changing one document ----------------------------------------------------------

    def upsert(self, key: Key, fields: Mapping[str, str]) -> None:
        """Add a document, or replace the one with this key."""
        self.remove(key)
        weights = self._weights({name: term_counts(fields.get(name, "")) for name in self.fields})
        if len(self.vocabulary) > len(self.document_frequency):
            grown = np.zeros(len(self.vocabulary), dtype=np.int64)
            grown[: len(self.document_frequency)] = self.document_frequency
            self.document_frequency = grown
        for term_id in weights:
            self.document_frequency[term_id] += 1
        self._delta_rows[key] = weights
        self._delta = None

    def remove_many(self, keys: Sequence[Key]) -> None:
        """`remove` each of `keys`, reading the base matrix once for all of them rather
        than once each (a bulk change of 10,000 profiles took minutes one at a time)."""
        rows = [row for row in (self._where.pop(key, None) for key in keys) if row is not None]
        others = [key for key in keys if key in self._delta_rows]
        if rows:
            matrix = self._base.matrix
            entries = np.flatnonzero(np.isin(matrix.indices, np.asarray(rows)))
            columns = np.searchsorted(matrix.indptr, entries, side="right") - 1
            np.subtract.at(self.document_frequency, columns, 1)
            self._base.alive[rows] = False
            self._delta = None
        for key in others:
            self.remove(key)

    def remove(self, key: Key) -> None:
        row = self._where.pop(key, None)
        if row is not None:
            self.document_frequency[self._base_terms(row)] -= 1
            self._base.alive[row] = False
        elif key in self._delta_rows:
            for term_id in self._delta_rows.pop(key):
                self.document_frequency[term_id] -= 1
        else:
            return
        self._delta = None

    def position(self, key: Key) -> int | None:
        """Where `key`'s score sits in the arrays `score()` returns, or None."""
        row = self._where.get(key)
        if row is not None:
            return row
        if key in self._delta_rows:
            delta = self._delta_part()
            assert delta is not None
            return len(self._base.keys) + delta.keys.index(key)
        return None

    @property
    def pending_changes(self) -> int:
        return len(self._delta_rows) + int((~self._base.alive).sum())

    def __len__(self) -> int:
        return len(self._where) + len(self._delta_rows)

    def __contains__(self, key: Key) -> bool:
        return key in self._where or key in self._delta_rows

    def _delta_part(self) -> _Part | None:
        if self._delta is None and self._delta_rows:
            keys = list(self._delta_rows)
            rows, cols, values = [], [], []
            for row, key in enumerate(keys):
                for term_id, value in self._delta_rows[key].items():
                    rows.append(row)
                    cols.append(term_id)
                    values.append(value)
            matrix = sparse.csc_matrix(
                (np.asarray(values, np.float32), (np.asarray(rows), np.asarray(cols))),
                shape=(len(keys), len(self.vocabulary)),
            )
            self._delta = _Part(keys, matrix, np.ones(len(keys), dtype=bool))
        return self._delta

    # -- ranking ------------------------------------------------------------------------

    def query_weights(self, text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Term ids of the query that the index knows, each one's idf x count weight, and
        whether it is a content word (not one of the `FUNCTION_WORDS`)."""
        return query_weights(
            term_counts(text), self.vocabulary.get, self.document_frequency.__getitem__, len(self)
        )

    def score(self, text: str) -> tuple[list[Key], np.ndarray]:
        """Every live document's score for `text`: keys and a matching array of floats.

        Documents that share no term with the query score 0.
        """
        term_ids, weights, content = self.query_weights(text)
        keys: list[Key] = []
        scores: list[np.ndarray] = []
        for part in (self._base, self._delta_part()):
            if part is None or not part.keys:
                continue
            part_scores = part_score(part.matrix, term_ids, weights, content)
            keys.extend(part.keys)
            scores.append(np.where(part.alive, part_scores, -np.inf))
        if not scores:
            return [], np.zeros(0, dtype=np.float32)
        return keys, np.concatenate(scores)

    def export(self) -> LexicalArrays:
        """The live documents as one matrix, rows in key order and columns in term order,
        for a snapshot (`snapshot.py`): what `score` would rank, with nothing pending.

        Terms no live document uses are left out; document frequencies are then the
        column counts, which `upsert` and `remove` kept exact all along.
        """
        parts = [(self._base, np.flatnonzero(self._base.alive))]
        delta = self._delta_part()
        if delta is not None:
            parts.append((delta, np.arange(len(delta.keys))))
        width = len(self.vocabulary)
        rows = [
            _widen(part.matrix, width).tocsr()[live]
            for part, live in parts
            if len(live)  # an empty base from a build of nothing
        ]
        keys = np.asarray(
            [part.keys[i] for part, live in parts for i in live.tolist()], dtype=np.int64
        )
        matrix = (
            sparse.vstack(rows, format="csr")
            if rows
            else sparse.csr_matrix((0, width), dtype=np.float32)
        )
        order = np.argsort(keys, kind="stable")
        used = [
            term for term, term_id in self.vocabulary.items() if self.document_frequency[term_id]
        ]
        used.sort()
        columns = np.asarray([self.vocabulary[term] for term in used], dtype=np.int64)
        csc = matrix[order][:, columns].tocsc().astype(np.float32)
        csc.sort_indices()
        # Both index arrays in the type scipy would choose itself, so that reading them
        # back maps them rather than copying them into a type it prefers.
        index_type = np.int32 if csc.nnz < 2**31 else np.int64
        return LexicalArrays(
            keys=keys[order],
            data=csc.data,
            indices=csc.indices.astype(index_type),
            indptr=csc.indptr.astype(index_type),
            terms=used,
            average_length=dict(self.average_length),
        )

    def top(self, text: str, k: int, *, exclude: Sequence[Key] = ()) -> list[tuple[Key, float]]:
        """The `k` best-scoring documents with a score above 0."""
        keys, scores = self.score(text)
        return top_k(keys, scores, k, exclude=exclude)


@dataclass
class LexicalArrays:
    """A lexical index as plain arrays (`LexicalIndex.export`), ready to save."""

    keys: np.ndarray  # int64, ascending
    data: np.ndarray  # float32: the CSC matrix, documents x terms
    indices: np.ndarray  # int32 (int64 past 2**31 entries)
    indptr: np.ndarray  # the same
    terms: list[str]  # ascending: column i is terms[i]
    average_length: dict[str, float]


def _widen(matrix: sparse.csc_matrix, width: int) -> sparse.csc_matrix:
    """`matrix` with empty columns added up to `width` (terms added after it was built)."""
    if matrix.shape[1] == width:
        return matrix
    indptr = np.concatenate(
        [matrix.indptr, np.full(width - matrix.shape[1], matrix.indptr[-1], matrix.indptr.dtype)]
    )
    return sparse.csc_matrix((matrix.data, matrix.indices, indptr), shape=(matrix.shape[0], width))


def query_weights(
    counts: Mapping[str, int],
    lookup: Callable[[str], int | None],
    frequency: Callable[[np.ndarray], np.ndarray],
    documents: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Term ids of the query's terms that `lookup` knows, each one's idf x count weight,
    and whether it is a content word; `frequency` gives document frequencies by term id
    and `documents` how many live documents there are."""
    found = [(term, lookup(term)) for term in counts]
    known = [(term, term_id) for term, term_id in found if term_id is not None]
    if not known:
        empty = np.zeros(0, dtype=np.int64)
        return empty, np.zeros(0, dtype=np.float32), np.zeros(0, dtype=bool)
    term_ids = np.asarray([term_id for _, term_id in known], dtype=np.int64)
    n = max(documents, 1)
    df = np.asarray(frequency(term_ids)).astype(np.float64)
    idf = np.log1p((n - df + 0.5) / (df + 0.5))
    repeat = np.asarray([1 + math.log(counts[term]) for term, _ in known])
    content = np.asarray([is_content(term) for term, _ in known], dtype=bool)
    return term_ids, (idf * repeat).astype(np.float32), content


def part_score(
    matrix: sparse.csc_matrix, term_ids: np.ndarray, weights: np.ndarray, content: np.ndarray
) -> np.ndarray:
    """Each row's BM25F score for the query's `term_ids` (0 for a row that shares only
    function words with the query): only the query's own columns are read."""
    in_part = term_ids < matrix.shape[1]
    columns = matrix[:, term_ids[in_part]]
    if not columns.shape[1]:
        return np.zeros(matrix.shape[0], dtype=np.float32)
    scores = np.asarray(columns @ weights[in_part]).reshape(-1)
    # A document that shares only function words with the query is no match.
    shares_content = np.asarray(columns[:, content[in_part]].sum(axis=1)).reshape(-1)
    return np.where(shares_content > 0, scores, 0.0)


def top_k(
    keys: Keys,
    scores: np.ndarray,
    k: int,
    *,
    exclude: Sequence[Key] = (),
    positive_only: bool = True,
) -> list[tuple[Key, float]]:
    """The `k` highest (finite, and by default positive) scores, best first."""
    if not len(keys) or k <= 0:
        return []
    excluded = set(exclude)
    want = min(len(keys), k + len(excluded))
    if want < len(keys):
        candidates = np.argpartition(-scores, want - 1)[:want]
    else:
        candidates = np.arange(len(keys))
    candidates = candidates[np.argsort(-scores[candidates], kind="stable")]
    found: list[tuple[Key, float]] = []
    for i in candidates:
        score = float(scores[i])
        if not math.isfinite(score) or (positive_only and score <= 0):
            break
        key = keys[i]
        if isinstance(key, np.generic):  # a snapshot's keys are a numpy array
            key = key.item()
        if key in excluded:
            continue
        found.append((key, score))
        if len(found) == k:
            break
    return found
