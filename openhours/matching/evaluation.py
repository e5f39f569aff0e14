"""Expert finding on a labelled question set, through the real relevance code.

Protocol (../shared/data/SOURCES.md, "The matching development set"): each question is a
request; every author is a member whose profile is their field and specific field (as
skills) plus their *other* questions (as offers); the relevant member is the question's
author. Before a question is ranked, its author's document is replaced by one without it,
through the same `upsert` a profile edit takes in a running app, and put back after; the
question itself is ranked as a request's title, so neither its author nor its field
labels are seen at query time.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from openhours.matching.ranking import semantic
from openhours.matching.ranking.corpus import MEMBER_FIELDS, Corpus
from openhours.matching.ranking.documents import member_items, request_items

DEVELOPMENT_FIELDS = ("Healthcare / Medicine", "Medicine")
CUTOFF = 10


@dataclass(frozen=True)
class Question:
    text: str
    author: str
    field: str
    specific_field: str


@dataclass(frozen=True)
class Scores:
    queries: int
    ndcg: float
    recall: float
    mrr: float


def load_questions(path: Path) -> list[Question]:
    questions = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                row = json.loads(line)
                metadata = row.get("metadata", {})
                questions.append(
                    Question(
                        text=row["question"],
                        author=str(row["annotator_id"]),
                        field=metadata.get("field", ""),
                        specific_field=metadata.get("specific_field", ""),
                    )
                )
    return questions


def evaluate(
    questions: Sequence[Question],
    *,
    fields: Sequence[str] = DEVELOPMENT_FIELDS,
    use_semantic: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> Scores:
    """nDCG@10, Recall@10 and MRR over the questions whose field is one of `fields`.

    About 70 lines, kept whole: each author's document, the cached item vectors and the
    corpus are built once and shared by the leave-one-out loop (a question is taken out
    of its author's document while it is asked, then put back).
    """
    by_author: dict[str, list[int]] = defaultdict(list)
    for number, question in enumerate(questions):
        by_author[question.author].append(number)
    authors = sorted(by_author)
    key_of = {author: number for number, author in enumerate(authors)}

    def document(author: str, leave_out: int | None) -> tuple[dict[str, str], list[str]]:
        first = questions[by_author[author][0]]
        offers = [questions[n].text for n in by_author[author] if n != leave_out]
        profile = {
            "skills": f"{first.field}. {first.specific_field}",
            "about": "",
            "offers": "\n".join(offers),
        }
        return profile, member_items([profile["skills"]], offers)

    # Every text is embedded once; a document's vector is the mean of its items' vectors
    # (`semantic.mean_vector`, as `embed_documents` makes it), so leaving a question out
    # of its author's document needs no new embedding.
    item_vectors: dict[str, np.ndarray] = {}
    if use_semantic:
        texts = sorted(
            {text for _, items in (document(a, None) for a in authors) for text in items}
        )
        item_vectors = dict(zip(texts, semantic.embed(texts), strict=True))

    def vector_bytes(items: list[str]) -> bytes | None:
        if not use_semantic:
            return None
        return semantic.to_bytes(semantic.mean_vector(np.stack([item_vectors[t] for t in items])))

    corpus = Corpus(MEMBER_FIELDS)
    documents = [document(author, None) for author in authors]
    vectors = [vector_bytes(items) for _, items in documents]
    corpus.build(
        [
            (key_of[author], profile, "", vectors[key_of[author]])
            for author, (profile, _) in zip(authors, documents, strict=True)
        ],
        count=len(authors),
    )
    chosen = [n for n, question in enumerate(questions) if question.field in set(fields)]
    ndcg = recall = mrr = 0.0
    for done, number in enumerate(chosen, start=1):
        question = questions[number]
        author_key = key_of[question.author]
        profile, items = document(question.author, number)
        corpus.upsert(author_key, profile, "", vector_bytes(items))
        request = {"title": question.text, "body": ""}
        query_vector = semantic.embed(request_items(request))[0] if use_semantic else None
        ranked = [key for key, _ in corpus.relevance(question.text, query_vector)]
        original, _ = documents[author_key]
        corpus.upsert(author_key, original, "", vectors[author_key])
        if author_key in ranked:
            rank = ranked.index(author_key) + 1
            mrr += 1 / rank
            if rank <= CUTOFF:
                ndcg += 1 / math.log2(rank + 1)
                recall += 1
        if progress:
            progress(done, len(chosen))
    n = max(len(chosen), 1)
    return Scores(queries=len(chosen), ndcg=ndcg / n, recall=recall / n, mrr=mrr / n)
