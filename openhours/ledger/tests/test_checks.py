"""`manage.py check` refuses ledger settings that contradict each other."""

from __future__ import annotations

import pytest

from openhours.ledger.checks import ledger_limits


def test_the_default_settings_pass() -> None:
    assert ledger_limits(None) == []


@pytest.mark.parametrize(
    ("setting", "value", "error"),
    [
        ("OPENHOURS_LEDGER_LOWER_LIMIT_MINUTES", 60, "ledger.E001"),
        ("OPENHOURS_LEDGER_UPPER_LIMIT_MINUTES", 60, "ledger.E002"),
        ("OPENHOURS_LEDGER_UPPER_LIMIT_MINUTES", 0, "ledger.E002"),
        ("OPENHOURS_LEDGER_JOINING_GRANT_MINUTES", -5, "ledger.E003"),
        ("OPENHOURS_LEDGER_WARNING_MINUTES", -1, "ledger.E004"),
    ],
)
def test_it_refuses_contradictory_limits(settings, setting: str, value: int, error: str) -> None:
    setattr(settings, setting, value)

    assert [message.id for message in ledger_limits(None)] == [error]
