"""The workflow steps exchanges and group sessions share (notifications.workflow)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from openhours.accounts.models import User
from openhours.accounts.tests.factories import UserFactory
from openhours.notifications import workflow
from openhours.notifications.models import Notification
from openhours.notifications.services import notify

APPS = Path(__file__).resolve().parents[2]


def _imports(app: str) -> list[str]:
    imported: list[str] = []
    for source in (APPS / app).rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.append(node.module)
            elif isinstance(node, ast.Import):
                imported.extend(alias.name for alias in node.names)
    assert imported, f"found no imports in {app}: the path is wrong"
    return imported


def test_group_sessions_share_the_helpers_without_importing_exchanges() -> None:
    assert not [m for m in _imports("group_sessions") if m.startswith("openhours.exchanges")]


@pytest.mark.django_db
def test_recording_a_step_answers_the_actors_notifications_for_that_page_only() -> None:
    maya, gil = UserFactory(), UserFactory()
    asked = notify(recipient=maya, verb="t", message="Please confirm.", url="/x/1/", actor=gil)
    other = notify(recipient=maya, verb="t", message="Another thing.", url="/x/2/", actor=gil)
    assert asked is not None and other is not None
    # Any new row stands in for the app's event: the helper only saves it.
    event = Notification(recipient=gil, verb="t", message="event", created_at=asked.created_at)

    workflow.record_event(event, actor=maya, url="/x/1/")

    assert event.pk is not None
    asked.refresh_from_db()
    other.refresh_from_db()
    assert asked.read_at is not None
    assert other.read_at is None


@pytest.mark.django_db
def test_the_system_acting_clears_nobodys_notifications() -> None:
    maya: User = UserFactory()
    asked = notify(recipient=maya, verb="t", message="Please confirm.", url="/x/1/")
    assert asked is not None
    event = Notification(recipient=maya, verb="t", message="event", created_at=asked.created_at)
    workflow.record_event(event, actor=None, url="/x/1/")
    asked.refresh_from_db()
    assert asked.read_at is None
