"""The ranking rules: relevance, boundaries, load, exclusions, freshness."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from openhours.accounts.models import Approval, User
from openhours.accounts.tests.factories import UserFactory
from openhours.exchanges.models import Exchange, State
from openhours.matching.models import Suggestion, SuggestionKind
from openhours.matching.ranking import engine
from openhours.matching.selectors import helpers_for_request, requests_for_member
from openhours.members.services import block_member
from openhours.members.tests.factories import describe
from openhours.organisations.models import Organisation
from openhours.organisations.tests.factories import OrganisationFactory
from openhours.posts.models import Kind, Post
from openhours.posts.tests.factories import make_post

pytestmark = pytest.mark.django_db


def sepsis_request(author: User) -> Post:
    return make_post(
        author,
        title="Sepsis audit on the wards",
        description="Looking for someone who has run a sepsis audit and can share the tool.",
        skills=[],
    )


@pytest.fixture
def trust() -> Organisation:
    return OrganisationFactory(name="Riverside NHS Trust")


@pytest.fixture
def council() -> Organisation:
    return OrganisationFactory(name="Hillshire County Council")


@pytest.fixture
def requester(member: User, trust: Organisation) -> User:
    return describe(member, can_help_with="Rota planning", organisations=[trust])


def test_the_member_whose_words_match_ranks_first_with_reasons(requester: User) -> None:
    expert = describe(
        UserFactory(full_name="Sam Sepsis"),
        can_help_with="I ran the sepsis audit for our trust and wrote the audit tool.",
        job_title="Sepsis nurse specialist",
    )
    describe(UserFactory(), can_help_with="Excel pivot tables and dashboards")

    matches = helpers_for_request(sepsis_request(requester))

    assert [m.member for m in matches] == [expert]
    assert any("sepsis" in reason for reason in matches[0].reasons)
    assert "active in the last month" in matches[0].reasons


def test_a_helper_from_another_organisation_ranks_above_an_equal_colleague(
    requester: User, trust: Organisation, council: Organisation
) -> None:
    words = "I have run a sepsis audit and can share the audit tool."
    colleague = describe(UserFactory(), can_help_with=words, organisations=[trust])
    outsider = describe(UserFactory(), can_help_with=words, organisations=[council])
    post = sepsis_request(requester)

    matches = helpers_for_request(post)

    assert [m.member for m in matches] == [outsider, colleague]
    assert "works in a different organisation (Hillshire County Council)" in matches[0].reasons
    with override_settings(OPENHOURS_MATCHING_CROSS_BOUNDARY_WEIGHT=0):
        engine.reset_index()
        scores = {m.member: m.score for m in helpers_for_request(post)}
    assert scores[outsider] == scores[colleague]


def test_a_helper_already_giving_several_exchanges_ranks_below_a_free_one(
    requester: User,
) -> None:
    words = "I have run a sepsis audit and can share the audit tool."
    busy = describe(UserFactory(), can_help_with=words)
    free = describe(UserFactory(), can_help_with=words)
    now = timezone.now()
    for _ in range(3):
        Exchange.objects.create(
            giver=busy,
            receiver=UserFactory(),
            proposed_by=busy,
            title="Something else",
            state=State.ACCEPTED,
            created_at=now,
            updated_at=now,
        )

    matches = helpers_for_request(sepsis_request(requester))

    assert [m.member for m in matches] == [free, busy]


def test_recent_alerts_push_a_member_down_so_the_same_expert_is_not_always_asked(
    requester: User,
) -> None:
    words = "I have run a sepsis audit and can share the audit tool."
    popular = describe(UserFactory(), can_help_with=words)
    other = describe(UserFactory(), can_help_with=words)
    for n in range(3):
        Suggestion.objects.create(
            post=make_post(UserFactory(), title=f"Earlier request {n}"),
            member=popular,
            kind=SuggestionKind.ALERT,
            created_at=timezone.now() - timedelta(days=1),
        )

    matches = helpers_for_request(sepsis_request(requester))

    assert [m.member for m in matches] == [other, popular]


def test_the_requester_blocked_members_and_closed_accounts_are_never_suggested(
    requester: User,
) -> None:
    words = "Sepsis audit lead: I can share the sepsis audit tool."
    describe(requester, can_help_with=words, organisations=[])
    blocked = describe(UserFactory(), can_help_with=words)
    blocker = describe(UserFactory(), can_help_with=words)
    inactive = describe(UserFactory(), can_help_with=words)
    pending = describe(UserFactory(), can_help_with=words)
    welcome = describe(UserFactory(), can_help_with=words)
    block_member(blocker=requester, blocked=blocked)
    block_member(blocker=blocker, blocked=requester)
    User.objects.filter(pk=inactive.pk).update(is_active=False)
    User.objects.filter(pk=pending.pk).update(approval=Approval.PENDING)

    post = sepsis_request(requester)

    assert [m.member for m in helpers_for_request(post)] == [welcome]
    assert helpers_for_request(post, exclude=[welcome.pk]) == []


def test_a_profile_edited_in_a_running_app_is_matchable_without_a_rebuild(
    requester: User,
) -> None:
    post = sepsis_request(requester)
    newcomer = describe(UserFactory(), can_help_with="Payroll queries")
    assert helpers_for_request(post) == []  # the index is now loaded and in memory

    describe(newcomer, can_help_with="I led the sepsis audit last year.")

    assert [m.member for m in helpers_for_request(post)] == [newcomer]


def test_requests_for_a_member_are_open_others_and_not_from_blocked_members(
    requester: User, council: Organisation
) -> None:
    helper = describe(
        UserFactory(),
        can_help_with="Sepsis audit, audit tools, sepsis screening",
        organisations=[council],
    )
    wanted = sepsis_request(requester)
    own = sepsis_request(helper)
    blocked_author = describe(UserFactory(), can_help_with="Rotas")
    from_blocked = sepsis_request(blocked_author)
    block_member(blocker=helper, blocked=blocked_author)
    closed = sepsis_request(requester)
    Post.objects.filter(pk=closed.pk).update(status="closed", closed_at=timezone.now())
    make_post(requester, kind=Kind.OFFER, title="Sepsis audit offer")

    matches = requests_for_member(helper)

    assert [m.post for m in matches] == [wanted]
    assert own not in [m.post for m in matches]
    assert from_blocked not in [m.post for m in matches]
    assert "from another organisation (Riverside NHS Trust)" in matches[0].reasons
    assert "no one has offered to help yet" in matches[0].reasons


def test_a_member_without_a_profile_gets_no_requests(db: None) -> None:
    assert requests_for_member(UserFactory()) == []


def test_a_new_request_is_matchable_at_once(requester: User) -> None:
    helper = describe(UserFactory(), can_help_with="Sepsis audit")
    assert requests_for_member(helper) == []

    post = sepsis_request(requester)

    assert [m.post for m in requests_for_member(helper)] == [post]


def test_lexical_index_keeps_document_frequencies_exact_through_edits() -> None:
    from openhours.matching.ranking.lexical import FieldSpec, LexicalIndex

    index = LexicalIndex({"text": FieldSpec(weight=1.0)}, k1=1.2)
    index.build(
        (key, {"text": text})
        for key, text in [(1, "sepsis audit"), (2, "sepsis teaching"), (3, "rota planning")]
    )
    sepsis = index.vocabulary["sepsis"]
    assert index.document_frequency[sepsis] == 2 and len(index) == 3
    index.remove(1)  # a document from the build
    assert index.document_frequency[sepsis] == 1 and 1 not in index
    assert [key for key, _ in index.top("sepsis", 5)] == [2]
    index.upsert(1, {"text": "sepsis sepsis audit"})  # back, through the change matrix
    index.upsert(3, {"text": "sepsis rota"})
    assert index.document_frequency[sepsis] == 3 and len(index) == 3
    assert index.top("sepsis", 5)[0][0] == 1
    index.remove(3)  # a changed document this time
    assert index.document_frequency[sepsis] == 2
    assert index.document_frequency[index.vocabulary["rota"]] == 0
