"""Monthly flows (``OrgFlow``, ``ProfessionFlow``): per month, the exchanges, minutes and
people between pairs of organisations, and of professions per filter scope.

Refresh steps only: ``rebuild_flows`` and ``refresh_flow_cells`` (just the cells, month and
pair, whose facts changed). Every flow figure reads these rows or the windows summed from
them (``metrics.pairs``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Model

from ..models import ExchangeFact, OrgFlow, ProfessionFlow
from ..sql import SCOPES, empty_table
from .exchanges import Touched

ORG_KEYS = [
    "giver_org",
    "receiver_org",
    "giver_kind",
    "receiver_kind",
    "giver_place",
    "receiver_place",
]


ORG_EXTRA = {
    "cross_org": "SUM(CASE WHEN crosses_org THEN 1 ELSE 0 END)",
    "cross_profession": "SUM(CASE WHEN crosses_profession THEN 1 ELSE 0 END)",
}


CELLS = "insight_refresh_cells"


def rebuild_flows() -> None:
    """Every monthly aggregate, from scratch."""
    empty_table(OrgFlow)
    empty_table(ProfessionFlow)
    _aggregate(OrgFlow, ORG_KEYS, extra=ORG_EXTRA, where="1=1")
    _aggregate_professions(where="1=1")


def refresh_flow_cells(touched: Touched) -> tuple[int, set[date]]:
    """Recompute only the aggregate cells (month and pair) whose facts changed; return how
    many cells were recomputed and the months in which any row came out different.

    The cells go into a temporary table; each aggregate deletes its rows for those cells
    and regroups the facts of those cells alone (indexes ``insight_fact_month_orgs`` and
    ``insight_fact_month_professions``), so a refresh costs what changed, not a month.
    Facts re-derived unchanged (the overlap's, every run) change no month, so the windows
    summed from these rows are left alone.
    """
    if not touched.org_cells and not touched.profession_cells:
        return 0, set()
    fact = ExchangeFact._meta.db_table
    flows = (
        (OrgFlow, 0, "giver_org", "receiver_org"),
        (ProfessionFlow, 1, "giver_profession", "receiver_profession"),
    )
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {CELLS}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {CELLS} (side integer, month date, a integer, b integer)"
        )
        cursor.executemany(
            f"INSERT INTO {CELLS} (side, month, a, b) VALUES (%s, %s, %s, %s)",  # noqa: S608
            [(0, *cell) for cell in touched.org_cells]
            + [(1, *cell) for cell in touched.profession_cells],
        )
        before = _cell_rows(cursor, flows)
        for model, side, a, b in flows:
            table = model._meta.db_table
            cursor.execute(
                # Names from the models and constants; no values are interpolated.
                f"DELETE FROM {table} WHERE EXISTS (SELECT 1 FROM {CELLS} c "  # noqa: S608
                f"WHERE c.side = {side} AND c.month = {table}.month "
                f"AND c.a = {table}.{a} AND c.b = {table}.{b})"
            )
    in_cells = (
        f"EXISTS (SELECT 1 FROM {CELLS} c WHERE c.side = {{side}} "  # noqa: S608
        f"AND c.month = {fact}.month "
        f"AND c.a = {fact}.{{a}} AND c.b = {fact}.{{b}})"
    )
    _aggregate(
        OrgFlow,
        ORG_KEYS,
        extra=ORG_EXTRA,
        where=in_cells.format(side=0, a="giver_org", b="receiver_org"),
    )
    _aggregate_professions(
        where=in_cells.format(side=1, a="giver_profession", b="receiver_profession")
    )
    with connection.cursor() as cursor:
        after = _cell_rows(cursor, flows)
        cursor.execute(f"DROP TABLE {CELLS}")
    # The month is each row's second value, after the table's name.
    changed = {row[1] for row in before ^ after}
    return len(touched.org_cells) + len(touched.profession_cells), {
        _as_date(month) for month in changed
    }


def _cell_rows(
    cursor: Any, flows: tuple[tuple[type[Model], int, str, str], ...]
) -> set[tuple[Any, ...]]:
    """Every row of the aggregates in the cells of the temporary table, to compare."""
    rows: set[tuple[Any, ...]] = set()
    for model, side, a, b in flows:
        table = model._meta.db_table
        columns = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
        assert columns[0] == "month"
        cursor.execute(
            # Names from the models and constants; no values are interpolated.
            f"SELECT {', '.join(columns)} FROM {table} WHERE EXISTS "  # noqa: S608
            f"(SELECT 1 FROM {CELLS} c WHERE c.side = {side} AND c.month = {table}.month "
            f"AND c.a = {table}.{a} AND c.b = {table}.{b})"
        )
        rows.update((table, *row) for row in cursor.fetchall())
    return rows


def _as_date(value: date | str) -> date:
    # SQLite returns dates from raw SQL as ISO text.
    return value if isinstance(value, date) else date.fromisoformat(value)


def _aggregate_professions(*, where: str) -> None:
    fact = ExchangeFact._meta.db_table
    sides = " UNION ALL ".join(
        # Fixed text from SCOPES and the models; values are parameters.
        f"SELECT month, {place} AS scope_place, {kind} AS scope_kind, "  # noqa: S608
        f"giver_profession, receiver_profession, minutes, giver_id, receiver_id "
        f"FROM {fact} WHERE {condition} AND {where}"
        for place, kind, condition in SCOPES
    )
    sql = (
        f"INSERT INTO {ProfessionFlow._meta.db_table} (month, scope_place, scope_kind, "  # noqa: S608
        "giver_profession, receiver_profession, exchanges, minutes, givers, receivers) "
        "SELECT month, scope_place, scope_kind, giver_profession, receiver_profession, "
        "COUNT(*), SUM(minutes), COUNT(DISTINCT giver_id), COUNT(DISTINCT receiver_id) "
        f"FROM ({sides}) scoped "
        "GROUP BY month, scope_place, scope_kind, giver_profession, receiver_profession"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)


def _aggregate(model: type[OrgFlow], keys: list[str], *, extra: dict[str, str], where: str) -> None:
    fact = ExchangeFact._meta.db_table
    columns = ["month", *keys]
    targets = [*columns, "exchanges", "minutes", *extra, "givers", "receivers"]
    expressions = [
        *columns,
        "COUNT(*)",
        "SUM(minutes)",
        *extra.values(),
        "COUNT(DISTINCT giver_id)",
        "COUNT(DISTINCT receiver_id)",
    ]
    # Table and column names come from the models; values are parameters.
    sql = (
        f"INSERT INTO {model._meta.db_table} ({', '.join(targets)}) "  # noqa: S608
        f"SELECT {', '.join(expressions)} FROM {fact} WHERE {where} "
        f"GROUP BY {', '.join(columns)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
