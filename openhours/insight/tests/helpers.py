"""Hand-made networks for insight's tests, built through the real services."""

from __future__ import annotations

from django.utils import timezone

from openhours.accounts.models import Role, User
from openhours.accounts.tests.factories import UserFactory
from openhours.exchanges import services as exchanges
from openhours.exchanges.models import Exchange
from openhours.members.models import Profession
from openhours.members.services import get_or_create_profile
from openhours.organisations.models import Organisation, OrganisationKind, Place
from openhours.organisations.tests.factories import OrganisationFactory


def organisation(
    name: str, kind: str = OrganisationKind.NHS_TRUST, place: Place | None = None
) -> Organisation:
    return OrganisationFactory(name=name, kind=kind, place=place)


def profession(name: str, cost_group: str = "") -> Profession:
    return Profession.objects.get_or_create(
        name=name, defaults={"staff_group": name, "cost_group": cost_group}
    )[0]


def person(name: str, org: Organisation | None = None, job: Profession | None = None) -> User:
    user = UserFactory(full_name=name)
    profile = get_or_create_profile(user)
    profile.profession = job
    profile.save()
    if org is not None:
        profile.organisations.add(org)
    return user


def recorder() -> User:
    return UserFactory(full_name="Rita Recorder", role=Role.COORDINATOR)


def exchange(coordinator: User, giver: User, receiver: User, minutes: int = 60) -> Exchange:
    return exchanges.record_offline_exchange(
        coordinator=coordinator,
        giver=giver,
        receiver=receiver,
        minutes=minutes,
        delivered_on=timezone.localdate(),
        title="Help with a business case",
        reason="From the paper log",
    )
