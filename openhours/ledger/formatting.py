"""Minutes in words, for messages people read. Storage is always integer minutes."""

from __future__ import annotations

from decimal import Decimal

MINUS = "\u2212"  # a real minus sign, which screen readers announce as "minus"


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
