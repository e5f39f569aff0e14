"""The dashboard's figures as HTML, rendered once per refresh and filters and then cached.

Between two runs of ``refresh_insight`` the figures cannot change, so the charts, tables
and headline figures for one set of filters and one kind of viewer are rendered once and
kept in Django's cache under the refresh's timestamp (a refresh makes new keys) for at most
``CACHE_SECONDS``. The refresh command warms the default view for both kinds of viewer.
Members' names (boundary spanners, coordinators only) are never cached: the view reads
them on every request, so an opt-out takes effect at once.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from html import escape
from typing import Any, TypeVar

from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe

from . import charts, selectors
from .models import RefreshState
from .privacy import MIN_PEOPLE

CACHE_SECONDS = 600
# Long bar charts show the largest; their tables list every row.
TOP_BARS = 15
# What the CSV route's ``<slug:key>`` accepts.
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


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
    members_slot: bool = False  # the view puts coordinators' list of members here


def query_string(filters: selectors.Filters) -> str:
    """The filters as a query string, for the CSV links."""
    return urlencode(
        {
            k: v
            for k, v in (
                ("start", filters.start.isoformat()),
                ("end", filters.end.isoformat()),
                ("place", filters.place or ""),
                ("kind", filters.org_kind or ""),
            )
            if v
        }
    )


def cache_key(filters: selectors.Filters, *, suppress: bool, state: RefreshState | None) -> str:
    version = f"{state.pk}-{state.last_run_at.isoformat()}" if state and state.last_run_at else "0"
    return (
        f"insight:figures:{version}:{filters.start}:{filters.end}:{filters.place}:"
        f"{filters.org_kind}:{int(suppress)}"
    )


def figures_html(filters: selectors.Filters, *, suppress: bool) -> SafeString:
    """Headline figures and every section, for these filters and this kind of viewer."""
    state = RefreshState.objects.first()
    key = cache_key(filters, suppress=suppress, state=state)
    html: str | None = cache.get(key)
    if html is None:
        with collector_paused():
            html = render(selectors.dashboard(filters, suppress=suppress), filters)
        cache.set(key, html, CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 (rendered by our own template, escaped there)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while the figures are built.

    A cold page makes tens of thousands of short-lived objects (rows, columns, cells)
    that hold no reference cycles, so reference counting frees every one of them; the
    collector would only walk them, and everything else the process holds, again and
    again. At 100,000 members that was about 28 ms of a render on average, and a full
    collection in the middle of one took 100 ms (bench/README.md). The collector runs
    again as usual afterwards, and catches up on anything else then. Another thread may
    turn it back on early; that only costs time.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def render(data: selectors.Dashboard, filters: selectors.Filters) -> str:
    """The headline figures and every section as HTML (what ``figures_html`` caches)."""
    query = query_string(filters)
    urls = export_urls()
    context = {
        "data": data,
        "sections": [(s, _figures_markup(s.figures, query, urls)) for s in sections(data)],
        "query": query,
        "min_people": MIN_PEOPLE,
    }
    return render_to_string("insight/_figures.html", context)


def _text(value: Any) -> str:
    """A value as a template writes ``{{ value }}``: escaped unless already safe."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return escape(str(value))


def export_urls() -> Callable[[str], str]:
    """The address of a dataset's CSV by its key, as ``reverse("insight:export", ...)``.

    Reversing costs some 60 µs and a dashboard links twenty CSVs: the address is reversed
    once with a stand-in key, and a slug (all the route accepts) put in its place.
    """
    head, _stand_in, tail = reverse("insight:export", args=["key"]).rpartition("key")

    def url(key: str) -> str:
        if _SLUG.fullmatch(key):
            return f"{head}{key}{tail}"
        return reverse("insight:export", args=[key])  # raises NoReverseMatch, as before

    return url


def _figures_markup(figures: list[Figure], query: str, urls: Callable[[str], str]) -> SafeString:
    """A section's figures, each as ``insight/_figure.html`` would write it, laid out as the
    loop in ``insight/_figures.html`` used to include them.

    A dashboard has some twenty figures; rendering the include for each took most of the
    template's time. ``insight/_figure.html`` still renders the one figure the view adds
    (the members, for coordinators), and a test holds the two to the same markup.
    """
    return mark_safe(  # noqa: S308 (every value is escaped in figure_markup)
        "".join(f"\n    {figure_markup(figure, query, urls)}\n  " for figure in figures)
    )


def figure_markup(figure: Figure, query: str, urls: Callable[[str], str] | None = None) -> str:
    """One figure, byte for byte what ``insight/_figure.html`` renders for it."""
    urls = urls or export_urls()
    key, title = _text(figure.key), _text(figure.title)
    query = _text(query)
    several = len(figure.tables) > 1
    links = []
    for dataset in figure.datasets:
        href = _text(urls(dataset.key))
        hidden = f'<span class="visually-hidden">: {_text(dataset.title)}</span>'
        if dataset.csv_only:
            label = "Every pair (CSV)"
        elif several:
            label = f"CSV by {_text(dataset.columns[0]) if dataset.columns else ''}"
        else:
            label = "Download CSV"
        links.append(f'<a href="{href}?{query}">{label}{hidden}</a>')
    chart = figure.chart
    explanation = f'<p class="meta">{_text(figure.explanation)}</p>' if figure.explanation else ""
    out = [
        f'<figure class="panel insight-figure{"" if chart else " insight-figure-table"}" '
        f'aria-labelledby="{key}-caption">\n'
        f'      <figcaption id="{key}-caption" class="section-head"><h3>{title}</h3>\n'
        f'        <span class="insight-downloads">{" · ".join(links)}</span>\n'
        f"      </figcaption>\n"
        f"      {explanation}\n"
    ]
    if chart:
        out.append(
            f'      <div class="insight-chart" role="region" tabindex="0" '
            f'aria-label="Chart: {title}">{_text(chart)}</div>\n      '
        )
        for dataset, table in figure.tables:
            out.append(
                '\n        <details class="insight-table-toggle"><summary>Show as a table'
                f'<span class="visually-hidden">: {_text(dataset.title)}</span></summary>'
                f"\n        {_text(table)}\n        </details>\n      "
            )
    else:
        out.append("      \n      ")
        for _dataset, table in figure.tables:
            out.append(f"\n        \n        {_text(table)}\n        \n      ")
    out.append("\n    </figure>\n")
    return "".join(out)


def warm() -> None:
    """Render the default view for coordinators and system leaders (after a refresh)."""
    for suppress in (False, True):
        figures_html(selectors.default_filters(), suppress=suppress)


def sections(data: selectors.Dashboard) -> list[Section]:
    """The page's sections in order, each with its figures (charts drawn here)."""
    return [
        _activity(data),
        _flows(data),
        _silos(data),
        _spanners(data),
        _demand(data),
        _balances(data),
    ]


_V = TypeVar("_V")


def _drawn(
    d: Mapping[str, selectors.Dataset],
    key: str,
    draw: Callable[[str, str, _V], SafeString],
    values: _V,
    *also: str,
) -> Figure:
    """The figure of dataset ``key`` drawn under its own title, with the tables of ``also``
    after its own."""
    dataset = d[key]
    return Figure(
        key, dataset.title, draw(key, dataset.title, values), [dataset, *(d[k] for k in also)]
    )


def _activity(data: selectors.Dashboard) -> Section:
    d, b = data.datasets, data.bars
    hours_bars = partial(charts.bar_chart, unit="h")
    return Section(
        "activity",
        "Who gives, and how much",
        "Hours given in the period, by the giver's profession and kind of organisation, "
        "and what those hours would have cost at national unit costs.",
        [
            _drawn(d, "by_profession", hours_bars, b["by_profession"][:TOP_BARS]),
            _drawn(d, "by_kind", hours_bars, b["by_kind"]),
            Figure("value", d["value"].title, None, [d["value"]]),
        ],
    )


def _flows(data: selectors.Dashboard) -> Section:
    d, m = data.datasets, data.matrices
    return Section(
        "flows",
        "Knowledge flows",
        "Where hours go: rows give, columns receive. Darker cells carry more hours; every "
        "cell shows its number.",
        [
            Figure(
                "flow_kind_sankey",
                "Hours from each kind of organisation to each other kind",
                charts.sankey("flow_kind_sankey", "Hours between kinds of organisation", m["kind"]),
                [d["flow_kind"]],
                "Givers' kinds on the left, receivers' on the right; "
                "each band is as wide as its hours.",
            ),
            _drawn(d, "flow_kind", charts.heatmap, m["kind"]),
            _drawn(d, "flow_org", charts.heatmap, m["org"], "flow_org_all"),
            _drawn(d, "flow_profession", charts.heatmap, m["profession"], "flow_profession_all"),
            _drawn(d, "flow_place", charts.heatmap, m["place"]),
            _drawn(d, "crossing", charts.line_chart, data.series),
        ],
    )


def _silos(data: selectors.Dashboard) -> Section:
    d = data.datasets
    return Section(
        "silos",
        "Silo index",
        "Krackhardt's E-I index: (exchanges across the boundary \u2212 exchanges inside) ÷ all "
        "exchanges. \u22121 means every exchange stays inside the group, +1 that every one "
        "crosses. The chart shows the twelve groups with most exchanges.",
        [
            _drawn(d, "silo_organisation", charts.ei_chart, data.ei["organisation"]),
            _drawn(d, "silo_profession", charts.ei_chart, data.ei["profession"]),
        ],
    )


def _spanners(data: selectors.Dashboard) -> Section:
    d = data.datasets
    return Section(
        "spanners",
        "Boundary spanners",
        "Betweenness: how often an organisation or a member lies on the shortest path "
        "between two others in the exchange network, from 0 to 1.",
        [Figure("spanner_orgs", d["spanner_orgs"].title, None, [d["spanner_orgs"]])],
        members_slot=True,
    )


def _demand(data: selectors.Dashboard) -> Section:
    d, b = data.datasets, data.bars
    return Section(
        "demand",
        "Unmet demand and skills gaps",
        "Skills named on requests against skills named on offers in the period, and "
        "requests still open and unanswered after two weeks. Export these for "
        "workforce planning.",
        [
            _drawn(
                d,
                "skills",
                partial(charts.bar_chart, unit="", legend=("Requests", "Offers")),
                b["skills"],
            ),
            Figure(
                "stale",
                d["stale_by_kind"].title,
                None,
                [d["stale_by_kind"], d["stale_by_skill"]],
            ),
        ],
    )


def _balances(data: selectors.Dashboard) -> Section:
    d, b = data.datasets, data.bars
    return Section(
        "balances",
        "Balance health",
        "How members' balances are spread, and who might need a nudge to give or to ask.",
        [
            _drawn(d, "balances", partial(charts.bar_chart, unit="members"), b["balances"]),
            Figure("balance_groups", d["balance_groups"].title, None, [d["balance_groups"]]),
        ],
    )
