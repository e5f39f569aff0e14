"""Settings for a worker started by the crash tests: the test settings, the database
queue, a mail server that takes its time, and a worker given up for lost after a second."""

import os

from openhours.test_settings import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
EMAIL_BACKEND = "openhours.operations.tests.slow_mail.EmailBackend"
OPENHOURS_TEST_MAIL_LOG = os.environ["OPENHOURS_TEST_MAIL_LOG"]
OPENHOURS_TEST_MAIL_SECONDS = float(os.environ.get("OPENHOURS_TEST_MAIL_SECONDS", "0"))
OPENHOURS_WORKER_LOST_SECONDS = 1.0
