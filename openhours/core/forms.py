"""Form rendering shared by every form, OpenHours' own and django-allauth's.

Each field renders its label, hint and error together, and the widget points at the hint
and the error with aria-describedby, so a screen reader announces why a field was refused.
"""

from __future__ import annotations

from typing import Any

from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.forms.widgets import Widget


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


class FormRenderer(TemplatesSetting):
    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
    bound_field_class = AccessibleBoundField
