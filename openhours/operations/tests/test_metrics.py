"""/metrics gives Prometheus request latency by view, the queue, workers and postings,
and only to the machine itself or a scraper with the token."""

from __future__ import annotations

import contextvars
import json
import logging
from typing import Any

import pytest
from django.test import Client

from openhours.accounts.models import User
from openhours.core.logging import JsonFormatter
from openhours.operations.middleware import RequestIdFilter

from .tasks_for_tests import succeeds

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_queue")]


def _scrape(client: Client, **headers: str) -> str:
    response = client.get("/metrics", **headers)  # type: ignore[arg-type]
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode()


def test_requests_are_timed_by_view_and_the_queue_is_counted(client: Client) -> None:
    client.get("/about/")
    client.get("/no-such-page/")
    succeeds.enqueue("waiting")

    text = _scrape(client)

    assert 'openhours_request_seconds_count{method="GET",status="2xx",view="about"}' in text
    assert 'view="unmatched"' in text
    assert 'openhours_tasks{queue="default",status="READY"} 1.0' in text
    assert "openhours_task_queue_lag_seconds" in text
    assert "openhours_workers 0.0" in text
    assert "openhours_tasks_failed_last_day 0.0" in text


def test_ledger_postings_are_counted_from_the_database(client: Client, member: User) -> None:
    from openhours.ledger.services import grant_joining_credit

    grant_joining_credit(user=member)
    text = _scrape(client)
    assert 'openhours_ledger_postings_total{kind="joining_grant"} 1.0' in text


def test_other_machines_need_the_token(client: Client, settings: Any) -> None:
    far = {"REMOTE_ADDR": "203.0.113.9"}
    assert client.get("/metrics", **far).status_code == 404  # type: ignore[arg-type]

    settings.OPENHOURS_METRICS_TOKEN = "s3cret-token"
    assert client.get("/metrics").status_code == 404  # the token is now needed from anywhere
    wrong = {"HTTP_AUTHORIZATION": "Bearer nope", **far}
    assert client.get("/metrics", **wrong).status_code == 404  # type: ignore[arg-type]
    _scrape(client, HTTP_AUTHORIZATION="Bearer s3cret-token", **far)


def test_each_response_carries_a_request_id_and_keeps_a_sane_one(client: Client) -> None:
    made_up = client.get("/about/")["X-Request-ID"]
    assert len(made_up) == 32
    kept = client.get("/about/", HTTP_X_REQUEST_ID="lb-1234abcd")["X-Request-ID"]
    assert kept == "lb-1234abcd"
    replaced = client.get("/about/", HTTP_X_REQUEST_ID="<script>\n")["X-Request-ID"]
    assert replaced != "<script>\n" and len(replaced) == 32


def test_log_lines_are_json_with_the_request_id_and_extra_fields() -> None:
    record = logging.makeLogRecord(
        {
            "name": "openhours.test",
            "levelname": "WARNING",
            "msg": "Task %s failed",
            "args": ("abc",),
            "task_path": "x.y",
        }
    )
    # A fresh context, as in the worker, which serves no requests: the id is "-".
    contextvars.Context().run(RequestIdFilter().filter, record)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "Task abc failed"
    assert line["level"] == "WARNING"
    assert line["request_id"] == "-"
    assert line["task_path"] == "x.y"
    assert line["time"].endswith("+00:00")
