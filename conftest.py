"""Personas shared by every test: a member, a coordinator and an outsider.

The outsider is another approved member: they can browse, but every attempt to change
something that belongs to the member must be refused.
"""

from __future__ import annotations

import pytest
from django.test import Client

from openhours.accounts.models import Role, User
from openhours.accounts.tests.factories import UserFactory


@pytest.fixture
def reference_data(db: None) -> None:
    """The curated professions and skills. Migrations create them, but a transactional
    test empties every table when it ends, so tests that run after one ask for this."""
    from openhours.members.models import Profession, Skill
    from openhours.members.reference import install

    install(Profession, Skill)


@pytest.fixture
def member(db: None) -> User:
    return UserFactory(full_name="Maya Member", email="maya@nhs.net")


@pytest.fixture
def coordinator(db: None) -> User:
    return UserFactory(full_name="Cole Coordinator", email="cole@nhs.net", role=Role.COORDINATOR)


@pytest.fixture
def outsider(db: None) -> User:
    return UserFactory(full_name="Otto Outsider", email="otto@example.org")


@pytest.fixture
def member_client(client: Client, member: User) -> Client:
    client.force_login(member)
    return client


@pytest.fixture
def coordinator_client(coordinator: User) -> Client:
    c = Client()
    c.force_login(coordinator)
    return c


@pytest.fixture
def outsider_client(outsider: User) -> Client:
    c = Client()
    c.force_login(outsider)
    return c


@pytest.fixture(autouse=True)
def _fresh_matching_index() -> object:
    """Each test starts with no matching index in memory: a rolled-back test's members
    would otherwise linger in it (and their ids be reused by the next test)."""
    from openhours.matching.ranking.engine import reset_index

    reset_index()
    yield
    reset_index()
