"""Time in OpenHours: integer minutes in quarter hours, shown as hours only at the edge.

One home for the rule (a quarter of an hour is the smallest step anyone records), the
form field people type hours into, and the words and figures minutes are shown as. Every
app uses these; the ledger's template filters are thin wrappers over them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

QUARTER_HOUR = 15  # minutes: the smallest step of time anyone records or moves
MINUS = "\u2212"  # a real minus sign, which screen readers announce as "minus"
QUARTER_HOURS_MESSAGE = "Use quarter hours, for example 0.75 or 1.5."
QUARTER_HOURS_HINT = "In quarter hours: 0.25, 0.5, 1, 1.5 …"


def is_quarter_hours(minutes: int) -> bool:
    """Whether ``minutes`` is a whole number of quarter hours (0 is; sign doesn't matter)."""
    return minutes % QUARTER_HOUR == 0


def hours_to_minutes(hours: Decimal) -> int:
    """Hours as typed into a form (1.25) as integer minutes (75).

    Exact for quarter hours; anything finer is cut towards zero, which the quarter-hour
    check (the form field's or the service's) refuses before it matters.
    """
    return int(hours * 60)


def minutes_to_hours(minutes: int) -> Decimal:
    """Integer minutes (75) as hours for a form's initial value (1.25)."""
    return Decimal(minutes) / 60


def quarter_hour_steps() -> list[tuple[int, str]]:
    """The minutes part of an "hours and minutes" pair of fields: 0, 15, 30 and 45."""
    return [(m, minutes_in_words(m)) for m in range(0, 60, QUARTER_HOUR)]


class QuarterHoursField(forms.DecimalField):
    """Hours typed as a decimal (0.25, 1.5), refused unless in quarter hours.

    ``cleaned_data`` holds the hours as a ``Decimal``; ``hours_to_minutes`` turns them into
    the integer minutes services take. The number box steps in quarters, so the browser's
    arrows only ever offer valid values.
    """

    def __init__(
        self,
        *,
        min_hours: Decimal | str = "0.25",
        max_hours: Decimal | str = "100",
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("help_text", QUARTER_HOURS_HINT)
        # DecimalField adds the min and max attributes itself.
        kwargs.setdefault(
            "widget", forms.NumberInput(attrs={"step": "0.25", "inputmode": "decimal"})
        )
        super().__init__(
            min_value=Decimal(min_hours),
            max_value=Decimal(max_hours),
            decimal_places=2,
            **kwargs,
        )

    def clean(self, value: Any) -> Any:
        # After the range and decimal-places checks, so 0.1 hears "at least 0.25" first.
        hours = super().clean(value)
        if hours is not None and (hours * 4) % 1:
            raise forms.ValidationError(QUARTER_HOURS_MESSAGE, code="quarter_hours")
        return hours


def minutes_in_words(minutes: int) -> str:
    """600 -> "10 hours", 90 -> "1 hour 30 minutes", 0 -> "0 minutes".

    Negative amounts start with a minus sign (U+2212), not a hyphen.
    """
    sign = MINUS if minutes < 0 else ""
    hours, rest = divmod(abs(minutes), 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour" if hours == 1 else f"{hours} hours")
    if rest or not hours:
        parts.append(f"{rest} minute" if rest == 1 else f"{rest} minutes")
    return sign + " ".join(parts)


def minutes_short(minutes: int, *, signed: bool = False) -> str:
    """Compact form for tables and headlines: 750 -> "12 h 30 min", 480 -> "8 h", 45 -> "45 min".

    Negative amounts start with a minus sign (U+2212); ``signed`` adds "+" to positive ones.
    """
    sign = MINUS if minutes < 0 else ("+" if signed and minutes > 0 else "")
    hours, rest = divmod(abs(minutes), 60)
    parts = []
    if hours:
        parts.append(f"{hours} h")
    if rest or not hours:
        parts.append(f"{rest} min")
    return sign + " ".join(parts)


def minutes_as_decimal_hours(minutes: int) -> str:
    """For spreadsheets: 90 -> "1.50", -45 -> "-0.75" (a plain hyphen, which they parse)."""
    return f"{Decimal(minutes) / 60:.2f}"
