"""Insight's background work (run by the worker; see docs/operations.md)."""

from __future__ import annotations

from django_tasks import task

from . import rendering
from .refresh import refresh


@task()
def refresh_insight() -> dict[str, float | int | bool]:
    """Bring the dashboard's tables up to date with what changed since the last refresh,
    then render the default view so the next visitor finds it ready."""
    result = refresh()
    rendering.warm()
    return {
        "members_changed": result.members_changed,
        "exchanges_changed": result.exchanges_changed,
        "cells_recomputed": result.cells_recomputed,
        "posts_changed": result.posts_changed,
        "spanners": result.spanners,
        "seconds": round(result.seconds, 2),
    }
