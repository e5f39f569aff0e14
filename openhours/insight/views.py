"""Insight pages: the dashboard, a CSV for every chart, and a member's naming choice.

Thin over ``selectors.dashboard`` (reads of insight's own tables only). Access is decided
here: coordinators and system leaders read the dashboard; only coordinators see figures
resting on fewer than five people and the names of boundary spanners.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET

from openhours.accounts.permissions import member_required
from openhours.core.http import MemberRequest

from . import charts, selectors, services
from .forms import FilterForm
from .permissions import insight_reader_required, sees_small_numbers
from .privacy import MIN_PEOPLE

# Spreadsheets run a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Long bar charts show the largest; their tables list every row.
TOP_BARS = 15


@dataclass
class Figure:
    key: str
    title: str
    chart: SafeString | None
    datasets: list[selectors.Dataset]
    explanation: str = ""
    tables: list[tuple[selectors.Dataset, SafeString]] = field(init=False)

    def __post_init__(self) -> None:
        self.tables = [(d, charts.table(d, self.key)) for d in self.datasets if not d.csv_only]


@dataclass
class Section:
    slug: str
    title: str
    intro: str
    figures: list[Figure] = field(default_factory=list)


def _dashboard_for(request: HttpRequest) -> tuple[FilterForm, selectors.Dashboard]:
    form = FilterForm(request.GET or None)
    filters = form.filters()
    if not form.is_bound:
        form = FilterForm(initial={"start": filters.start, "end": filters.end})
    exact = sees_small_numbers(request.user)
    data = selectors.dashboard(filters, suppress=not exact, show_members=exact)
    return form, data


@insight_reader_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    form, data = _dashboard_for(request)
    query = urlencode(
        {
            k: v
            for k, v in (
                ("start", data.filters.start.isoformat()),
                ("end", data.filters.end.isoformat()),
                ("place", data.filters.place or ""),
                ("kind", data.filters.org_kind or ""),
            )
            if v
        }
    )
    context = {
        "form": form,
        "data": data,
        "sections": _sections(data),
        "query": query,
        "min_people": MIN_PEOPLE,
        "nav": "insight",
    }
    return render(request, "insight/dashboard.html", context)


def _sections(data: selectors.Dashboard) -> list[Section]:
    d, m, b = data.datasets, data.matrices, data.bars
    sections = [
        Section(
            "activity",
            "Who gives, and how much",
            "Hours given in the period, by the giver's profession and kind of organisation, "
            "and what those hours would have cost at national unit costs.",
            [
                Figure(
                    "by_profession",
                    d["by_profession"].title,
                    charts.bar_chart(
                        "by_profession",
                        d["by_profession"].title,
                        b["by_profession"][:TOP_BARS],
                        unit="h",
                    ),
                    [d["by_profession"]],
                ),
                Figure(
                    "by_kind",
                    d["by_kind"].title,
                    charts.bar_chart("by_kind", d["by_kind"].title, b["by_kind"], unit="h"),
                    [d["by_kind"]],
                ),
                Figure("value", d["value"].title, None, [d["value"]]),
            ],
        ),
        Section(
            "flows",
            "Knowledge flows",
            "Where hours go: rows give, columns receive. Darker cells carry more hours; every "
            "cell shows its number.",
            [
                Figure(
                    "flow_kind_sankey",
                    "Hours from each kind of organisation to each other kind",
                    charts.sankey(
                        "flow_kind_sankey", "Hours between kinds of organisation", m["kind"]
                    ),
                    [d["flow_kind"]],
                    "Givers' kinds on the left, receivers' on the right; "
                    "each band is as wide as its hours.",
                ),
                Figure(
                    "flow_kind",
                    d["flow_kind"].title,
                    charts.heatmap("flow_kind", d["flow_kind"].title, m["kind"]),
                    [d["flow_kind"]],
                ),
                Figure(
                    "flow_org",
                    d["flow_org"].title,
                    charts.heatmap("flow_org", d["flow_org"].title, m["org"]),
                    [d["flow_org"], d["flow_org_all"]],
                ),
                Figure(
                    "flow_profession",
                    d["flow_profession"].title,
                    charts.heatmap("flow_profession", d["flow_profession"].title, m["profession"]),
                    [d["flow_profession"], d["flow_profession_all"]],
                ),
                Figure(
                    "flow_place",
                    d["flow_place"].title,
                    charts.heatmap("flow_place", d["flow_place"].title, m["place"]),
                    [d["flow_place"]],
                ),
                Figure(
                    "crossing",
                    d["crossing"].title,
                    charts.line_chart("crossing", d["crossing"].title, data.series),
                    [d["crossing"]],
                ),
            ],
        ),
        Section(
            "silos",
            "Silo index",
            "Krackhardt's E-I index: (exchanges across the boundary \u2212 exchanges inside) ÷ all "
            "exchanges. \u22121 means every exchange stays inside the group, +1 that every one "
            "crosses. The chart shows the twelve groups with most exchanges.",
            [
                Figure(
                    "silo_organisation",
                    d["silo_organisation"].title,
                    charts.ei_chart(
                        "silo_organisation", d["silo_organisation"].title, data.ei["organisation"]
                    ),
                    [d["silo_organisation"]],
                ),
                Figure(
                    "silo_profession",
                    d["silo_profession"].title,
                    charts.ei_chart(
                        "silo_profession", d["silo_profession"].title, data.ei["profession"]
                    ),
                    [d["silo_profession"]],
                ),
            ],
        ),
        Section(
            "spanners",
            "Boundary spanners",
            "Betweenness: how often an organisation or a member lies on the shortest path "
            "between two others in the exchange network, from 0 to 1.",
            [Figure("spanner_orgs", d["spanner_orgs"].title, None, [d["spanner_orgs"]])]
            + (
                [
                    Figure(
                        "spanner_members", d["spanner_members"].title, None, [d["spanner_members"]]
                    )
                ]
                if "spanner_members" in d
                else []
            ),
        ),
        Section(
            "demand",
            "Unmet demand and skills gaps",
            "Skills named on requests against skills named on offers in the period, and "
            "requests still open and unanswered after two weeks. Export these for "
            "workforce planning.",
            [
                Figure(
                    "skills",
                    d["skills"].title,
                    charts.bar_chart(
                        "skills",
                        d["skills"].title,
                        b["skills"],
                        unit="",
                        legend=("Requests", "Offers"),
                    ),
                    [d["skills"]],
                ),
                Figure(
                    "stale",
                    d["stale_by_kind"].title,
                    None,
                    [d["stale_by_kind"], d["stale_by_skill"]],
                ),
            ],
        ),
        Section(
            "balances",
            "Balance health",
            "How members' balances are spread, and who might need a nudge to give or to ask.",
            [
                Figure(
                    "balances",
                    d["balances"].title,
                    charts.bar_chart(
                        "balances", d["balances"].title, b["balances"], unit="members"
                    ),
                    [d["balances"]],
                ),
                Figure("balance_groups", d["balance_groups"].title, None, [d["balance_groups"]]),
            ],
        ),
    ]
    return sections


@insight_reader_required
@require_GET
def export_csv(request: HttpRequest, key: str) -> HttpResponse:
    _form, data = _dashboard_for(request)
    dataset = data.datasets.get(key)
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
    if isinstance(value, selectors.Cell):
        if value.suppressed:
            return selectors.SUPPRESSED_TEXT
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
