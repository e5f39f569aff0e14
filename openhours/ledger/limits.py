"""Balance limits, read from settings at call time so tests and operators can change them.

Every value is in minutes. ``manage.py check`` refuses inconsistent values (see checks.py).
"""

from __future__ import annotations

from django.conf import settings


def lower_limit() -> int:
    """The lowest a member's balance may go by spending (zero or negative)."""
    return int(settings.OPENHOURS_LEDGER_LOWER_LIMIT_MINUTES)


def upper_limit() -> int:
    """The most credit a member may hold."""
    return int(settings.OPENHOURS_LEDGER_UPPER_LIMIT_MINUTES)


def warning_margin() -> int:
    """How close to a limit a member is warned before the hard stop."""
    return int(settings.OPENHOURS_LEDGER_WARNING_MINUTES)


def joining_grant() -> int:
    """Credits a new member starts with; zero turns the grant off."""
    return int(settings.OPENHOURS_LEDGER_JOINING_GRANT_MINUTES)
