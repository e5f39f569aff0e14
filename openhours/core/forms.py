"""Form rendering shared by every form, OpenHours' own and django-allauth's.

Each field renders its label, hint and error together, and the widget points at the hint
and the error with aria-describedby, so a screen reader announces why a field was refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.db.models import Model
from django.forms.boundfield import BoundField
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import TemplatesSetting
from django.forms.widgets import Widget

from .errors import DomainError


class AccessibleBoundField(BoundField):
    def build_widget_attrs(
        self, attrs: dict[str, Any], widget: Widget | None = None
    ) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        if self.errors and self.auto_id:
            described = str(attrs.get("aria-describedby", "")).split()
            error_id = f"{self.auto_id}_error"
            if error_id not in described:
                described.append(error_id)
            attrs["aria-describedby"] = " ".join(described)
        return attrs


# Django's select includes one template per option, and that template includes another
# for the option's attributes: a filter form's hundred-odd options cost about 10 ms a
# page. This one writes the same markup in a single loop.
LEAN_TEMPLATES = {
    "django/forms/widgets/select.html": "core/forms/widgets/select.html",
}


class FormRenderer(TemplatesSetting):
    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
    bound_field_class = AccessibleBoundField

    def get_template(self, template_name: str) -> Any:
        return super().get_template(LEAN_TEMPLATES.get(template_name, template_name))


class _ReadInOneQuery(ModelChoiceIterator[Model]):
    """Choices read with one plain query. Django's iterator reads them through
    ``QuerySet.iterator()``, which on PostgreSQL opens a server-side cursor: DECLARE,
    FETCH and CLOSE, three round trips for a list of a few dozen rows."""

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class ShortListChoiceField(forms.ModelChoiceField[Model]):
    """A choice of one row of a short reference list (skills, professions, places)."""

    iterator = _ReadInOneQuery


def domain_error_field(
    form: forms.Form, exc: DomainError, *, renamed: Mapping[str, str | None] | None = None
) -> str | None:
    """The field of ``form`` a service's refusal belongs beside, or None for the whole form.

    ``renamed`` maps a service's field name to the form's where they differ (the service
    says ``starts_at``, the form asks for ``date``; None puts it above the form). A field
    the form doesn't have also goes above the form, so a refusal is never lost.
    """
    field = exc.field
    if renamed is not None and field is not None and field in renamed:
        field = renamed[field]
    return field if field is not None and field in form.fields else None


def add_domain_error(
    form: forms.Form, exc: DomainError, *, renamed: Mapping[str, str | None] | None = None
) -> str | None:
    """Show a service's refusal on ``form``: beside its field, or above the form when no
    field of the form names it. Returns the field used (None for the whole form)."""
    field = domain_error_field(form, exc, renamed=renamed)
    form.add_error(field, exc.message)
    return field
