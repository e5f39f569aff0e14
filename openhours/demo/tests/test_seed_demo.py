"""The demo: a small run through the command, and the generator's text on its own."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from io import StringIO
from itertools import accumulate, product
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openhours.accounts.models import Role, User
from openhours.demo.content.posts import OFFER_CLOSINGS, REQUEST_CLOSINGS, TEAMS, TOPICS
from openhours.demo.content.professions import CROSS_CUTTING_SKILLS, PROFESSION_CONTENT
from openhours.demo.content.profiles import SKILL_PHRASES
from openhours.demo.content.showcase import (
    COORDINATOR_EMAIL,
    DEMO_PASSWORD,
    LEADER_EMAIL,
    MEMBER,
    MEMBER_EMAIL,
)
from openhours.demo.content.workplaces import SETTING_PROFESSIONS, SETTING_WEIGHTS
from openhours.demo.generator import DemoGenerator, OrgChoice, World, fill, with_article
from openhours.demo.seeding import seed_demo
from openhours.members.reference import PROFESSIONS, SKILLS
from openhours.organisations.models import Organisation
from openhours.posts.models import Post, Status
from openhours.posts.selectors import PostFilters, browse_posts

NOW = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, verbosity=0, stdout=out)
    return out.getvalue()


@pytest.fixture
def small_demo(db: None) -> str:
    # Members and posts only: the history has its own tests (test_history.py).
    return seed("--members", "30", "--posts", "30", "--no-history")


# ---------------------------------------------------------------------------------------
# The command, end to end
# ---------------------------------------------------------------------------------------


def test_it_creates_the_members_and_posts_asked_for(small_demo: str) -> None:
    assert User.objects.count() == 30
    assert Post.objects.count() == 30
    assert "30 members and 30 posts" in small_demo
    assert COORDINATOR_EMAIL in small_demo
    assert MEMBER_EMAIL in small_demo
    assert DEMO_PASSWORD in small_demo


def test_the_demo_logins_can_sign_in(small_demo: str, client: Client) -> None:
    coordinator = User.objects.get(email=COORDINATOR_EMAIL)
    assert coordinator.role == Role.COORDINATOR
    assert coordinator.is_staff
    assert coordinator.is_superuser

    assert client.login(email=COORDINATOR_EMAIL, password=DEMO_PASSWORD)
    assert client.get("/admin/").status_code == 200
    assert client.login(email=MEMBER_EMAIL, password=DEMO_PASSWORD)


def test_the_demo_has_a_system_leader_login_who_reads_insight_without_names(
    small_demo: str, client: Client
) -> None:
    leader = User.objects.get(email=LEADER_EMAIL)
    assert leader.role == Role.LEADER
    assert not leader.is_staff
    assert LEADER_EMAIL in small_demo

    assert client.login(email=LEADER_EMAIL, password=DEMO_PASSWORD)
    assert client.get(reverse("insight:dashboard")).status_code == 200
    assert client.get("/admin/").status_code == 302


def test_any_demo_member_can_sign_in_through_the_login_form(small_demo: str) -> None:
    someone = User.objects.exclude(email__endswith="@openhours.test").order_by("pk").last()
    assert someone is not None

    response = Client().post(
        reverse("account_login"), {"login": someone.email, "password": DEMO_PASSWORD}
    )

    assert response.status_code == 302
    assert response.url == reverse(settings.LOGIN_REDIRECT_URL)


def test_every_post_is_open_and_findable_by_a_word_from_its_title(small_demo: str) -> None:
    for post in Post.objects.all():
        word = max(re.findall(r"\w+", post.title), key=len)
        assert post.status == Status.OPEN
        assert post.is_open
        assert post in browse_posts(PostFilters(text=word)), (word, post.title)


def test_the_demo_member_has_a_complete_profile_and_a_few_posts(small_demo: str) -> None:
    member = User.objects.get(email=MEMBER_EMAIL)
    profile = member.profile

    assert profile.is_complete
    assert profile.job_title == MEMBER.job_title
    assert profile.skills.count() == len(MEMBER.skills)
    assert set(profile.organisations.values_list("kind", flat=True)) == {"pcn", "gp_practice"}
    assert member.posts.count() == 3
    assert member.posts.filter(kind="offer").count() == 1


def test_it_uses_the_real_icb_and_adds_invented_organisations(small_demo: str) -> None:
    assert Organisation.objects.filter(ods_code="RVJ", kind="nhs_trust").exists()
    assert Organisation.objects.filter(kind="gp_practice").count() == 77
    invented = Organisation.objects.filter(ods_code__isnull=True)
    assert set(invented.values_list("kind", flat=True)) == {
        "voluntary",
        "hospice",
        "university",
        "social_care",
    }
    assert not invented.filter(place__isnull=True).exists()


def test_if_empty_is_a_no_op_the_second_time(small_demo: str) -> None:
    output = seed("--if-empty", "--members", "40")

    assert "Demo data already present" in output
    assert User.objects.count() == 30
    assert Post.objects.count() == 30


def test_if_empty_refuses_to_add_to_a_database_with_any_account(db: None) -> None:
    User.objects.create_user("someone@example.org", "a-long-password-1")

    assert "Demo data already present" in seed("--if-empty")
    assert Post.objects.count() == 0


def test_running_again_without_if_empty_is_refused(small_demo: str) -> None:
    with pytest.raises(CommandError, match="Demo data already present"):
        seed("--members", "30")


def test_it_refuses_an_unknown_icb(db: None) -> None:
    with pytest.raises(CommandError, match="import_organisations --list"):
        seed("--icb", "XYZ")
    assert not User.objects.exists()


def test_it_refuses_when_mail_could_reach_real_inboxes(db: None, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"

    with pytest.raises(CommandError, match="--allow-real-email"):
        seed("--members", "5")
    assert not User.objects.exists()


def test_the_default_is_about_one_post_per_member_and_at_least_220(db: None) -> None:
    seed("--members", "12")

    assert User.objects.count() == 12
    assert Post.objects.count() == 220


@pytest.mark.parametrize("service_limit", [1000, 5], ids=["services", "bulk"])
def test_both_write_paths_leave_the_same_kind_of_data(db: None, service_limit: int) -> None:
    now = timezone.now()
    seed_demo(members=24, posts=26, now=now, service_limit=service_limit)
    lifetime = timedelta(days=settings.OPENHOURS_POST_LIFETIME_DAYS)

    for user in User.objects.select_related("profile").prefetch_related(
        "emailaddress_set", "profile__skills", "profile__organisations"
    ):
        profile = user.profile
        assert user.check_password(DEMO_PASSWORD)
        assert [(e.email, e.verified, e.primary) for e in user.emailaddress_set.all()] == [
            (user.email, True, True)
        ]
        assert 2 <= len(profile.skills.all()) <= 6
        assert len(profile.organisations.all()) >= 1
        assert profile.job_title
        assert profile.profession_id
        assert profile.is_complete
    for post in Post.objects.prefetch_related("skills"):
        assert post.skills.all()
        assert post.expires_at - post.created_at == lifetime
        assert now - timedelta(days=50) <= post.created_at <= now
        assert post.online or post.location
        assert post.estimated_minutes % 15 == 0
        word = max(re.findall(r"\w+", post.title), key=len)
        assert browse_posts(PostFilters(text=word)).filter(pk=post.pk).exists()


def test_the_same_seed_gives_the_same_demo(db: None) -> None:
    seed("--members", "20", "--posts", "20", "--seed", "7", "--no-history")
    first = sorted(Post.objects.values_list("title", "author__email"))
    Post.objects.all().delete()
    User.objects.all().delete()

    seed("--members", "20", "--posts", "20", "--seed", "7", "--no-history")

    assert sorted(Post.objects.values_list("title", "author__email")) == first


# ---------------------------------------------------------------------------------------
# The generator and its content, without a database
# ---------------------------------------------------------------------------------------


def world() -> World:
    kinds = [
        ("North Bristol NHS Trust", "nhs_trust", "acute"),
        ("Avon and Wiltshire Mental Health Partnership NHS Trust", "nhs_trust", "mental_health"),
        ("South Western Ambulance Service NHS Foundation Trust", "nhs_trust", "ambulance"),
        ("The Densham Surgery", "gp_practice", "gp_practice"),
        ("Pier Health PCN", "pcn", "pcn"),
        ("An Integrated Care Board", "icb", "icb"),
        ("Bristol City Council", "local_authority", "local_authority"),
        ("Bristol Carers Hub", "voluntary", "voluntary"),
        ("Kingfisher House Hospice", "hospice", "hospice"),
        ("Brackenridge University", "university", "university"),
        ("Kindred Home Care", "social_care", "social_care"),
    ]
    orgs = tuple(
        OrgChoice(
            id=i,
            name=name,
            kind=kind,
            setting=setting,
            place_id=1 if i % 2 else None,
            place_name="Bristol" if i % 2 else "",
            email_domain="nhs.net",
        )
        for i, (name, kind, setting) in enumerate(kinds, start=1)
    )
    return World(icb_name="NHS Test ICB", organisations=orgs, places=((1, "Bristol"),), now=NOW)


def plans(seed: int, members: int = 400, posts: int = 400) -> tuple[list, list]:  # type: ignore[type-arg]
    generator = DemoGenerator(world(), seed=seed)
    people = [generator.member(i) for i in range(members)]
    authors = [p.author for p in people]
    weights = list(accumulate(a.weight or 0.0 for a in authors))
    return people, [generator.post(authors, weights, n, posts) for n in range(posts)]


def test_the_generator_is_deterministic() -> None:
    assert plans(3, 50, 50) == plans(3, 50, 50)
    assert plans(3, 50, 50) != plans(4, 50, 50)


def test_profiles_look_like_a_real_membership() -> None:
    people, _ = plans(1, members=1000, posts=0)

    hidden = sum(p.visibility == "hidden" for p in people)
    assert 60 <= hidden <= 140  # about one in ten
    assert 0.4 < sum(bool(p.band) for p in people) / len(people) < 0.8
    assert len({p.email for p in people}) == len(people)
    for person in people:
        assert 2 <= len(person.skills) <= 6
        assert len(set(person.skills)) == len(person.skills)
        assert any(
            (person.mode_video, person.mode_phone, person.mode_in_person, person.mode_written)
        )
        assert person.can_help_with and person.want_to_learn and person.bio
        assert "{" not in person.bio + person.can_help_with + person.want_to_learn
        assert person.job_title in PROFESSION_CONTENT[person.profession].titles_for(
            person.organisations[0].setting
        )


def test_posts_are_varied_and_spread_over_fifty_days() -> None:
    _, posts = plans(1, members=300, posts=600)

    assert len({p.title for p in posts}) > 300
    assert len({p.description for p in posts}) > 550
    assert {p.kind for p in posts} == {"offer", "request"}
    assert len({p.category for p in posts}) >= 12
    assert min(p.created_at for p in posts) >= NOW - timedelta(days=50)
    assert max(p.created_at for p in posts) <= NOW
    assert len({p.created_at.date() for p in posts}) >= 50  # every day has some
    for post in posts:
        assert "{" not in post.title + post.description
        assert len(post.title) <= 140
        assert post.estimated_minutes % 15 == 0


def test_every_profession_and_skill_named_in_the_content_exists() -> None:
    professions = {name for name, _, _ in PROFESSIONS}
    skills = {name for name, _ in SKILLS}

    assert set(PROFESSION_CONTENT) == professions
    assert set(SKILL_PHRASES) == skills
    assert set(SETTING_PROFESSIONS) == set(SETTING_WEIGHTS) == set(TEAMS)
    for weights in SETTING_PROFESSIONS.values():
        assert set(weights) <= professions
    for content in PROFESSION_CONTENT.values():
        assert set(content.skills) <= skills
    assert set(CROSS_CUTTING_SKILLS) <= skills
    assert set(MEMBER.skills) <= skills
    for topic in TOPICS:
        assert set(topic.skills) <= skills
        assert set(topic.asked_in) <= set(SETTING_WEIGHTS)


@pytest.mark.parametrize("topic", TOPICS, ids=[t.key for t in TOPICS])
def test_every_template_fills_and_every_title_fits(topic: object) -> None:
    from openhours.demo.content.topic import Topic

    assert isinstance(topic, Topic)
    shared = {
        "organisation": "University Hospitals Bristol and Weston NHS Foundation Trust",
        "place": "South Gloucestershire",
        "team": "our community mental health team",
        "deadline": "before our next programme board",
        "years": "12",
        "my_help": "population health analysis",
        "availability": "Tuesday afternoons",
    }
    texts = [
        *topic.request_titles,
        *topic.offer_titles,
        *topic.request_openings,
        *topic.request_asks,
        *topic.offer_bodies,
        *REQUEST_CLOSINGS,
        *OFFER_CLOSINGS,
    ]
    names = list(topic.slots)
    for values in product(*(topic.slots[n] for n in names)):
        filled = {**shared, **dict(zip(names, values, strict=True))}
        for text in texts:
            assert "{" not in fill(text, filled)
        for title in (*topic.request_titles, *topic.offer_titles):
            assert len(fill(title, filled)) <= 140, title
    assert topic.minutes and all(m % 15 == 0 and 15 <= m <= 6000 for m in topic.minutes)


def test_fill_capitalises_on_request() -> None:
    assert (
        fill("{Team} asked; {team} agreed.", {"team": "our ward"})
        == "Our ward asked; our ward agreed."
    )
    with pytest.raises(KeyError):
        fill("{missing}", {})


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Practice Nurse", "a Practice Nurse"),
        ("Occupational Therapist", "an Occupational Therapist"),
        ("HR Business Partner", "an HR Business Partner"),
        ("QI Coach", "a QI Coach"),
        ("MSc Student, Health Data Science", "an MSc Student, Health Data Science"),
    ],
)
def test_job_titles_take_the_right_article(title: str, expected: str) -> None:
    assert with_article(title) == expected
