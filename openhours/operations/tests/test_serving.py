"""The production configuration: `check --deploy` is clean and gunicorn serves the app."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.request import urlopen as _urlopen

from django.conf import settings

PRODUCTION = {
    "SECRET_KEY": "a-long-random-production-secret-key-for-this-test-only-0123456789",
    "ALLOWED_HOSTS": "127.0.0.1,openhours.example",
    "DEBUG": "",
    "SECURE_SSL_REDIRECT": "0",
}


def _env(tmp_path: Path) -> dict[str, str]:
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not leak into a production process.
    dropped = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(PRODUCTION)
    env["DJANGO_SETTINGS_MODULE"] = "openhours.settings"
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'serve.sqlite3'}"
    env["STATIC_ROOT"] = str(tmp_path / "static")
    return env


def test_the_deployment_checks_pass_with_production_settings(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env={**_env(tmp_path), "SECURE_SSL_REDIRECT": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def fetch(url: str, *, timeout: float) -> Any:
    assert url.startswith("http://127.0.0.1:")  # only ever our own server
    return _urlopen(url, timeout=timeout)  # noqa: S310


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_gunicorn_serves_pages_health_and_metrics_from_several_workers(tmp_path: Path) -> None:
    env = _env(tmp_path)
    for command in (["migrate"], ["collectstatic", "--noinput"]):
        subprocess.run(
            [sys.executable, "manage.py", *command, "-v0"],
            cwd=settings.BASE_DIR,
            env=env,
            check=True,
            timeout=300,
        )
    port = _free_port()
    env.update(GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS="2")
    log = tmp_path / "gunicorn.log"
    with open(log, "wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "openhours.wsgi"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with fetch(f"{base}/health/", timeout=5) as response:
                    assert response.status == 200
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        for _ in range(6):  # spread over both workers
            with fetch(f"{base}/about/", timeout=5) as response:
                assert response.status == 200
                assert b"OpenHours" in response.read()
        with fetch(f"{base}/metrics", timeout=5) as response:
            text = response.read().decode()
        # Counted in two processes, added up in one answer.
        line = next(
            row
            for row in text.splitlines()
            if row.startswith("openhours_request_seconds_count") and 'view="about"' in row
        )
        assert float(line.rsplit(" ", 1)[1]) == 6.0
        assert "openhours_tasks_failed_last_day" in text
    except Exception:
        print(log.read_text())  # shown by pytest when the test fails
        raise
    finally:
        server.terminate()
        server.wait(timeout=30)
