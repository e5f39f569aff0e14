"""Refusals from services shown on forms: beside their field, or above the form."""

from __future__ import annotations

from django import forms

from openhours.core.errors import DomainError
from openhours.core.forms import add_domain_error, domain_error_field


class Form(forms.Form):
    title = forms.CharField()
    date = forms.DateField()


def bound() -> Form:
    form = Form({"title": "x", "date": "2030-01-01"})
    assert form.is_valid()
    return form


def test_a_refusal_naming_a_field_of_the_form_goes_beside_it() -> None:
    form = bound()
    assert add_domain_error(form, DomainError("Too long.", field="title")) == "title"
    assert form.errors == {"title": ["Too long."]}


def test_a_refusal_without_a_field_or_naming_one_the_form_lacks_goes_above_the_form() -> None:
    form = bound()
    assert add_domain_error(form, DomainError("No.")) is None
    assert add_domain_error(form, DomainError("Not here.", field="minutes")) is None
    assert form.non_field_errors() == ["No.", "Not here."]
    assert "minutes" not in form.errors


def test_a_service_field_the_form_calls_something_else_is_renamed() -> None:
    form = bound()
    renamed: dict[str, str | None] = {"starts_at": "date", "title": None}
    assert domain_error_field(form, DomainError("x", field="starts_at"), renamed=renamed) == "date"
    # None in the map means "above the form", even for a field the form has.
    assert domain_error_field(form, DomainError("x", field="title"), renamed=renamed) is None
    # Names not in the map are used as they are.
    assert add_domain_error(form, DomainError("Past.", field="date"), renamed=renamed) == "date"
    assert form.errors["date"] == ["Past."]
