"""The dashboard's filters, read from the query string (a GET form)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms

from openhours.organisations.models import OrganisationKind

from .filters import Filters, default_filters
from .names import places

LONGEST_RANGE = timedelta(days=366 * 5)


class FilterForm(forms.Form):
    # A date input takes only ISO dates: the locale's format (01/12/2025) shows as empty.
    start = forms.DateField(
        label="From",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label="To",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    place = forms.TypedChoiceField(label="Place", required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label="Kind of organisation", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        place = self.fields["place"]
        kind = self.fields["kind"]
        assert isinstance(place, forms.TypedChoiceField) and isinstance(kind, forms.ChoiceField)
        place.choices = [("", "All places"), *places()]
        kind.choices = [("", "All kinds"), *OrganisationKind.choices]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", "The end date must be on or after the start date.")
        elif start and end and end - start > LONGEST_RANGE:
            self.add_error("start", "Choose a range of five years or less.")
        return data

    def filters(self, today: date | None = None) -> Filters:
        """The filters chosen, or the default (the last twelve months) for anything invalid."""
        default = default_filters(today)
        if not self.is_valid():
            return default
        data = self.cleaned_data
        start = data.get("start") or default.start
        end = data.get("end") or default.end
        if start > end:
            start, end = default.start, default.end
        return Filters(
            start=start, end=end, place=data.get("place"), org_kind=data.get("kind") or None
        )
