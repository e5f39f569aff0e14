"""The member picker: search-as-you-type for one member, its endpoint and its field.

Maya Member searches; Priya is a colleague with a profile, Hana hid hers, Nell has not
written one yet, Penny is still waiting for approval and Lou has left.
"""

from __future__ import annotations

import pytest
from django import forms
from django.test import Client
from django.urls import reverse

from openhours.accounts.models import Approval, User
from openhours.accounts.tests.factories import UserFactory
from openhours.members.forms import MemberField
from openhours.members.models import Profile, Visibility
from openhours.members.selectors import MEMBER_SEARCH_MAX, search_members
from openhours.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _colleague(name: str, *, job_title: str = "", hidden: bool = False, **user: object) -> User:
    person = UserFactory(full_name=name, **user)
    Profile.objects.create(
        user=person,
        job_title=job_title,
        visibility=Visibility.HIDDEN if hidden else Visibility.MEMBERS,
    )
    return person


@pytest.fixture
def priya(db: None) -> User:
    person = _colleague("Priya Patel", job_title="Data analyst", email="priya@nhs.net")
    person.profile.organisations.add(OrganisationFactory(name="North Bristol NHS Trust"))
    return person


@pytest.fixture
def hana(db: None) -> User:
    return _colleague("Hana Hidden", job_title="Data manager", hidden=True, email="hana@nhs.net")


def _names(people: list[User]) -> list[str]:
    return [p.full_name for p in people]


# The selector --------------------------------------------------------------------------


def test_it_finds_members_by_name_job_title_or_organisation_ignoring_case(
    member: User, priya: User
) -> None:
    for query in ["PRIYA", "pat", "data ANALYST", "bristol", "priya bristol"]:
        assert _names(search_members(query, viewer=member)) == ["Priya Patel"], query
    assert search_members("priya leeds", viewer=member) == []


def test_a_member_at_two_matching_organisations_is_found_once(member: User, priya: User) -> None:
    priya.profile.organisations.add(OrganisationFactory(name="Bristol Community Health"))
    assert _names(search_members("bristol", viewer=member)) == ["Priya Patel"]


def test_it_finds_only_approved_active_members(member: User, priya: User) -> None:
    _colleague("Priya Pending", approval=Approval.PENDING)
    _colleague("Priya Declined", approval=Approval.DECLINED)
    _colleague("Priya Left", is_active=False)
    assert _names(search_members("priya", viewer=member)) == ["Priya Patel"]


def test_a_hidden_profile_is_found_only_by_coordinators_and_its_owner(
    member: User, coordinator: User, hana: User
) -> None:
    assert search_members("hana", viewer=member) == []
    assert search_members("data manager", viewer=member) == []
    assert search_members("hana", viewer=coordinator) == [hana]
    assert search_members("hana", viewer=hana) == [hana]


def test_a_member_without_a_profile_yet_is_found_by_name(member: User) -> None:
    nell = UserFactory(full_name="Nell Newcomer")
    assert search_members("nell", viewer=member) == [nell]


def test_the_viewer_is_left_out_when_the_caller_asks(member: User) -> None:
    assert search_members("maya", viewer=member) == [member]
    assert search_members("maya", viewer=member, exclude_viewer=True) == []


def test_names_that_start_with_the_query_come_first_and_the_limit_is_capped(
    member: User,
) -> None:
    for n in range(MEMBER_SEARCH_MAX + 5):
        UserFactory(full_name=f"Alex Sam{n:02d}")
    sam = UserFactory(full_name="Sam Starts")
    found = search_members("sam", viewer=member, limit=500)
    assert found[0] == sam
    assert len(found) == MEMBER_SEARCH_MAX
    assert len(search_members("sam", viewer=member)) == 10


def test_an_empty_query_finds_nobody(member: User, priya: User) -> None:
    assert search_members("   ", viewer=member) == []


# The endpoint --------------------------------------------------------------------------


def _search(client: Client, query: str, **params: str) -> str:
    params = {"field": "to_user", "picker": "id_to_user", "to_user_query": query, **params}
    response = client.get(reverse("members:search"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_endpoint_returns_options_for_what_was_typed(
    member_client: Client, priya: User
) -> None:
    body = _search(member_client, "priya")
    assert f'role="option" id="id_to_user_option_{priya.pk}"' in body
    assert f'data-value="{priya.pk}"' in body
    assert "Data analyst, North Bristol NHS Trust" in body
    assert "1 member found" in body
    assert 'id="id_to_user_status" hx-swap-oob="innerHTML"' in body


def test_the_endpoint_says_when_nobody_matches(member_client: Client) -> None:
    body = _search(member_client, "zzzz")
    assert 'role="option"' not in body
    assert "No member matches" in body


def test_an_empty_or_one_letter_query_returns_nothing(member_client: Client, priya: User) -> None:
    assert _search(member_client, "").strip() == ""
    assert _search(member_client, "p").strip() == ""


def test_the_endpoint_keeps_hidden_profiles_hidden(
    member_client: Client, coordinator_client: Client, hana: User
) -> None:
    assert "Hana Hidden" not in _search(member_client, "hana")
    assert "Hana Hidden" in _search(coordinator_client, "hana")


def test_the_endpoint_leaves_out_the_viewer_when_the_picker_asks(
    member_client: Client, member: User
) -> None:
    assert "Maya Member" in _search(member_client, "maya")
    assert "Maya Member" not in _search(member_client, "maya", exclude_me="1")


def test_the_endpoint_refuses_outsiders_and_waiting_members(client: Client, priya: User) -> None:
    response = client.get(reverse("members:search"), {"q": "priya"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    waiting = UserFactory(approval=Approval.PENDING)
    client.force_login(waiting)
    response = client.get(reverse("members:search"), {"q": "priya"})
    assert response.status_code == 302
    assert "Priya" not in response.content.decode()


def test_the_endpoint_does_not_echo_unsafe_names_or_ids(member_client: Client, priya: User) -> None:
    body = _search(member_client, "", field='x"><script>', picker='"><img src=x>', q="priya")
    assert "<script>" not in body
    assert "<img" not in body
    assert f'id="id_member_option_{priya.pk}"' in body
    body = _search(member_client, "priya", picker="id_x\n", field="to_user")
    assert f'id="id_to_user_option_{priya.pk}"' in body


# The field -----------------------------------------------------------------------------


class PickForm(forms.Form):
    to_user = MemberField(label="Colleague")
    cc = MemberField(label="Copy to", required=False)

    def __init__(self, *args: object, giver: User | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["to_user"].exclude = giver  # type: ignore[attr-defined]


def test_the_field_takes_the_id_chosen_from_the_list(priya: User) -> None:
    form = PickForm({"to_user": str(priya.pk), "to_user_query": "Priya Patel"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"to_user": priya, "cc": None}


def test_without_javascript_an_email_address_picks_the_member(priya: User) -> None:
    form = PickForm({"to_user": "", "to_user_query": " PRIYA@nhs.net "})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["to_user"] == priya


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"to_user": "99999"}, "can't be chosen"),
        ({"to_user": "1; DROP TABLE"}, "can't be chosen"),
        ({"to_user": "-3"}, "can't be chosen"),
        ({"to_user": "", "to_user_query": "Priya"}, "Choose someone from the list"),
        ({"to_user": "", "to_user_query": "nobody@nhs.net"}, "No member has that email"),
        ({"to_user": "", "to_user_query": ""}, "Choose a member."),
        ({}, "Choose a member."),
    ],
)
def test_a_tampered_or_incomplete_choice_is_an_error_beside_the_field(
    priya: User, data: dict[str, str], message: str
) -> None:
    form = PickForm(data)
    assert not form.is_valid()
    assert message in form.errors["to_user"][0]


@pytest.mark.parametrize("state", [{"approval": Approval.PENDING}, {"is_active": False}])
def test_a_member_who_is_not_approved_and_active_cannot_be_chosen(
    state: dict[str, object],
) -> None:
    person = UserFactory(email="gone@nhs.net", **state)
    for data in ({"to_user": str(person.pk)}, {"to_user_query": "gone@nhs.net"}):
        form = PickForm(data)
        assert not form.is_valid()
        assert "to_user" in form.errors


def test_the_excluded_member_cannot_be_chosen(member: User) -> None:
    form = PickForm({"to_user": str(member.pk)}, giver=member)
    assert not form.is_valid()
    assert form.errors["to_user"] == ["You can't choose yourself here."]


def test_the_widget_shows_the_chosen_name_and_keeps_the_id(priya: User) -> None:
    html = str(PickForm(initial={"to_user": priya.pk})["to_user"])
    assert 'name="to_user_query" value="Priya Patel"' in html
    assert f'type="hidden" name="to_user" value="{priya.pk}"' in html
    assert 'aria-describedby="id_to_user_helptext"' in html
    assert reverse("members:search") in html
    assert "Chosen: Priya Patel" in html


def test_the_widget_shows_back_what_was_typed_when_it_was_refused(priya: User) -> None:
    form = PickForm({"to_user": "99999", "to_user_query": "Pri"})
    html = str(form["to_user"])
    assert 'name="to_user_query" value="Pri"' in html
    assert 'type="hidden" name="to_user" value=""' in html
    assert "id_to_user_error" in html


def test_the_hidden_form_carries_both_halves_of_the_choice(priya: User) -> None:
    form = PickForm({"to_user": "", "to_user_query": "priya@nhs.net"})
    html = form["to_user"].as_hidden()
    assert 'name="to_user" value=""' in html
    assert 'name="to_user_query" value="priya@nhs.net"' in html
