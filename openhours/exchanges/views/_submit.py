"""The one shape every form view of this app shares: POST a form, call a service with its
cleaned data, show a refusal beside its field, or say it worked and redirect."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect

from openhours.accounts.http import MemberRequest
from openhours.core.errors import DomainError
from openhours.core.forms import add_domain_error, domain_error_field

from ..models import Exchange

R = TypeVar("R")
V = TypeVar("V", bound=Callable[..., HttpResponse])


def status(form: forms.Form) -> int:
    return 400 if form.is_bound and form.errors else 200


def named(view: V, name: str) -> V:
    """A view a factory built, named as its module spells it (``views.accept``), so what
    reports a view by name (errors, logs) shows the page and not the factory's ``view``."""
    view.__name__ = view.__qualname__ = name
    return view


def to_detail(exchange: Exchange) -> HttpResponse:
    return redirect("exchanges:detail", exchange_id=exchange.pk)


def run(form: forms.Form, call: Callable[[dict[str, Any]], R]) -> R | None:
    """Validate ``form`` and call the service with its cleaned data. A refusal goes onto the
    form, beside its field (above the form when no field names it), and gives None."""
    if not form.is_valid():
        return None
    try:
        return call(form.cleaned_data)
    except DomainError as exc:
        add_domain_error(form, exc)
        return None


def submit(
    request: MemberRequest,
    form: forms.Form,
    call: Callable[[dict[str, Any]], R],
    *,
    success: str,
    then: Callable[[R], HttpResponse],
    not_beside_a_field: HttpResponse | None = None,
) -> HttpResponse | None:
    """On a valid POST, call the service with the form's cleaned data; if it did it,
    ``success`` goes to the messages and the response is ``then(result)``. A refusal goes
    beside its field, and None tells the caller to render the form again.

    With ``not_beside_a_field``, a refusal that no field of the form names is a message
    and that response instead: the form on the page can't put it right.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = call(form.cleaned_data)
    except DomainError as exc:
        if not_beside_a_field is not None and domain_error_field(form, exc) is None:
            messages.error(request, exc.message)
            return not_beside_a_field
        add_domain_error(form, exc)
        return None
    messages.success(request, success)
    return then(result)
