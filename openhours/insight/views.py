"""Insight pages: the dashboard, a CSV for every chart, and a member's naming choice.

Thin over ``selectors.dashboard`` (reads of insight's own tables only). Access is decided
here: coordinators and system leaders read the dashboard; only coordinators see figures
resting on fewer than five people and the names of boundary spanners.
"""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from openhours.accounts.http import MemberRequest
from openhours.accounts.permissions import member_required

from . import rendering, selectors, services
from .forms import FilterForm
from .models import RefreshState
from .permissions import insight_reader_required, sees_small_numbers
from .privacy import MIN_PEOPLE, SUPPRESSED_TEXT, Cell

# Spreadsheets run a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Where the coordinators' list of members goes in the cached figures (never cached itself).
MEMBERS_SLOT = "<!-- insight:spanner-members -->"


def _filters(request: HttpRequest) -> tuple[FilterForm, selectors.Filters]:
    form = FilterForm(request.GET or None)
    filters = form.filters()
    if not form.is_bound:
        form = FilterForm(initial={"start": filters.start, "end": filters.end})
    return form, filters


@insight_reader_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    exact = sees_small_numbers(request.user)
    figures = rendering.figures_html(filters, suppress=not exact)
    if exact:
        members = selectors.spanner_members_dataset()
        figure = rendering.Figure(members.key, members.title, None, [members])
        html = render_to_string(
            "insight/_figure.html",
            {"figure": figure, "query": rendering.query_string(filters)},
        )
        figures = mark_safe(figures.replace(MEMBERS_SLOT, html))  # noqa: S308 (our templates)
    state = RefreshState.objects.first()
    context = {
        "form": form,
        "filters": filters,
        "figures": figures,
        "suppressed": not exact,
        "refreshed_at": state.last_run_at if state else None,
        "min_people": MIN_PEOPLE,
        "nav": "insight",
    }
    return render(request, "insight/dashboard.html", context)


@insight_reader_required
@require_GET
def export_csv(request: HttpRequest, key: str) -> HttpResponse:
    _form, filters = _filters(request)
    exact = sees_small_numbers(request.user)
    if key == "spanner_members":
        if not exact:
            raise Http404("No such table.")
        dataset: selectors.Dataset | None = selectors.spanner_members_dataset()
    else:
        with rendering.collector_paused():
            figures = selectors.dashboard(filters, suppress=not exact, every_pair=True)
        dataset = figures.datasets.get(key)
    if dataset is None:
        raise Http404("No such table.")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="openhours-insight-{key}-{stamp}.csv"'
    response["Cache-Control"] = "private, no-store"
    writer = csv.writer(response)
    writer.writerow(dataset.columns)
    for row in dataset.rows:
        writer.writerow([_csv_cell(value) for value in row])
    return response


def _csv_cell(value: Any) -> str:
    if isinstance(value, Cell):
        if value.suppressed:
            return SUPPRESSED_TEXT
        number = value.value
        return str(int(number)) if float(number).is_integer() else f"{number:.2f}"
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@member_required
def naming(request: MemberRequest) -> HttpResponse:
    """A member chooses whether coordinators may see their name among boundary spanners."""
    if request.method == "POST":
        choice = request.POST.get("may_be_named") == "yes"
        services.set_naming_preference(user=request.user, may_be_named=choice)
        messages.success(
            request,
            "Coordinators may see your name among the people who connect groups."
            if choice
            else "Your name won't be shown on the insight dashboard.",
        )
        return redirect("insight:naming")
    context = {"may_be_named": services.may_be_named(request.user), "nav": "me"}
    return render(request, "insight/naming.html", context)
