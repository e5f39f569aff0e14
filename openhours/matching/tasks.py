"""Matching's background work (run by the worker; see docs/operations.md)."""

from __future__ import annotations

from dataclasses import asdict

from django_tasks import task

from .ranking import builder
from .services import route_requests as route


def start_index_builder() -> bool:
    """Start this server's matching index builder in this process, if it is not running
    (the worker calls this between tasks; see docs/matching.md). Returns whether one
    runs here (never when each process is its own builder, as in tests)."""
    return builder.ensure_running()


@task()
def route_requests() -> dict[str, int]:
    """Alert the best matches of new requests and escalate unanswered ones (idempotent:
    suggestions are unique per request and member, so a second pass adds nothing)."""
    return asdict(route())
