"""Settings for the test suite: the real settings with a test key and fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")

from openhours.settings import *

SECURE_SSL_REDIRECT = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
ACCOUNT_RATE_LIMITS = False
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# Matching looks for changed profiles and posts on every ranking, so a test sees its own
# changes at once; semantic matching stays off unless a test turns it on.
OPENHOURS_MATCHING_REFRESH_SECONDS = 0
OPENHOURS_MATCHING_SEMANTIC_MODEL = ""

# Tasks run as they are enqueued (after the transaction that queues them commits), so a
# test sees an action's emails at once; the worker's own tests use the database backend.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Each test process keeps its own cache (fast, and emptied by nothing between tests);
# the shared-cache rule is for servers (core.checks, silenced here for that reason).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SILENCED_SYSTEM_CHECKS = ["openhours.E001"]
