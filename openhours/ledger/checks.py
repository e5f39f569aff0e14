"""``manage.py check`` refuses ledger settings that contradict each other."""

from __future__ import annotations

from typing import Any

from django.core import checks

from . import limits


@checks.register()
def ledger_limits(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    lower, upper = limits.lower_limit(), limits.upper_limit()
    grant, margin = limits.joining_grant(), limits.warning_margin()
    if lower > 0:
        errors.append(
            checks.Error(
                "OPENHOURS_LEDGER_LOWER_LIMIT_MINUTES must be zero or negative.",
                id="ledger.E001",
            )
        )
    if upper < max(grant, 0) or upper <= 0:
        errors.append(
            checks.Error(
                "OPENHOURS_LEDGER_UPPER_LIMIT_MINUTES must be positive and at least the "
                "joining grant, or new members could not receive it.",
                id="ledger.E002",
            )
        )
    if grant < 0:
        errors.append(
            checks.Error(
                "OPENHOURS_LEDGER_JOINING_GRANT_MINUTES must be zero (off) or positive.",
                id="ledger.E003",
            )
        )
    if margin < 0:
        errors.append(
            checks.Error(
                "OPENHOURS_LEDGER_WARNING_MINUTES must be zero or positive.", id="ledger.E004"
            )
        )
    return errors
