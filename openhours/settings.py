"""OpenHours settings: one file, driven by environment variables, secure by default.

DEBUG is off unless the environment turns it on (``make run`` does). Outside DEBUG the
process refuses to start without SECRET_KEY, and the security headers and cookie flags
that ``manage.py check --deploy`` asks for are on.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

# One BLAS thread per process, set before numpy loads: matching's matrix products are a
# few milliseconds each, and OpenBLAS threads left spinning after one starved torch's
# threads embedding the next request (semantic ranking p50 136 ms -> 88 ms on two busy
# cores; docs/matching.md). A web server scales by processes, not BLAS threads.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

# Lets the admin classes and paginators be written with their type arguments
# (``admin.ModelAdmin[Post]``), which ``mypy --strict`` asks for, at run time too.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


_N = TypeVar("_N", int, float)


def _env_number(name: str, default: _N, parse: Callable[[str], _N], what: str) -> _N:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return parse(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be {what}, not {raw!r}") from exc


def env_int(name: str, default: int) -> int:
    return _env_number(name, default, int, "a whole number")


def env_float(name: str, default: float) -> float:
    return _env_number(name, default, float, "a number")


def env_list(name: str, default: str = "") -> list[str]:
    raw = os.environ.get(name, default)
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment, or set DEBUG=1 for development."
        )
    # Only reachable with DEBUG on: a fixed key keeps development sessions across restarts.
    SECRET_KEY = "development-only-key-never-used-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    "django.forms",
    "allauth",
    "allauth.account",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "openhours.core",
    "openhours.accounts",
    "openhours.organisations",
    "openhours.members",
    "openhours.posts",
    "openhours.ledger",
    "openhours.membership",
    "openhours.notifications",
    "openhours.exchanges",
    "openhours.group_sessions",
    "openhours.matching",
    "openhours.insight",
    "openhours.demo",
    "openhours.home",
    "openhours.operations",
]

MIDDLEWARE = [
    "openhours.operations.middleware.ObserveRequests",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "openhours.core.middleware.RejectNulBytes",
    "openhours.core.middleware.PrivateResponses",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "openhours.accounts.sessions.IdleTimeout",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "openhours.urls"
WSGI_APPLICATION = "openhours.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "openhours" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "openhours.core.context_processors.site",
                "openhours.notifications.context_processors.unread",
            ],
        },
    }
]

FORM_RENDERER = "openhours.core.forms.FormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        # A connection the database dropped (a restart, a failover) is noticed and
        # replaced before the next request uses it, instead of failing that request.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers carry on while one writer commits; IMMEDIATE transactions take the
    # write lock up front, so two writers queue on busy_timeout instead of failing mid-way.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
SITE_ID = 1

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Twelve characters at least (a passphrase), and none of the 20,000 most common.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Accounts (django-allauth): email is the login, and it must be verified before use.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SIGNUP_FORM_CLASS = "openhours.accounts.forms.SignupDetailsForm"
# In membership, above accounts and ledger: sign-up approval brings the joining grant.
ACCOUNT_ADAPTER = "openhours.membership.adapter.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[OpenHours] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"

# OpenHours membership rules.
# With approval required, a new member waits for a coordinator unless their email domain
# is on the trusted list (for example nhs.net), in which case they are approved at once.
OPENHOURS_SIGNUP_OPEN = env_bool("OPENHOURS_SIGNUP_OPEN", True)
OPENHOURS_REQUIRE_APPROVAL = env_bool("OPENHOURS_REQUIRE_APPROVAL", False)
OPENHOURS_TRUSTED_EMAIL_DOMAINS = [
    d.lower() for d in env_list("OPENHOURS_TRUSTED_EMAIL_DOMAINS", "nhs.net,nhs.uk")
]
OPENHOURS_POST_LIFETIME_DAYS = env_int("OPENHOURS_POST_LIFETIME_DAYS", 60)
OPENHOURS_POST_REMINDER_DAYS = env_int("OPENHOURS_POST_REMINDER_DAYS", 7)
# Exchanges: the most time one exchange may record (in minutes, quarter hours), and how
# many days a delivered exchange waits for the receiver before it is confirmed for them.
OPENHOURS_EXCHANGE_MAX_MINUTES = env_int("OPENHOURS_EXCHANGE_MAX_MINUTES", 8 * 60)
OPENHOURS_EXCHANGE_AUTO_CONFIRM_DAYS = env_int("OPENHOURS_EXCHANGE_AUTO_CONFIRM_DAYS", 14)

# Matching (docs/matching.md). Semantic ranking is on when the `semantic` extra is
# installed and a model is configured: a local path or a name the installed packages
# resolve offline. Nothing is ever downloaded.
OPENHOURS_MATCHING_SEMANTIC_MODEL = os.environ.get("OPENHOURS_MATCHING_SEMANTIC_MODEL", "")
# How much more a helper from another organisation or profession is worth, as a share of
# the relevance score (0 turns the preference off).
OPENHOURS_MATCHING_CROSS_BOUNDARY_WEIGHT = env_float(
    "OPENHOURS_MATCHING_CROSS_BOUNDARY_WEIGHT", 0.15
)
# Seconds between the index builder's looks at the change log, and between an app
# process's looks for a newer index snapshot (a profile edited is matched within about
# twice this plus the time to write a snapshot; docs/matching.md). 0 makes every process
# its own builder, bringing its index up to date on each ranking: tests only.
OPENHOURS_MATCHING_REFRESH_SECONDS = env_int("OPENHOURS_MATCHING_REFRESH_SECONDS", 2)
# Where this server's index snapshot lives: a local directory, written by the builder in
# the server's worker and memory-mapped by every app process on the server.
OPENHOURS_MATCHING_INDEX_DIR = Path(
    os.environ.get("OPENHOURS_MATCHING_INDEX_DIR", "") or BASE_DIR / "var" / "matching-index"
)
# Members alerted about a new request, and again when it is still unanswered.
OPENHOURS_MATCHING_ALERTS_PER_REQUEST = env_int("OPENHOURS_MATCHING_ALERTS_PER_REQUEST", 5)
# Most match alerts one member receives in any seven days.
OPENHOURS_MATCHING_ALERTS_PER_WEEK = env_int("OPENHOURS_MATCHING_ALERTS_PER_WEEK", 3)
# Days without an answer before a request goes to the next matches, and again before it
# goes to the coordinators' queue.
OPENHOURS_MATCHING_ESCALATE_AFTER_DAYS = env_int("OPENHOURS_MATCHING_ESCALATE_AFTER_DAYS", 3)

# Insight (docs/insight.md): an incremental refresh recomputes the boundary spanners
# (betweenness, the slowest step) only when something changed and the last computation is
# at least this many minutes old; a rebuild always recomputes them.
OPENHOURS_INSIGHT_SPANNERS_EVERY_MINUTES = env_int("OPENHOURS_INSIGHT_SPANNERS_EVERY_MINUTES", 60)

# Background work (docs/operations.md): tasks are rows in the database, run by
# `manage.py run_worker` (`make run` starts one beside the web server). A failing task is
# tried OPENHOURS_TASK_ATTEMPTS times in all, waiting OPENHOURS_TASK_RETRY_SECONDS, then
# twice, four times as long between tries; finished results are kept for
# OPENHOURS_TASK_RESULTS_KEEP_DAYS.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
OPENHOURS_TASK_ATTEMPTS = env_int("OPENHOURS_TASK_ATTEMPTS", 5)
OPENHOURS_TASK_RETRY_SECONDS = env_int("OPENHOURS_TASK_RETRY_SECONDS", 30)
OPENHOURS_TASK_RESULTS_KEEP_DAYS = env_int("OPENHOURS_TASK_RESULTS_KEEP_DAYS", 14)
# A worker whose heartbeat is this many seconds old is taken for dead and its running task
# goes back in the queue; workers beat six times in that time.
OPENHOURS_WORKER_LOST_SECONDS = env_float("OPENHOURS_WORKER_LOST_SECONDS", 30.0)
# The periodic schedule: seconds between runs, "daily HH:MM" (in TIME_ZONE) or "off".
# OPENHOURS_SCHEDULE="refresh_insight=300,send_digests=daily 08:00" overrides entries.
OPENHOURS_SCHEDULE = {
    "route_requests": "300",
    "send_pending_emails": "120",
    "auto_confirm_exchanges": "3600",
    "settle_group_sessions": "3600",
    "refresh_insight": "600",
    "expire_posts": "daily 06:00",
    "send_digests": "daily 07:00",
    "prune_task_results": "daily 03:00",
}
for _entry in env_list("OPENHOURS_SCHEDULE"):
    _name, _, _spec = _entry.partition("=")
    if not _spec:
        raise ImproperlyConfigured(
            f"OPENHOURS_SCHEDULE entries look like name=seconds, not {_entry!r}"
        )
    OPENHOURS_SCHEDULE[_name.strip()] = _spec.strip()

# Email: printed to the console in development, SMTP otherwise.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "OpenHours <no-reply@openhours.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# `manage.py collectstatic` gathers the static files here for whitenoise to serve.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", "") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Security: strict unless DEBUG; each can be relaxed from the environment (for example
# behind a proxy that terminates TLS on another port).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# A sign-in ends after OPENHOURS_SESSION_IDLE_MINUTES without a request, and in any case
# SESSION_MAX_DAYS after it began (the session cookie's fixed lifetime).
OPENHOURS_SESSION_IDLE_MINUTES = env_int("OPENHOURS_SESSION_IDLE_MINUTES", 8 * 60)
SESSION_COOKIE_AGE = env_int("SESSION_MAX_DAYS", 14) * 24 * 3600
if env_bool("USE_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# One cache shared by every process, never each process's own memory: login throttles and
# rendered figures must be the same whichever process answers. Redis when REDIS_URL is
# set; otherwise a table in the database (created by core's migrations), which suits a
# pilot on one server.
CACHE_TABLE = "openhours_cache"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": CACHE_TABLE}
}
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }

# Logs go to standard error: JSON lines (LOG_FORMAT=json, the default outside DEBUG) for a
# log shipper, or plain text (LOG_FORMAT=text, the default with DEBUG). Each line carries
# the request's id (from the balancer's X-Request-ID, or made up), "-" outside requests.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "openhours.operations.middleware.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "openhours.core.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
# /metrics for Prometheus: with a token set, scrapers send "Authorization: Bearer <token>";
# without one, only the machine itself may scrape.
OPENHOURS_METRICS_TOKEN = os.environ.get("OPENHOURS_METRICS_TOKEN", "")

# Ledger
# Time credits in whole minutes (see docs/ledger.md). A member starts with the joining grant
# and may spend down to the lower limit and hold up to the upper limit; within the warning
# margin of either limit they are warned before the hard stop. `manage.py check` refuses
# values that contradict each other.
OPENHOURS_LEDGER_JOINING_GRANT_MINUTES = env_int("OPENHOURS_LEDGER_JOINING_GRANT_MINUTES", 120)
OPENHOURS_LEDGER_LOWER_LIMIT_MINUTES = env_int("OPENHOURS_LEDGER_LOWER_LIMIT_MINUTES", -600)
OPENHOURS_LEDGER_UPPER_LIMIT_MINUTES = env_int("OPENHOURS_LEDGER_UPPER_LIMIT_MINUTES", 6000)
OPENHOURS_LEDGER_WARNING_MINUTES = env_int("OPENHOURS_LEDGER_WARNING_MINUTES", 120)
# Postings run two statements as server-side prepared statements on PostgreSQL; turn this off
# behind a pooler that can't keep them (PgBouncer in transaction mode before 1.21).
OPENHOURS_LEDGER_PREPARED_STATEMENTS = env_bool("OPENHOURS_LEDGER_PREPARED_STATEMENTS", True)
# What a transfer's reference ("exchange:42") links to on a statement: prefix -> URL name
# taking one integer. The ledger never imports the apps it names; a name that doesn't
# resolve is shown as plain text.
OPENHOURS_LEDGER_REFERENCE_URLS = {
    "exchange": "exchanges:detail",
    "session": "group_sessions:detail",
}
