"""The periodic schedule fires each task at its interval, and once however many look."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any as SettingsWrapper
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django_tasks_db.models import DBTaskResult

from openhours.core.testing import needs_postgresql, run_together
from openhours.operations import schedule
from openhours.operations.models import PeriodicRun

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_queue")]

LONDON = ZoneInfo("Europe/London")
START = datetime(2026, 3, 2, 9, 0, tzinfo=LONDON)


def _enqueued(name: str) -> int:
    path = schedule.PERIODIC_TASKS[name].module_path
    return DBTaskResult.objects.filter(task_path=path).count()


def _finish_all() -> None:
    DBTaskResult.objects.update(status="SUCCESSFUL")


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("300", schedule.Every(300)),
        (" daily 07:30 ", schedule.Daily(datetime(2000, 1, 1, 7, 30).time())),
        ("off", None),
    ],
)
def test_rules_are_read_from_the_setting(spec: str, expected: schedule.Rule | None) -> None:
    assert schedule.parse_rule("route_requests", spec) == expected


@pytest.mark.parametrize("spec", ["", "0", "-5", "5m", "daily", "daily 25:00", "hourly"])
def test_a_bad_rule_is_refused_with_the_name(spec: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="route_requests"):
        schedule.parse_rule("route_requests", spec)


def test_an_unknown_task_name_is_refused(settings: SettingsWrapper) -> None:
    settings.OPENHOURS_SCHEDULE = {"send_flowers": "60"}
    with pytest.raises(ImproperlyConfigured, match="send_flowers"):
        schedule.rules()


def test_each_task_fires_at_its_interval_as_the_clock_moves(settings: SettingsWrapper) -> None:
    settings.OPENHOURS_SCHEDULE = {
        "route_requests": "300",
        "auto_confirm_exchanges": "3600",
        "send_digests": "daily 07:00",
        "refresh_insight": "off",
    }
    with time_machine.travel(START, tick=False):
        first = schedule.enqueue_due()
    assert sorted(first) == ["auto_confirm_exchanges", "route_requests", "send_digests"]
    _finish_all()

    with time_machine.travel(START + timedelta(seconds=299), tick=False):
        assert schedule.enqueue_due() == []
    with time_machine.travel(START + timedelta(seconds=300), tick=False):
        assert schedule.enqueue_due() == ["route_requests"]
    _finish_all()
    with time_machine.travel(START + timedelta(hours=1), tick=False):
        assert sorted(schedule.enqueue_due()) == ["auto_confirm_exchanges", "route_requests"]
    _finish_all()
    # The digest's next run is tomorrow at 07:00 local time, not 24 hours after 09:00.
    with time_machine.travel(datetime(2026, 3, 3, 6, 59, tzinfo=LONDON), tick=False):
        assert "send_digests" not in schedule.enqueue_due()
    _finish_all()
    with time_machine.travel(datetime(2026, 3, 3, 7, 0, tzinfo=LONDON), tick=False):
        assert "send_digests" in schedule.enqueue_due()

    assert _enqueued("send_digests") == 2
    assert _enqueued("refresh_insight") == 0
    row = PeriodicRun.objects.get(name="send_digests")
    assert row.next_run_at == datetime(2026, 3, 4, 7, 0, tzinfo=LONDON)


def test_a_run_still_waiting_is_not_enqueued_again(settings: SettingsWrapper) -> None:
    settings.OPENHOURS_SCHEDULE = {"refresh_insight": "60"}
    with time_machine.travel(START, tick=False):
        assert schedule.enqueue_due() == ["refresh_insight"]
    # An hour later the first refresh has still not run: no second one piles up behind it.
    with time_machine.travel(START + timedelta(hours=1), tick=False):
        assert schedule.enqueue_due() == []
    _finish_all()
    with time_machine.travel(START + timedelta(hours=1, seconds=1), tick=False):
        assert schedule.enqueue_due() == ["refresh_insight"]
    assert _enqueued("refresh_insight") == 2


def test_two_workers_looking_one_after_the_other_enqueue_once(
    settings: SettingsWrapper,
) -> None:
    settings.OPENHOURS_SCHEDULE = {"route_requests": "300", "send_pending_emails": "120"}
    with time_machine.travel(START, tick=False):
        assert len(schedule.enqueue_due()) == 2
        assert schedule.enqueue_due() == []
    assert _enqueued("route_requests") == 1


@pytest.mark.usefixtures("database_queue")
class TestConcurrentWorkers:
    pytestmark = needs_postgresql

    def test_workers_looking_at_the_same_moment_enqueue_each_run_once(
        self, settings: SettingsWrapper
    ) -> None:
        settings.OPENHOURS_SCHEDULE = {
            "route_requests": "300",
            "send_pending_emails": "120",
            "auto_confirm_exchanges": "3600",
        }
        won: list[str] = []
        for minute in (0, 5, 10):
            _finish_all()
            moment = START + timedelta(minutes=minute)

            def look(moment: datetime = moment) -> None:
                won.extend(schedule.enqueue_due(now=moment))

            assert run_together([look] * 4) == []
        assert sorted(won).count("route_requests") == 3
        assert _enqueued("route_requests") == 3
        assert _enqueued("auto_confirm_exchanges") == 1
        assert _enqueued("send_pending_emails") == 3
