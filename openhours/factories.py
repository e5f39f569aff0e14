"""factory_boy factories for tests. State that has rules is built through the services."""

from __future__ import annotations

from typing import Any

import factory
from allauth.account.models import EmailAddress

from openhours.accounts.models import Approval, Role, User
from openhours.group_sessions.models import GroupSession
from openhours.group_sessions.services import SessionDetails, create_session
from openhours.members.models import Skill
from openhours.organisations.models import ICB, Organisation, OrganisationKind, Place
from openhours.posts.models import Kind, Post
from openhours.posts.services import PostDetails, create_post

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"member{n}@nhs.net")
    full_name = factory.Faker("name", locale="en_GB")
    role = Role.MEMBER
    approval = Approval.APPROVED
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            self.save()
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )


class ICBFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ICB

    ods_code = factory.Sequence(lambda n: f"Q{n:03d}")
    name = factory.Sequence(lambda n: f"NHS Test {n} Integrated Care Board")


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    icb = factory.SubFactory(ICBFactory)
    name = factory.Sequence(lambda n: f"Place {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Test Organisation {n} NHS Trust")
    kind = OrganisationKind.NHS_TRUST
    ods_code = factory.Sequence(lambda n: f"T{n:04d}")


def make_post(author: User, **overrides: Any) -> Post:
    fields: dict[str, Any] = {
        "kind": Kind.REQUEST,
        "title": "Help with a business case for a virtual ward",
        "description": "We need someone who has written an options appraisal before.",
        "category": "finance",
        "estimated_minutes": 120,
    }
    skills = overrides.pop("skills", [])
    fields.update(overrides)
    return create_post(
        author=author, details=PostDetails(**fields, skills=list(skills) or _default_skills())
    )


def _default_skills() -> list[Skill]:
    return list(Skill.objects.filter(name="Business cases"))


def make_group_session(giver: User, **overrides: Any) -> GroupSession:
    """An open group session next week, created through the service."""
    from datetime import timedelta

    from django.utils import timezone

    fields: dict[str, Any] = {
        "title": "QI for beginners: PDSA cycles",
        "description": "A one-hour introduction to Plan-Do-Study-Act.",
        "starts_at": timezone.now() + timedelta(days=7),
        "planned_minutes": 60,
        "capacity": 10,
    }
    fields.update(overrides)
    return create_session(giver=giver, details=SessionDetails(**fields))
