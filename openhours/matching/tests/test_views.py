"""Where members see matches: the request page, the home page, "for you" and the queue.

Most tests fix what the ranking returns (`ranked`), so they say who is on the page; the
last ones use the real engine end to end.
"""

from __future__ import annotations

import ast
import html
from collections.abc import Collection
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openhours.accounts.models import User
from openhours.accounts.tests.factories import UserFactory
from openhours.matching import selectors
from openhours.matching.models import RequestRouting, RoutingStage, Suggestion, SuggestionKind
from openhours.matching.selectors import HelperMatch, RequestMatch
from openhours.matching.services import invite_to_request
from openhours.members.services import ProfileDetails, block_member, update_profile
from openhours.notifications.models import Notification
from openhours.posts.models import Kind, Post
from openhours.posts.services import close_post
from openhours.posts.tests.factories import make_post

pytestmark = pytest.mark.django_db


class Ranked:
    """Stands in for both ranking selectors behind the pages: fixed helpers and requests."""

    def __init__(self) -> None:
        self.helpers: list[User] = []
        self.requests: list[Post] = []
        self.helper_calls = 0

    def helpers_for_request(
        self, post: Post, *, limit: int = 10, exclude: Collection[int] = ()
    ) -> list[HelperMatch]:
        self.helper_calls += 1
        chosen = [m for m in self.helpers if m.pk not in set(exclude)][:limit]
        return [HelperMatch(member=m, score=0.9, reasons=["Knows Power BI"]) for m in chosen]

    def requests_for_member(self, member: User, *, limit: int = 10) -> list[RequestMatch]:
        return [
            RequestMatch(post=p, score=0.8, reasons=["Matches your skill: Power BI"])
            for p in self.requests[:limit]
        ]


@pytest.fixture
def ranked(monkeypatch: pytest.MonkeyPatch) -> Ranked:
    fake = Ranked()
    monkeypatch.setattr(selectors, "helpers_for_request", fake.helpers_for_request)
    monkeypatch.setattr(selectors, "requests_for_member", fake.requests_for_member)
    return fake


@pytest.fixture
def hana(db: None) -> User:
    user = UserFactory(full_name="Hana Helper", email="hana@nhs.net")
    update_profile(
        user=user,
        details=ProfileDetails(full_name="Hana Helper", job_title="Information analyst"),
    )
    return user


@pytest.fixture
def request_post(member: User) -> Post:
    return make_post(member, title="Power BI dashboard for falls data")


def page_text(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def invite_url(post: Post) -> str:
    return reverse("matching:invite", args=[post.pk])


# The request page -------------------------------------------------------------------


def test_the_requester_sees_people_who_could_help_with_reasons_and_invite_buttons(
    ranked: Ranked, member_client: Client, request_post: Post, hana: User
) -> None:
    ranked.helpers = [hana]
    text = page_text(member_client, reverse("posts:detail", args=[request_post.pk]))
    assert "People who could help" in text
    assert "Hana Helper" in text and "Information analyst" in text
    assert "Knows Power BI" in text
    assert f'action="{invite_url(request_post)}"' in text
    assert reverse("members:detail", args=[hana.pk]) in text


def test_a_coordinator_sees_people_who_could_help_too(
    ranked: Ranked, coordinator_client: Client, request_post: Post, hana: User
) -> None:
    ranked.helpers = [hana]
    text = page_text(coordinator_client, reverse("posts:detail", args=[request_post.pk]))
    assert "People who could help" in text and "Hana Helper" in text


def test_other_members_never_see_who_could_help_nor_trigger_the_ranking(
    ranked: Ranked, outsider_client: Client, request_post: Post, hana: User
) -> None:
    ranked.helpers = [hana]
    text = page_text(outsider_client, reverse("posts:detail", args=[request_post.pk]))
    assert "People who could help" not in text
    assert ranked.helper_calls == 0


def test_offers_and_closed_requests_show_no_helpers(
    ranked: Ranked, member_client: Client, member: User, request_post: Post, hana: User
) -> None:
    ranked.helpers = [hana]
    offer = make_post(member, kind=Kind.OFFER, title="Excel training")
    close_post(actor=member, post=request_post)
    for post in (offer, request_post):
        text = page_text(member_client, reverse("posts:detail", args=[post.pk]))
        assert "People who could help" not in text


def test_the_request_page_says_so_when_nobody_matches(
    ranked: Ranked, member_client: Client, request_post: Post
) -> None:
    text = page_text(member_client, reverse("posts:detail", args=[request_post.pk]))
    assert "Nobody matches this request closely yet" in text


def test_someone_already_invited_shows_as_invited(
    ranked: Ranked, member_client: Client, member: User, request_post: Post, hana: User
) -> None:
    ranked.helpers = [hana]
    invite_to_request(post=request_post, member=hana, inviter=member)
    text = page_text(member_client, reverse("posts:detail", args=[request_post.pk]))
    assert "Invited" in text
    assert f'value="{hana.pk}"' not in text


def test_a_member_who_hid_their_profile_is_listed_for_coordinators_only(
    ranked: Ranked,
    member_client: Client,
    coordinator_client: Client,
    request_post: Post,
    hana: User,
) -> None:
    update_profile(user=hana, details=ProfileDetails(full_name="Hana Helper", visibility="hidden"))
    ranked.helpers = [hana]
    url = reverse("posts:detail", args=[request_post.pk])
    assert "Hana Helper" not in page_text(member_client, url)
    assert "Hana Helper" in page_text(coordinator_client, url)


# Inviting ---------------------------------------------------------------------------


def test_invite_without_javascript_redirects_back_with_a_message(
    ranked: Ranked, member_client: Client, request_post: Post, hana: User
) -> None:
    response = member_client.post(invite_url(request_post), {"member": hana.pk}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("posts:detail", args=[request_post.pk])
    assert "Hana Helper is invited" in html.unescape(response.content.decode())
    assert Suggestion.objects.filter(member=hana, kind=SuggestionKind.INVITATION).exists()
    assert Notification.objects.filter(recipient=hana, verb="matching.invited").exists()


def test_invite_with_htmx_swaps_the_row_to_invited(
    member_client: Client, request_post: Post, hana: User
) -> None:
    response = member_client.post(
        invite_url(request_post), {"member": hana.pk}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Invited" in body and "<html" not in body
    again = member_client.post(
        invite_url(request_post), {"member": hana.pk}, headers={"HX-Request": "true"}
    )
    assert "Invited" in again.content.decode()
    assert Suggestion.objects.count() == 1


def test_a_refused_invitation_says_why(
    ranked: Ranked, member_client: Client, member: User, request_post: Post, hana: User
) -> None:
    block_member(blocker=hana, blocked=member)
    response = member_client.post(
        invite_url(request_post), {"member": hana.pk}, headers={"HX-Request": "true"}
    )
    assert "can't be invited" in html.unescape(response.content.decode())
    response = member_client.post(invite_url(request_post), {"member": hana.pk}, follow=True)
    assert "can't be invited" in html.unescape(response.content.decode())
    assert not Suggestion.objects.exists()


def test_inviting_to_a_closed_request_is_refused_plainly(
    ranked: Ranked, member_client: Client, member: User, request_post: Post, hana: User
) -> None:
    close_post(actor=member, post=request_post)
    response = member_client.post(invite_url(request_post), {"member": hana.pk}, follow=True)
    assert response.status_code == 200
    assert "This request is closed" in html.unescape(response.content.decode())


def test_only_the_requester_and_coordinators_may_invite(
    outsider_client: Client, coordinator_client: Client, request_post: Post, hana: User
) -> None:
    assert outsider_client.post(invite_url(request_post), {"member": hana.pk}).status_code == 403
    assert coordinator_client.post(invite_url(request_post), {"member": hana.pk}).status_code == 302
    assert Suggestion.objects.get().invited_by.is_coordinator  # type: ignore[union-attr]


def test_bad_input_to_invite_is_a_404_never_a_500(
    member_client: Client, member: User, request_post: Post, hana: User
) -> None:
    offer = make_post(member, kind=Kind.OFFER, title="Excel training")
    cases = [
        (reverse("matching:invite", args=[999999]), {"member": hana.pk}),
        (invite_url(offer), {"member": hana.pk}),
        (invite_url(request_post), {"member": "abc"}),
        (invite_url(request_post), {"member": 999999}),
        (invite_url(request_post), {}),
    ]
    for url, data in cases:
        assert member_client.post(url, data).status_code == 404, (url, data)
    assert member_client.get(invite_url(request_post)).status_code == 405


def test_invite_ignores_a_next_address_on_another_site(
    member_client: Client, request_post: Post, hana: User
) -> None:
    response = member_client.post(
        invite_url(request_post), {"member": hana.pk, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("posts:detail", args=[request_post.pk])


def test_invite_needs_a_signed_in_member(client: Client, request_post: Post, hana: User) -> None:
    response = client.post(invite_url(request_post), {"member": hana.pk})
    assert response.status_code == 302 and "login" in response["Location"]
    assert not Suggestion.objects.exists()


# Home and "for you" -----------------------------------------------------------------


def test_home_shows_requests_you_could_help_with_and_links_to_all(
    ranked: Ranked, outsider_client: Client, request_post: Post
) -> None:
    ranked.requests = [request_post]
    text = page_text(outsider_client, reverse("home"))
    assert "Requests you could help with" in text
    assert "Matches your skill: Power BI" in text
    assert reverse("matching:for_you") in text


def test_home_explains_how_to_get_matches_when_there_are_none(
    ranked: Ranked, outsider_client: Client
) -> None:
    text = page_text(outsider_client, reverse("home"))
    assert "No requests match your profile yet" in text


def test_for_you_lists_matches_ten_to_a_page(
    ranked: Ranked, outsider_client: Client, member: User
) -> None:
    ranked.requests = [make_post(member, title=f"Request number {i}") for i in range(13)]
    first = page_text(outsider_client, reverse("matching:for_you"))
    assert first.count("Matches your skill") == 10
    second = page_text(outsider_client, reverse("matching:for_you") + "?page=2")
    assert second.count("Matches your skill") == 3
    assert "Request number 12" in second
    assert page_text(outsider_client, reverse("matching:for_you") + "?page=zzz")


def test_for_you_has_an_empty_state(ranked: Ranked, outsider_client: Client) -> None:
    assert "No requests match your profile yet" in page_text(
        outsider_client, reverse("matching:for_you")
    )


# The coordinators' queue ------------------------------------------------------------


def _queue(post: Post, *, days_ago: int) -> RequestRouting:
    when = timezone.now() - timezone.timedelta(days=days_ago)
    return RequestRouting.objects.create(
        post=post, stage=RoutingStage.QUEUED, round=2, routed_at=when, queued_at=when
    )


def test_the_queue_lists_queued_requests_oldest_first_with_new_people_to_invite(
    ranked: Ranked, coordinator_client: Client, member: User, hana: User
) -> None:
    newer = make_post(member, title="Newer request")
    older = make_post(member, title="Older request")
    _queue(newer, days_ago=1)
    _queue(older, days_ago=5)
    alerted = UserFactory(full_name="Alfie Alerted")
    for post in (older, newer):
        Suggestion.objects.create(
            post=post, member=alerted, kind=SuggestionKind.ALERT, created_at=timezone.now()
        )
    ranked.helpers = [alerted, hana]

    text = page_text(coordinator_client, reverse("matching:queue"))
    assert text.index("Older request") < text.index("Newer request")
    assert "Hana Helper" in text and "Alfie Alerted" not in text
    assert "1 member alerted" in text
    assert reverse("matching:handled", args=[older.pk]) in text
    assert 'aria-current="page">Unanswered requests' in text


def test_marking_a_request_handled_takes_it_off_the_queue_once(
    ranked: Ranked, coordinator_client: Client, coordinator: User, request_post: Post
) -> None:
    _queue(request_post, days_ago=2)
    url = reverse("matching:handled", args=[request_post.pk])
    assert coordinator_client.post(url)["Location"] == reverse("matching:queue")
    assert coordinator_client.post(url).status_code == 302
    assert RequestRouting.objects.get(post=request_post).handled_by == coordinator
    text = page_text(coordinator_client, reverse("matching:queue"))
    assert "No requests are waiting" in text


def test_marking_a_request_that_is_not_queued_says_so(
    coordinator_client: Client, request_post: Post
) -> None:
    url = reverse("matching:handled", args=[request_post.pk])
    response = coordinator_client.post(url, follow=True)
    assert "isn't in the coordinators' queue" in html.unescape(response.content.decode())
    assert coordinator_client.post(reverse("matching:handled", args=[999999])).status_code == 404


def test_the_queue_is_for_coordinators_only(
    ranked: Ranked, member_client: Client, client: Client, request_post: Post
) -> None:
    _queue(request_post, days_ago=2)
    assert member_client.get(reverse("matching:queue")).status_code == 403
    handled = reverse("matching:handled", args=[request_post.pk])
    assert member_client.post(handled).status_code == 403
    assert Client().get(reverse("matching:queue")).status_code == 302
    assert RequestRouting.objects.get(post=request_post).handled_by is None


# With the real engine -----------------------------------------------------------------


def _real_profiles() -> tuple[User, User]:
    from openhours.members.models import Skill

    power_bi = Skill.objects.get(name="Power BI dashboards")
    hana = UserFactory(full_name="Hana Analyst")
    update_profile(
        user=hana,
        details=ProfileDetails(
            full_name="Hana Analyst",
            job_title="Information analyst",
            skills=[power_bi],
            can_help_with="Power BI dashboards for falls and incident data.",
        ),
    )
    otto = UserFactory(full_name="Otto Estates")
    update_profile(
        user=otto,
        details=ProfileDetails(
            full_name="Otto Estates",
            job_title="Estates manager",
            can_help_with="Planning building works and moving departments.",
        ),
    )
    return hana, otto


def _falls_request(member: User) -> Post:
    from openhours.members.models import Skill

    return make_post(
        member,
        title="A Power BI dashboard for our falls data",
        description="We collect falls incidents monthly and want a Power BI dashboard.",
        category="data",
        skills=[Skill.objects.get(name="Power BI dashboards")],
    )


def test_with_the_real_engine_the_requester_sees_the_matching_colleague_first(
    member_client: Client, member: User
) -> None:
    _real_profiles()
    post = _falls_request(member)
    text = page_text(member_client, reverse("posts:detail", args=[post.pk]))
    helpers = text.split("People who could help", 1)[1]
    assert "Hana Analyst" in helpers
    assert "Otto Estates" not in helpers or helpers.index("Hana Analyst") < helpers.index(
        "Otto Estates"
    )


def test_with_the_real_engine_a_blocked_colleague_is_never_suggested(
    member_client: Client, member: User
) -> None:
    hana, _ = _real_profiles()
    block_member(blocker=hana, blocked=member)
    post = _falls_request(member)
    text = page_text(member_client, reverse("posts:detail", args=[post.pk]))
    assert "Hana Analyst" not in text.split("People who could help", 1)[1]


def test_with_the_real_engine_the_helper_sees_the_request_on_their_home_page(
    member: User, client: Client
) -> None:
    hana, _ = _real_profiles()
    _falls_request(member)
    client.force_login(hana)
    text = page_text(client, reverse("home"))
    section = text.split("Requests you could help with", 1)[1].split("New requests", 1)[0]
    assert "A Power BI dashboard for our falls data" in section


# Layers -----------------------------------------------------------------------------


def test_the_template_tags_decide_who_sees_matches_through_selectors_not_views() -> None:
    source = Path(selectors.__file__).parent / "templatetags" / "matching.py"
    imported = []
    for node in ast.walk(ast.parse(source.read_text())):
        if isinstance(node, ast.ImportFrom):
            imported.append("." * node.level + (node.module or ""))
        elif isinstance(node, ast.Import):
            imported.extend(alias.name for alias in node.names)
    assert "..selectors" in imported, "found no import of the selectors: the path is wrong"
    assert not [m for m in imported if m.endswith("views") or ".views" in m]
