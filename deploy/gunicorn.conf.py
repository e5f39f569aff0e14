"""gunicorn's configuration for OpenHours (docs/operations.md, "Serving").

    gunicorn -c deploy/gunicorn.conf.py openhours.wsgi

Every value can be changed from the environment without editing this file.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from typing import Any

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: each request is short and database-bound. Two per core is the measured
# sweet spot on the benchmark machine (docs/operations.md, "Capacity").
workers = int(os.environ.get("GUNICORN_WORKERS", str(2 * (os.cpu_count() or 1))))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# Recycle a worker now and then so a slow leak can never take a server down.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
# Behind the balancer: trust its X-Forwarded-* only from the addresses given.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn 27's control socket has one default path per user, which two servers on one
# machine would share; nothing of ours uses it.
control_socket_disable = os.environ.get("GUNICORN_CONTROL_SOCKET", "") != "1"
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG", "") == "1" else None
errorlog = "-"

# Prometheus counts from every worker process, added up by /metrics.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="openhours-metrics-")


def on_starting(server: Any) -> None:
    # A fresh folder each start: counts from a previous run's processes would be added in.
    folder = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder, exist_ok=True)


def child_exit(server: Any, worker: Any) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
