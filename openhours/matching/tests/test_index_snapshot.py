"""Where the index lives: the change log, snapshots, the builder, and requests that never
build (docs/matching.md, "Freshness")."""

from __future__ import annotations

import time
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from openhours.accounts.models import User
from openhours.accounts.tests.factories import UserFactory
from openhours.exchanges import services as exchanges
from openhours.matching.models import ChangeKind, DocumentChange, MemberDocument, RequestRouting
from openhours.matching.ranking import builder, changes, engine, semantic, snapshot
from openhours.matching.ranking.corpus import MEMBER_FIELDS, Corpus
from openhours.matching.ranking.engine import index_status
from openhours.matching.selectors import helpers_for_request
from openhours.matching.services import route_requests
from openhours.matching.tasks import start_index_builder
from openhours.matching.tests.test_ranking import sepsis_request
from openhours.members.models import Profile
from openhours.members.tests.factories import describe
from openhours.posts.models import Kind, Post
from openhours.posts.tests.factories import make_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Path]:
    """Production's arrangement: a refresh delay, so requests only read snapshots."""
    with override_settings(
        OPENHOURS_MATCHING_REFRESH_SECONDS=2, OPENHOURS_MATCHING_INDEX_DIR=tmp_path
    ):
        engine.reset_index()
        yield tmp_path
    engine.reset_index()


@pytest.fixture
def servers(served: Path) -> Iterator[list[builder.Builder]]:
    """Builders of the served directory, as workers on one server would run them."""
    made: list[builder.Builder] = []
    yield made
    for each in made:
        each.release()


def new_builder(servers: list[builder.Builder], directory: Path) -> builder.Builder:
    servers.append(builder.Builder(directory))
    return servers[-1]


@pytest.fixture
def requester(member: User) -> User:
    return describe(member, can_help_with="Rota planning")


def logged(kind: str) -> set[int]:
    return set(DocumentChange.objects.filter(kind=kind).values_list("object_id", flat=True))


# The change log -----------------------------------------------------------------------


def test_every_engine_has_the_change_log_triggers() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'matching_log_%%'")
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE 'matching_log_%%'"
            )
        assert len(cursor.fetchall()) == 13


def test_profile_edits_and_bulk_updates_are_logged_for_the_member(member: User) -> None:
    describe(member, can_help_with="Sepsis audits")
    assert member.pk in logged(ChangeKind.MEMBER)
    DocumentChange.objects.all().delete()

    Profile.objects.filter(user=member).update(bio="Written by a bulk UPDATE")

    assert logged(ChangeKind.MEMBER) == {member.pk}


def test_offers_count_for_their_author_and_requests_for_themselves(member: User) -> None:
    DocumentChange.objects.all().delete()
    offer = make_post(member, kind=Kind.OFFER, title="I can teach Excel", skills=[])
    request = make_post(member, kind=Kind.REQUEST, title="Help with a rota", skills=[])

    assert member.pk in logged(ChangeKind.MEMBER)
    assert logged(ChangeKind.REQUEST) == {request.pk}
    assert offer.pk not in logged(ChangeKind.REQUEST)


def test_a_login_is_not_a_change_but_a_deactivation_is(member: User) -> None:
    DocumentChange.objects.all().delete()
    User.objects.filter(pk=member.pk).update(last_login=member.date_joined)
    assert not DocumentChange.objects.exists()

    User.objects.filter(pk=member.pk).update(is_active=False)

    assert logged(ChangeKind.MEMBER) == {member.pk}


def test_a_confirmed_exchange_is_logged_for_its_giver(member: User) -> None:
    giver = UserFactory()
    post = make_post(member, title="Help with a business case", estimated_minutes=120, skills=[])
    exchange = exchanges.respond_to_post(responder=giver, post=post, message="I can.")
    exchange = exchanges.accept_exchange(exchange=exchange, actor=member)
    exchange = exchanges.record_delivery(exchange=exchange, actor=giver, minutes=90)
    DocumentChange.objects.all().delete()

    exchanges.confirm_exchange(exchange=exchange, actor=member)

    assert giver.pk in logged(ChangeKind.MEMBER)


def test_looking_for_changes_reads_the_primary_key_and_finds_nothing_new_in_one_query(
    member: User,
) -> None:
    describe(member, can_help_with="Sepsis audits")
    cursor = changes.ChangeCursor.at_end()
    with CaptureQueriesContext(connection) as queries:
        assert not cursor.take()
    assert len(queries) == 1
    sql = queries[0]["sql"]
    with connection.cursor() as db:
        if connection.vendor == "postgresql":
            db.execute("SET LOCAL enable_seqscan = off")
            db.execute("EXPLAIN " + sql)
            plan = " ".join(row[0] for row in db.fetchall())
            assert "Index" in plan and "matching_documentchange_pkey" in plan
        else:
            db.execute("EXPLAIN QUERY PLAN " + sql)
            plan = " ".join(str(row[-1]) for row in db.fetchall())
            assert "SEARCH" in plan and "PRIMARY KEY" in plan


def test_a_change_that_commits_below_an_id_already_taken_is_still_found() -> None:
    first = DocumentChange.objects.create(
        kind=ChangeKind.MEMBER, object_id=1, changed_at="2026-01-01T00:00:00Z"
    )
    cursor = changes.ChangeCursor(last_id=first.pk)
    # Id first+2 commits first; first+1 (a longer transaction) commits after the look.
    DocumentChange.objects.create(
        id=first.pk + 2, kind=ChangeKind.MEMBER, object_id=3, changed_at=first.changed_at
    )
    assert cursor.take().members == {3}
    DocumentChange.objects.create(
        id=first.pk + 1, kind=ChangeKind.MEMBER, object_id=2, changed_at=first.changed_at
    )

    assert cursor.take().members == {2}
    assert not cursor.take()


def by_score(ranked: list[tuple[int, float]]) -> list[tuple[int, float]]:
    return sorted(((key, round(score, 6)) for key, score in ranked), key=lambda k: (-k[1], k[0]))


# Snapshots rank exactly as the index they were written from ---------------------------


def test_a_snapshot_ranks_exactly_as_the_live_index_after_edits(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    words = ["sepsis", "audit", "rota", "excel", "diabetes", "falls", "coaching", "the", "and"]
    corpus = Corpus(MEMBER_FIELDS)

    def vector() -> bytes:
        v = rng.normal(size=8).astype(np.float32)
        return semantic.to_bytes(v / np.linalg.norm(v))

    def fields() -> dict[str, str]:
        return {name: " ".join(rng.choice(words, 6)) for name in MEMBER_FIELDS}

    corpus.build(((key, fields(), "", vector()) for key in range(1, 60)), count=59)
    for key in (5, 17, 80, 81):  # replaced and added after the build: the delta part
        corpus.upsert(key, fields(), "", vector())
    corpus.remove(9)
    snapshot.write(
        tmp_path,
        members=corpus,
        requests=Corpus(MEMBER_FIELDS),
        built_at=timezone.now(),
        model="",
    )
    frozen = snapshot.read(tmp_path)
    assert frozen is not None and len(frozen.members) == len(corpus)

    for text in ["sepsis audit", "rota and excel", "the falls coaching", "unknown words"]:
        query = semantic.from_bytes(vector())
        # The same scores; ties go to the lower id in a snapshot (its rows are in key order).
        assert by_score(frozen.members.relevance(text, None)) == by_score(
            corpus.relevance(text, None)
        )
        live = by_score(corpus.relevance(text, query, exclude={17}))
        assert by_score(frozen.members.relevance(text, query, exclude={17})) == live
    # Mapped from the files, not copied into this process.
    matrix = frozen.members.lexical.matrix
    assert not any(a.flags.owndata for a in (matrix.data, matrix.indices, matrix.indptr))
    assert isinstance(frozen.members.lexical.keys, np.memmap)


def test_a_bulk_replacement_ranks_as_the_same_edits_one_at_a_time() -> None:
    rng = np.random.default_rng(5)
    words = ["sepsis", "audit", "rota", "excel", "diabetes", "falls", "coaching", "and"]

    def fields() -> dict[str, str]:
        return {name: " ".join(rng.choice(words, 5)) for name in MEMBER_FIELDS}

    documents = [(key, fields(), "", None) for key in range(1, 40)]
    one_by_one, in_bulk = Corpus(MEMBER_FIELDS), Corpus(MEMBER_FIELDS)
    one_by_one.build(iter(documents), count=39)
    in_bulk.build(iter(documents), count=39)
    edits: list[tuple[int, dict[str, str] | None, str, None]] = [
        (key, fields(), "new", None) for key in (2, 3, 5, 8, 13, 50)
    ]
    edits += [(21, None, "", None), (34, None, "", None)]

    for key, new_fields, digest, data in edits:
        if new_fields is None:
            one_by_one.remove(key)
        else:
            one_by_one.upsert(key, new_fields, digest, data)
    in_bulk.replace_many(edits)

    assert list(in_bulk.lexical.document_frequency) == list(one_by_one.lexical.document_frequency)
    for text in ["sepsis audit", "rota and excel", "falls coaching"]:
        assert by_score(in_bulk.relevance(text, None)) == by_score(one_by_one.relevance(text, None))


# Requests never build ------------------------------------------------------------------


def test_before_the_first_snapshot_a_ranking_finds_nobody_and_builds_nothing(
    served: Path, requester: User
) -> None:
    describe(UserFactory(), can_help_with="I ran the sepsis audit for our trust.")
    post = sepsis_request(requester)

    with CaptureQueriesContext(connection) as queries:
        assert helpers_for_request(post) == []
    assert len(queries) <= 1  # the request's skills, nothing else
    assert not MemberDocument.objects.exists()
    assert index_status() == {
        "ready": False,
        "source": "snapshot",
        "note": engine.WARMING_UP,
        "directory": str(served),
    }


def test_the_request_page_says_matching_is_warming_up(served: Path, requester: User) -> None:
    post = sepsis_request(requester)
    client = Client()
    client.force_login(requester)

    response = client.get(reverse("posts:detail", args=[post.pk]))

    assert response.status_code == 200
    assert "Matching is warming up" in response.content.decode()


def test_routing_waits_for_matching_rather_than_alert_nobody(served: Path, requester: User) -> None:
    sepsis_request(requester)

    report = route_requests()

    assert report.deferred and report.alerts == 0
    assert not RequestRouting.objects.exists()


def test_the_builder_writes_a_snapshot_that_every_process_reads(
    served: Path, servers: list[builder.Builder], requester: User
) -> None:
    expert = describe(UserFactory(), can_help_with="I ran the sepsis audit for our trust.")
    post = sepsis_request(requester)

    assert new_builder(servers, served).step() == 1

    assert [m.member for m in helpers_for_request(post)] == [expert]
    status = index_status()
    assert status["ready"] is True and status["version"] == 1
    assert isinstance(status["age_seconds"], float) and 0 <= status["age_seconds"] < 60
    assert status["members"] == 2 and status["requests"] == 1
    looked = status["builder_looked_seconds_ago"]
    assert isinstance(looked, float) and 0 <= looked < 60


def test_one_builder_per_server_and_another_takes_over_when_it_stops(
    served: Path, servers: list[builder.Builder]
) -> None:
    first, second = new_builder(servers, served), new_builder(servers, served)
    assert first.step() == 1
    assert second.step() is None  # the lock is held
    first.release()
    assert second.step() == 2


def test_a_bulk_change_of_a_tenth_of_the_members_fails_no_ranking(
    served: Path, servers: list[builder.Builder], requester: User
) -> None:
    members = [
        describe(UserFactory(), can_help_with=f"Rota planning and audits, team {i}")
        for i in range(40)
    ]
    post = make_post(requester, title="Zymurgy for the staff social", skills=[])
    server = new_builder(servers, served)
    server.step()
    changed = members[:4]

    Profile.objects.filter(user__in=changed).update(can_help_with="Zymurgy: I brew beer")
    began = time.monotonic()
    before = helpers_for_request(post)  # the old snapshot: no error, no build
    assert time.monotonic() - began < 2 and before == []

    assert server.step() == 2
    with override_settings(OPENHOURS_MATCHING_REFRESH_SECONDS=1):
        time.sleep(1.05)  # a process looks for a newer snapshot at most this often
        after = {m.member for m in helpers_for_request(post)}
    assert after == set(changed)


def test_each_process_is_its_own_builder_without_a_refresh_delay() -> None:
    assert engine.in_process()
    assert builder.ensure_running() is False
    assert engine.is_ready()


def test_a_request_closed_by_a_bulk_update_leaves_the_next_snapshot(
    served: Path, servers: list[builder.Builder], requester: User
) -> None:
    post = sepsis_request(requester)
    server = new_builder(servers, served)
    server.step()
    assert index_status()["requests"] == 1
    Post.objects.filter(pk=post.pk).update(status="closed", closed_at=timezone.now())

    server.step()
    engine.reset_index()

    assert index_status()["requests"] == 0


@pytest.mark.django_db(transaction=True)
def test_the_workers_hook_starts_the_servers_builder_which_writes_the_first_snapshot(
    tmp_path: Path,
) -> None:
    expert = describe(UserFactory(), can_help_with="I ran the sepsis audit for our trust.")
    post = sepsis_request(describe(UserFactory(), can_help_with="Rota planning"))
    with override_settings(
        OPENHOURS_MATCHING_REFRESH_SECONDS=1, OPENHOURS_MATCHING_INDEX_DIR=tmp_path
    ):
        engine.reset_index()
        try:
            assert start_index_builder() is True  # what `Worker.maintain` calls
            deadline = time.monotonic() + 30
            while snapshot.current_version(tmp_path) == 0 and time.monotonic() < deadline:
                time.sleep(0.1)
            assert snapshot.current_version(tmp_path) >= 1
            assert [m.member for m in helpers_for_request(post)] == [expert]
        finally:
            builder.stop()
            engine.reset_index()


def test_a_rebuild_while_a_builder_runs_makes_it_load_every_document_again(
    served: Path, servers: list[builder.Builder], requester: User
) -> None:
    running = new_builder(servers, served)
    assert running.step() == 1
    out = StringIO()

    call_command("rebuild_matching_index", verbosity=0, stdout=out)

    assert "the worker building this server's index takes the changes" in out.getvalue()
    assert running.step() == 2  # the reload in the change log: loaded and written again
    assert running.step() is None  # and nothing since


def test_a_rebuild_with_no_builder_running_writes_the_snapshot_itself(
    served: Path, requester: User
) -> None:
    out = StringIO()
    call_command("rebuild_matching_index", verbosity=0, stdout=out)

    assert "snapshot 1 written with 1 members and 0 open requests" in out.getvalue()
    assert index_status()["ready"] is True


def test_a_snapshot_of_another_database_is_never_served(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = Corpus(MEMBER_FIELDS)
    corpus.upsert(1, {"skills": "sepsis audit", "about": "", "offers": ""}, "d1", None)
    snapshot.write(
        tmp_path, members=corpus, requests=Corpus(MEMBER_FIELDS), built_at=timezone.now(), model=""
    )
    assert snapshot.read(tmp_path) is not None
    # The same folder, read by an installation on another database (a demo and a
    # benchmark in one checkout): as if no snapshot had been written yet.
    monkeypatch.setattr(snapshot, "database_identity", lambda: "postgresql:elsewhere:5432:other")
    assert snapshot.read(tmp_path) is None
