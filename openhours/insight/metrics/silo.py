"""Silo index (docs/insight.md, section 3): Krackhardt and Stern's E-I index of each
organisation and profession in the period, beside its value over the same number of months
just before.

Read paths: the period's index from the pairs (``pairs``); the previous period's from the
refresh's ``SiloWindow`` (each group's exchanges inside and across, for the periods before
the standard windows) or, for any other range, summed in SQL from the monthly rows. Refresh
step: ``refresh_windows``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import F, Q, QuerySet, Sum

from .. import network
from ..filters import Filters, flow_q, window_of
from ..grouping import PairArrays, group_cells
from ..models import OrgFlow, ProfessionFlow, SiloWindow
from ..names import Names
from ..privacy import Cell, primary
from ..sql import SCOPES, date_param, empty_table, fetch_rows
from ..values import Dataset, Pair
from .pairs import OrgPairs


def _previous_ei(
    model: type[OrgFlow] | type[ProfessionFlow], filters: Filters, windows_month: date | None
) -> dict[int, network.EIScore]:
    """The silo index of the previous period: ``network.ei_index`` of the exchanges between
    pairs of groups, as each group's internal and external exchanges (a hundred rows rather
    than every pair): kept by the refresh for the standard windows, else summed in SQL."""
    window = window_of(filters, windows_month, previous=True)
    scope = {"scope_place": filters.place or 0, "scope_kind": filters.org_kind or ""}
    if window is not None:
        # Summed by the refresh, per group (``SiloWindow``).
        kept = SiloWindow.objects.filter(
            first_month=window[0],
            last_month=window[1],
            what="organisation" if model is OrgFlow else "profession",
            **scope,
        ).values_list("group_id", "external", "internal")
        return {g: network.EIScore(g, e, i) for g, e, i in sorted(fetch_rows(kept))}
    rows: QuerySet[Any]
    months = Q(month__gte=filters.first_month, month__lte=filters.last_month)
    if model is OrgFlow:
        giver, receiver = "giver_org", "receiver_org"
        rows = OrgFlow.objects.filter(months, flow_q(filters))
    else:
        giver, receiver = "giver_profession", "receiver_profession"
        rows = ProfessionFlow.objects.filter(months, **scope)
    # As ``ei_index``: exchanges with the unknown group (0) are left out.
    rows = rows.filter(exchanges__gt=0).exclude(**{giver: 0}).exclude(**{receiver: 0})
    inside = Q(**{giver: F(receiver)})
    internal: dict[int, int] = defaultdict(int)
    external: dict[int, int] = defaultdict(int)
    given = (
        rows.values_list(giver)
        .annotate(i=Sum("exchanges", filter=inside), e=Sum("exchanges", filter=~inside))
        .order_by()
    )
    for group, i, e in fetch_rows(given):
        internal[group] += i or 0
        external[group] += e or 0
    received = rows.exclude(inside).values_list(receiver).annotate(e=Sum("exchanges")).order_by()
    for group, e in fetch_rows(received):
        external[group] += e
    return {
        g: network.EIScore(g, external.get(g, 0), internal.get(g, 0))
        for g in sorted(internal.keys() | external.keys())
    }


def _profession_people_by_group(pairs: list[Pair]) -> dict[Any, int]:
    """The people behind each profession's exchanges, given or received (``people_by``)."""
    return _people_by_group(
        [p.key[0] for p in pairs], [p.key[1] for p in pairs], PairArrays.of(pairs)
    )


def _org_people_by_group(pairs: OrgPairs) -> dict[Any, int]:
    """As ``_profession_people_by_group`` for organisations."""
    return _people_by_group(pairs.giver_org, pairs.receiver_org, pairs.arrays)


def _people_by_group(
    givers: Sequence[int], receivers: Sequence[int], arrays: PairArrays
) -> dict[Any, int]:
    """``people_by`` with numpy: each pair counts for its giver's group and, when
    different, its receiver's."""
    if not len(givers):
        return {}
    giver = np.array(givers, np.int64)
    receiver = np.array(receivers, np.int64)
    crossing = giver != receiver
    keys = np.concatenate([giver, receiver[crossing]])
    both = arrays.concatenate(arrays.take(crossing))
    return {key: cell.people for key, cell in group_cells(keys, both, suppress=True).items()}


def _ei_rows(
    now: dict[int, network.EIScore],
    people: dict[Any, int],
    before: dict[int, network.EIScore],
    name: Callable[[int], str],
    *,
    suppress: bool,
) -> list[tuple[str, network.EIScore, float | None, Cell]]:
    result = []
    for group, score in now.items():
        cell = Cell(score.ties, people.get(group, 0))
        primary([cell], apply=suppress)
        old = before.get(group)
        result.append((name(group), score, old.index if old else None, cell))
    # Equal scores in order of group, whatever order the groups came in.
    result.sort(key=lambda row: (row[3].suppressed, row[1].index or 0, -row[1].ties, row[1].group))
    return result


def _silo_dataset(
    what: str, rows: list[tuple[str, network.EIScore, float | None, Cell]]
) -> Dataset:
    table = []
    for label, score, previous, cell in rows:
        if cell.suppressed:
            table.append([label, cell, cell, cell, cell, cell, cell])
            continue
        change = None
        if previous is not None and score.index is not None:
            change = _round(score.index - previous)
        table.append(
            [
                label,
                _round(score.index),
                score.external,
                score.internal,
                score.ties,
                _round(previous),
                change,
            ]
        )
    return Dataset(
        f"silo_{what}",
        f"Silo index (E-I) by {what}, most inward-looking first",
        [what, "E-I index", "external", "internal", "exchanges", "previous period", "change"],
        table,
    )


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _aggregate_silo_windows(wanted: list[tuple[date, date]]) -> None:
    """``SiloWindow`` for ``wanted`` (the periods before the current windows) from the
    monthly rows: organisations in every scope (a pair counts in the scopes of its giver
    and of its receiver, once each, as ``MonthFlow``), professions in their own scopes. A
    pair inside one group is internal to it; a pair across is external to both. The
    counts add up over months, so no pair needs summing first."""
    if not wanted:
        return
    spans = " UNION ALL ".join(["SELECT %s AS first_month, %s AS last_month"] * len(wanted))
    params = [date_param(day) for span in wanted for day in span]
    joined = f"JOIN ({spans}) w ON f.month >= w.first_month AND f.month <= w.last_month"
    known = "f.exchanges > 0 AND f.{g} <> 0 AND f.{r} <> 0"
    organisations = " UNION ALL ".join(
        # Fixed text from SCOPES and the models; values are parameters.
        f"SELECT w.first_month, w.last_month, {place} AS scope_place, {kind} AS scope_kind, "  # noqa: S608
        f"f.giver_org AS giver, f.receiver_org AS receiver, f.exchanges "
        f"FROM {OrgFlow._meta.db_table} f {joined} "
        f"WHERE {condition} AND {known.format(g='giver_org', r='receiver_org')}"
        for place, kind, condition in SCOPES
    )
    professions = (
        "SELECT w.first_month, w.last_month, f.scope_place, f.scope_kind, "  # noqa: S608
        "f.giver_profession AS giver, f.receiver_profession AS receiver, f.exchanges "
        f"FROM {ProfessionFlow._meta.db_table} f {joined} "
        f"WHERE {known.format(g='giver_profession', r='receiver_profession')}"
    )
    keys = "first_month, last_month, scope_place, scope_kind"
    for what, pairs, times in (
        ("organisation", organisations, len(SCOPES)),
        ("profession", professions, 1),
    ):
        sql = (
            f"INSERT INTO {SiloWindow._meta.db_table} ({keys}, what, group_id, "  # noqa: S608
            f"internal, external) SELECT {keys}, %s, group_id, SUM(internal), SUM(external) "
            f"FROM (SELECT {keys}, giver AS group_id, "
            "CASE WHEN giver = receiver THEN exchanges ELSE 0 END AS internal, "
            "CASE WHEN giver = receiver THEN 0 ELSE exchanges END AS external "
            f"FROM ({pairs}) given UNION ALL SELECT {keys}, receiver, 0, exchanges "
            f"FROM ({pairs}) received WHERE giver <> receiver) sides "
            f"GROUP BY {keys}, group_id"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [what, *params * times, *params * times])


EIRows = list[tuple[str, network.EIScore, float | None, Cell]]


def silo_figures(
    filters: Filters,
    org_pairs: OrgPairs,
    prof_pairs: list[Pair],
    names: Names,
    *,
    suppress: bool,
    windows_month: date | None,
) -> tuple[dict[str, EIRows], dict[str, Dataset]]:
    """The index of every organisation and profession, and their tables."""
    ei = {
        "organisation": _ei_rows(
            network.ei_index_of_columns(
                org_pairs.giver_org, org_pairs.receiver_org, org_pairs.exchanges, unknown=0
            ),
            _org_people_by_group(org_pairs) if suppress else {},
            _previous_ei(OrgFlow, filters.previous(), windows_month),
            names.organisation,
            suppress=suppress,
        ),
        "profession": _ei_rows(
            network.ei_index_of_columns(
                [p.key[0] for p in prof_pairs],
                [p.key[1] for p in prof_pairs],
                [p.exchanges for p in prof_pairs],
                unknown=0,
            ),
            _profession_people_by_group(prof_pairs) if suppress else {},
            _previous_ei(ProfessionFlow, filters.previous(), windows_month),
            names.profession,
            suppress=suppress,
        ),
    }
    datasets = {
        f"silo_{key}": _silo_dataset(key, ei[key]) for key in ("organisation", "profession")
    }
    return ei, datasets


def refresh_windows(before: list[tuple[date, date]], *, afresh: bool) -> None:
    """``SiloWindow`` for the periods in ``before``: all emptied first (``afresh``), or just
    those periods' rows replaced."""
    if afresh:
        empty_table(SiloWindow)
    else:
        for first, last in before:
            SiloWindow.objects.filter(first_month=first, last_month=last).delete()
    _aggregate_silo_windows(before)
