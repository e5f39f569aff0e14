"""Time as quarter hours: the rule, the form field and the words."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django import forms

from openhours.core.minutes import (
    QUARTER_HOURS_MESSAGE,
    QuarterHoursField,
    hours_to_minutes,
    is_quarter_hours,
    minutes_as_decimal_hours,
    minutes_in_words,
    minutes_short,
    minutes_to_hours,
    quarter_hour_steps,
)


def test_quarter_hours_are_whole_multiples_of_fifteen_minutes() -> None:
    assert all(is_quarter_hours(m) for m in (0, 15, 45, 60, 6000, -30))
    assert not any(is_quarter_hours(m) for m in (1, 10, 50, 61, -20))


def test_hours_and_minutes_convert_both_ways() -> None:
    assert hours_to_minutes(Decimal("1.25")) == 75
    assert hours_to_minutes(Decimal("0.25")) == 15
    assert minutes_to_hours(75) == Decimal("1.25")
    assert hours_to_minutes(minutes_to_hours(6000)) == 6000


@pytest.mark.parametrize(
    ("minutes", "words", "short"),
    [
        (0, "0 minutes", "0 min"),
        (1, "1 minute", "1 min"),
        (45, "45 minutes", "45 min"),
        (60, "1 hour", "1 h"),
        (75, "1 hour 15 minutes", "1 h 15 min"),
        (600, "10 hours", "10 h"),
        (-90, "\u22121 hour 30 minutes", "\u22121 h 30 min"),
    ],
)
def test_minutes_in_words_and_short(minutes: int, words: str, short: str) -> None:
    assert minutes_in_words(minutes) == words
    assert minutes_short(minutes) == short


def test_short_signed_and_spreadsheet_forms() -> None:
    assert minutes_short(90, signed=True) == "+1 h 30 min"
    assert minutes_short(0, signed=True) == "0 min"
    assert minutes_as_decimal_hours(90) == "1.50"
    assert minutes_as_decimal_hours(-45) == "-0.75"


def test_the_minute_steps_are_the_four_quarters_in_words() -> None:
    assert quarter_hour_steps() == [
        (0, "0 minutes"),
        (15, "15 minutes"),
        (30, "30 minutes"),
        (45, "45 minutes"),
    ]


class HoursForm(forms.Form):
    hours = QuarterHoursField(max_hours="8")
    preparation = QuarterHoursField(min_hours="0", required=False)


def errors(data: dict[str, str]) -> dict[str, list[str]]:
    form = HoursForm(data)
    form.is_valid()
    return {k: [str(e) for e in v] for k, v in form.errors.items()}


def test_the_field_accepts_quarter_hours_as_decimals() -> None:
    form = HoursForm({"hours": "1.75", "preparation": "0"})
    assert form.is_valid()
    assert form.cleaned_data == {"hours": Decimal("1.75"), "preparation": Decimal("0")}


def test_the_field_refuses_anything_but_quarter_hours() -> None:
    assert errors({"hours": "1.1"}) == {"hours": [QUARTER_HOURS_MESSAGE]}
    assert errors({"hours": "1", "preparation": "0.5"}) == {}


def test_the_range_is_checked_before_the_quarters() -> None:
    # 0.1 is both too small and not a quarter: the member hears about the range first.
    assert errors({"hours": "0.1"}) == {
        "hours": ["Ensure this value is greater than or equal to 0.25."]
    }
    assert errors({"hours": "8.25"}) == {"hours": ["Ensure this value is less than or equal to 8."]}
    assert errors({"hours": ""}) == {"hours": ["This field is required."]}


def test_the_widget_steps_in_quarters_and_says_so() -> None:
    field = HoursForm().fields["hours"]
    assert field.widget.attrs["step"] == "0.25"
    html = str(HoursForm()["hours"])
    assert 'step="0.25"' in html and 'min="0.25"' in html and 'max="8"' in html
    assert "quarter hours" in field.help_text
