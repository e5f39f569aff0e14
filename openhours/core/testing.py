"""Helpers for the test suites of every app (imported by tests only)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

# Mark a concurrency test module with this: it needs PostgreSQL's row locks and several
# connections, and says so in the pytest summary when the suite runs on SQLite.
needs_postgresql = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL row locks; run with DATABASE_URL=postgres://...",
    ),
    pytest.mark.django_db(transaction=True),
]


def run_together(workers: list[Callable[[], Any]], *, timeout: float = 120) -> list[BaseException]:
    """Start every worker in its own thread at the same moment; return what they raised.

    Each thread opens its own database connection, as separate app servers would, and
    closes it when done.
    """
    barrier = threading.Barrier(len(workers))
    errors: list[BaseException] = []

    def run(work: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            work()
        except BaseException as error:  # reported to the calling test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(work,)) for work in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return errors
