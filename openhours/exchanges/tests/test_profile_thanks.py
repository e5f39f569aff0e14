"""Thanks on profiles: the latest notes a member received, rendered by exchanges' own tag."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openhours.accounts.models import User
from openhours.accounts.tests.factories import UserFactory
from openhours.exchanges import services
from openhours.exchanges.models import Exchange
from openhours.members.models import Visibility
from openhours.members.services import get_or_create_profile

pytestmark = pytest.mark.django_db


def _thanked(coordinator: User, giver: User, *, by: User, title: str, body: str) -> Exchange:
    exchange = services.record_offline_exchange(
        coordinator=coordinator,
        giver=giver,
        receiver=by,
        minutes=60,
        delivered_on=timezone.localdate(),
        title=title,
        description="",
        reason="From the paper log",
    )
    services.leave_thanks(exchange=exchange, author=by, body=body)
    return exchange


def _profile(client: Client, user: User) -> str:
    response = client.get(reverse("members:detail", args=[user.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_profile_shows_the_latest_thanks_with_who_said_it_and_for_what(
    member_client: Client, coordinator: User, giver: User
) -> None:
    get_or_create_profile(giver)
    for n in range(4):
        colleague = UserFactory(full_name=f"Colleague {n}")
        _thanked(coordinator, giver, by=colleague, title=f"Audit {n}", body=f"Thank you {n}!")

    html = _profile(member_client, giver)

    assert "Thanks from colleagues" in html
    assert "Thank you 3!" in html
    assert "Colleague 3, for “Audit 3”" in html
    # The latest three, newest first; the oldest is left off.
    assert html.index("Thank you 3!") < html.index("Thank you 2!") < html.index("Thank you 1!")
    assert "Thank you 0!" not in html


def test_thanks_someone_gave_are_not_shown_as_thanks_they_received(
    member_client: Client, coordinator: User, giver: User, outsider: User
) -> None:
    get_or_create_profile(outsider)
    _thanked(coordinator, giver, by=outsider, title="Rota help", body="Brilliant, thanks")
    assert "Thanks from colleagues" not in _profile(member_client, outsider)


def test_a_profile_without_thanks_has_no_empty_heading(member_client: Client, giver: User) -> None:
    get_or_create_profile(giver)
    assert "Thanks from colleagues" not in _profile(member_client, giver)


def test_a_hidden_profile_stays_hidden_whatever_thanks_it_has(
    member_client: Client, coordinator: User, giver: User, outsider: User
) -> None:
    profile = get_or_create_profile(giver)
    profile.visibility = Visibility.HIDDEN
    profile.save()
    _thanked(coordinator, giver, by=outsider, title="Rota help", body="Brilliant, thanks")
    response = member_client.get(reverse("members:detail", args=[giver.pk]))
    assert response.status_code == 404
    assert "Brilliant" not in response.content.decode()


def test_members_code_never_imports_exchanges_or_posts() -> None:
    """members sits below exchanges and posts (docs/architecture.md); its template loads
    their tags instead (thanks, open posts). `make lint` checks the layers too; this test
    keeps the rule in the suite."""
    members = Path(__file__).resolve().parents[2] / "members"
    imported: list[str] = []
    for source in members.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.append(node.module)
            elif isinstance(node, ast.Import):
                imported.extend(alias.name for alias in node.names)
    assert imported, "found no imports: the path is wrong"
    assert not [m for m in imported if m.startswith("openhours.exchanges")]
    assert not [m for m in imported if m.startswith("openhours.posts")]
