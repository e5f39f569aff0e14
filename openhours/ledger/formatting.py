"""Minutes in words, for messages people read. Storage is always integer minutes.

The formatting lives in ``openhours.core.minutes`` now, the one home for time that every
app shares; these names stay so modules that still import them here keep working.
"""

from __future__ import annotations

from openhours.core.minutes import (
    MINUS,
    minutes_as_decimal_hours,
    minutes_in_words,
    minutes_short,
)

__all__ = ["MINUS", "minutes_as_decimal_hours", "minutes_in_words", "minutes_short"]
