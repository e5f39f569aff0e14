"""Profiles and the directory: what members say, who can see it, and finding people."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from openhours.accounts.models import User
from openhours.accounts.tests.factories import UserFactory
from openhours.members.models import Profession, Profile, Skill, Visibility
from openhours.members.selectors import DirectoryFilters, directory
from openhours.members.services import ProfileDetails, update_profile
from openhours.organisations.models import OrganisationKind
from openhours.organisations.tests.factories import OrganisationFactory, PlaceFactory

pytestmark = pytest.mark.django_db


def _form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "full_name": "Maya Member",
        "job_title": "Quality improvement lead",
        "profession": Profession.objects.get(name="Quality improvement specialist").pk,
        "skills": [Skill.objects.get(name="QI coaching").pk],
        "new_skills": "Tableau, Appreciative inquiry",
        "can_help_with": "Coaching teams through their first PDSA cycles.",
        "want_to_learn": "Power BI",
        "bio": "Ten years in acute care.",
        "availability": "Tuesday afternoons",
        "mode_video": "on",
        "visibility": "members",
        "band": "7",
    }
    data.update(overrides)
    return data


def test_a_new_member_is_asked_to_complete_their_profile(member_client: Client) -> None:
    response = member_client.get(reverse("members:me"))
    assert response["Location"] == reverse("members:edit")
    assert "Complete your profile" in member_client.get(reverse("members:edit")).content.decode()


def test_a_member_builds_their_profile(member_client: Client, member: User) -> None:
    org = OrganisationFactory(name="North Bristol NHS Trust")
    response = member_client.post(reverse("members:edit"), _form(organisations=[org.pk]))
    assert response.status_code == 302
    profile = Profile.objects.get(user=member)
    assert profile.job_title == "Quality improvement lead"
    assert list(profile.organisations.all()) == [org]
    names = sorted(s.name for s in profile.skills.all())
    assert names == ["Appreciative inquiry", "QI coaching", "Tableau"]
    assert Skill.objects.get(name="Tableau").curated is False
    assert profile.mode_video and not profile.mode_phone
    assert profile.band == "7"


def test_added_skills_reuse_existing_ones_whatever_the_case(member: User) -> None:
    details = ProfileDetails(full_name="Maya", new_skill_names=["qi COACHING", "Tableau"])
    update_profile(user=member, details=details)
    other = UserFactory()
    update_profile(
        user=other, details=ProfileDetails(full_name="Other", new_skill_names=["tableau"])
    )
    assert Skill.objects.filter(name__iexact="qi coaching").count() == 1
    assert Skill.objects.filter(name__iexact="tableau").count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"full_name": ""}, "full_name"),
        ({"job_title": ""}, "job_title"),
        ({"profession": "99999"}, "profession"),
        ({"organisations": ["99999"]}, "organisations"),
        ({"skills": ["99999"]}, "skills"),
        ({"new_skills": "x"}, "new_skills"),
        ({"visibility": "everyone-on-earth"}, "visibility"),
        ({"band": "12"}, "band"),
        ({"bio": "x" * 3001}, "bio"),
    ],
)
def test_invalid_profile_input_is_explained_and_saves_nothing(
    member_client: Client, member: User, change: dict[str, object], field: str
) -> None:
    response = member_client.post(reverse("members:edit"), _form(**change))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    profile = Profile.objects.get(user=member)
    assert profile.job_title == ""
    assert not profile.skills.exists()


def test_the_band_is_never_shown_to_other_members(
    member: User, outsider_client: Client, member_client: Client
) -> None:
    update_profile(
        user=member, details=ProfileDetails(full_name="Maya Member", job_title="Nurse", band="8a")
    )
    theirs = outsider_client.get(reverse("members:detail", args=[member.pk])).content.decode()
    assert "Band 8a" not in theirs
    assert "Pay band" not in theirs
    mine = member_client.get(reverse("members:detail", args=[member.pk])).content.decode()
    assert "Band 8a" in mine


def test_a_hidden_profile_is_hidden_from_other_members_but_not_coordinators(
    member: User, outsider_client: Client, coordinator_client: Client
) -> None:
    update_profile(
        user=member,
        details=ProfileDetails(
            full_name="Maya Member", job_title="Nurse", visibility=Visibility.HIDDEN
        ),
    )
    assert outsider_client.get(reverse("members:detail", args=[member.pk])).status_code == 404
    assert coordinator_client.get(reverse("members:detail", args=[member.pk])).status_code == 200
    outsider = outsider_client.get(reverse("members:directory")).context["page"].object_list
    assert member.profile not in list(outsider)


def test_an_unknown_member_is_a_404(member_client: Client) -> None:
    assert member_client.get(reverse("members:detail", args=[987654])).status_code == 404


class TestDirectory:
    def _person(self, name: str, **details: object) -> User:
        user = UserFactory(full_name=name)
        update_profile(user=user, details=ProfileDetails(full_name=name, **details))  # type: ignore[arg-type]
        return user

    def test_filters_by_skill_organisation_kind_profession_and_place(self, member: User) -> None:
        place = PlaceFactory(name="Bristol")
        practice = OrganisationFactory(kind=OrganisationKind.GP_PRACTICE, place=place)
        trust = OrganisationFactory(kind=OrganisationKind.NHS_TRUST)
        audit = Skill.objects.get(name="Clinical audit")
        gp = Profession.objects.get(name="General practitioner")
        a = self._person(
            "Ada", job_title="GP", profession=gp, organisations=[practice], skills=[audit]
        )
        b = self._person("Ben", job_title="Analyst", organisations=[trust])

        def names(**f: object) -> list[str]:
            return [p.user.full_name for p in directory(DirectoryFilters(**f), viewer=member)]  # type: ignore[arg-type]

        assert names(skill_id=audit.pk) == ["Ada"]
        assert names(organisation_id=trust.pk) == ["Ben"]
        assert names(organisation_kind=OrganisationKind.GP_PRACTICE) == ["Ada"]
        assert names(profession_id=gp.pk) == ["Ada"]
        assert names(place_id=place.pk) == ["Ada"]
        assert names(text="analyst") == ["Ben"]
        assert names(text="clinical audit") == ["Ada"]
        assert a != b

    def test_each_person_appears_once_even_with_many_matches(self, member: User) -> None:
        orgs = [OrganisationFactory(), OrganisationFactory()]
        skills = list(Skill.objects.filter(curated=True)[:3])
        self._person("Cara", job_title="Data analyst", organisations=orgs, skills=skills)
        found = directory(DirectoryFilters(text="a"), viewer=member)
        assert [p.user.full_name for p in found].count("Cara") == 1

    def test_over_the_count_limit_it_says_more_than_and_pages_stop_there(
        self, member_client: Client, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr("openhours.members.selectors.DIRECTORY_COUNT_LIMIT", 3)
        for name in ["Eve", "Dan", "Cat", "Bea", "Al"]:
            self._person(name, job_title="Nurse")
        response = member_client.get(reverse("members:directory"), {"q": "nurse"})
        page = response.context["page"]
        assert "More than 3 people found" in response.content.decode()
        assert page.paginator.num_pages == 1  # 24 a page: the 3 counted fit on one
        # The page is the list in name order, not the first ids read.
        assert [p.user.full_name for p in page.object_list] == ["Al", "Bea", "Cat"]

    def test_within_the_count_limit_the_count_is_exact_and_in_name_order(
        self, member_client: Client
    ) -> None:
        for name in ["Eve", "Dan", "Cat"]:
            self._person(name, job_title="Nurse")
        response = member_client.get(reverse("members:directory"), {"q": "nurse"})
        page = response.context["page"]
        assert "3 people found" in response.content.decode()
        assert not page.paginator.more_than_counted
        assert [p.user.full_name for p in page.object_list] == ["Cat", "Dan", "Eve"]

    def test_a_hidden_profile_is_left_out_of_the_count_for_members(
        self, member: User, coordinator: User
    ) -> None:
        self._person("Hana", job_title="Nurse", visibility=Visibility.HIDDEN)
        self._person("Ivo", job_title="Nurse")
        for viewer, expected in ((member, ["Ivo"]), (coordinator, ["Hana", "Ivo"])):
            found = directory(DirectoryFilters(text="nurse"), viewer=viewer)
            assert [p.user.full_name for p in found] == expected

    def test_the_directory_page_paginates_and_shows_an_empty_state(
        self, member_client: Client
    ) -> None:
        response = member_client.get(reverse("members:directory"), {"q": "nobody-is-called-this"})
        assert "Nobody matches" in response.content.decode()


def test_organisation_search_finds_by_words_and_code(member_client: Client) -> None:
    OrganisationFactory(name="North Bristol NHS Trust", ods_code="RVJ")
    OrganisationFactory(
        name="Bristol City Council", kind=OrganisationKind.LOCAL_AUTHORITY, ods_code="909"
    )
    page = member_client.get(
        reverse("organisations:search"), {"q": "bristol trust"}
    ).content.decode()
    assert "North Bristol NHS Trust" in page and "Bristol City Council" not in page
    page = member_client.get(reverse("organisations:search"), {"q": "rvj"}).content.decode()
    assert "North Bristol NHS Trust" in page
    page = member_client.get(reverse("organisations:search"), {"q": "zzzz"}).content.decode()
    assert "No organisation matches" in page


def test_organisation_search_needs_sign_in(client: Client) -> None:
    assert client.get(reverse("organisations:search"), {"q": "bristol"}).status_code == 302
