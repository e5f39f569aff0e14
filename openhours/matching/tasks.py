"""Matching's background work (run by the worker; see docs/operations.md)."""

from __future__ import annotations

from dataclasses import asdict

from django_tasks import task

from .services import route_requests as route


@task()
def route_requests() -> dict[str, int]:
    """Alert the best matches of new requests and escalate unanswered ones (idempotent:
    suggestions are unique per request and member, so a second pass adds nothing)."""
    return asdict(route())
