"""System checks for how the project is configured."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

PER_PROCESS = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register()
def shared_cache(**kwargs: Any) -> list[CheckMessage]:
    """Outside DEBUG, the cache must be shared by every process (throttles count there)."""
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.DEBUG or backend not in PER_PROCESS:
        return []
    return [
        Error(
            f"The cache ({backend}) lives in each process's memory, so login throttles and "
            "cached figures would differ between processes.",
            hint="Set REDIS_URL, or leave CACHES to settings.py (a database table).",
            id="openhours.E001",
        )
    ]
