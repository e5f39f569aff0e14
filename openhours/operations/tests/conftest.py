from __future__ import annotations

from collections.abc import Iterator
from typing import Any as SettingsWrapper

import pytest

from . import tasks_for_tests


@pytest.fixture
def database_queue(settings: SettingsWrapper) -> Iterator[None]:
    """Tasks go to the database queue, as in production, instead of running at once."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    tasks_for_tests.CALLS.clear()
    yield
    tasks_for_tests.CALLS.clear()
