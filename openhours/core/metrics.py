"""Prometheus metrics counted in the app's own processes (docs/operations.md, "Metrics").

Defined here, in the bottom layer, so any app can count what it does. Under gunicorn with
``PROMETHEUS_MULTIPROC_DIR`` set, each worker process writes its counts to files in that
folder and ``/metrics`` adds them up; figures that live in the database (queue depth,
ledger postings) are read at scrape time by ``operations.metrics`` instead.
"""

from __future__ import annotations

from prometheus_client import Counter, Histogram

REQUEST_SECONDS = Histogram(
    "openhours_request_seconds",
    "Time to serve a request, by view (URL name), method and status class.",
    ["view", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)

EMAILS = Counter(
    "openhours_emails",
    "Emails handed to the mail server, by kind and outcome (sent or failed).",
    ["kind", "outcome"],
)
