"""Servers share one cache: the database's table by default, Redis when configured."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache.backends.db import DatabaseCache
from django.db import connection

from openhours.core.checks import shared_cache

PRODUCTION = {
    "SECRET_KEY": "a-long-random-production-secret-key-for-this-test-only-0123456789",
    "DJANGO_SETTINGS_MODULE": "openhours.settings",
}


def _settings_of_a_server(tmp_path: Path, **env: str) -> str:
    base = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "REDIS_URL"}}
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; import django; django.setup();"
            "print(settings.CACHES['default']['BACKEND'])",
        ],
        cwd=settings.BASE_DIR,
        env={**base, **PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_server_shares_the_database_cache_or_redis_never_its_own_memory(
    tmp_path: Path,
) -> None:
    assert _settings_of_a_server(tmp_path) == "django.core.cache.backends.db.DatabaseCache"
    assert (
        _settings_of_a_server(tmp_path, REDIS_URL="redis://127.0.0.1:6379/0")
        == "django.core.cache.backends.redis.RedisCache"
    )


def test_a_per_process_cache_outside_debug_is_an_error(settings: Any) -> None:
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    [error] = shared_cache()
    assert error.id == "openhours.E001"
    settings.DEBUG = True
    assert shared_cache() == []
    settings.DEBUG = False
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "openhours_cache",
        }
    }
    assert shared_cache() == []


@pytest.mark.django_db
def test_the_migrations_create_the_cache_table_and_it_works() -> None:
    assert settings.CACHE_TABLE in connection.introspection.table_names()
    cache = DatabaseCache(settings.CACHE_TABLE, {})
    cache.set("greeting", "hello", 30)
    assert cache.get("greeting") == "hello"
