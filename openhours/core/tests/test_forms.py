"""Refusals from services shown on forms: beside their field, or above the form."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting

from openhours.core.errors import DomainError
from openhours.core.forms import FormRenderer, add_domain_error, domain_error_field


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


class _Choices(forms.Form):
    plain = forms.ChoiceField(choices=[("", "Any"), ("x", "X <b>&"), ("y", "Y")], required=False)
    grouped = forms.MultipleChoiceField(
        choices=[("Group", [("1", "one"), ("2", "two")]), ("3", "three")], required=False
    )
    numbered = forms.ChoiceField(
        choices=[(1, "1"), (2, "2")], widget=forms.Select(attrs={"class": "z", "data-x": True})
    )


@pytest.mark.parametrize("data", [{}, {"plain": "x", "grouped": ["1", "3"], "numbered": "2"}])
def test_the_lean_select_writes_the_markup_djangos_select_writes(data: dict[str, object]) -> None:
    def lines(html: str) -> list[str]:
        return [line for line in html.splitlines() if line.strip()]

    djangos = _Choices(data, renderer=TemplatesSetting())
    ours = _Choices(data, renderer=FormRenderer())
    for name in djangos.fields:
        assert lines(ours[name].as_widget()) == lines(djangos[name].as_widget())
        assert "<option" in ours[name].as_widget()


def test_selects_render_through_the_lean_template() -> None:
    template = FormRenderer().get_template("django/forms/widgets/select.html")
    assert template.origin.name.endswith("core/forms/widgets/select.html")
