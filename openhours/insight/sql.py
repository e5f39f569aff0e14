"""Raw SQL helpers that both the refresh and the read paths use: rows straight from the
cursor, emptying a table, chunks of ids, date parameters, the filter scopes a page can ask
for (``SCOPES``) and summing monthly rows over windows (``sum_over_windows``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Model, QuerySet


def fetch_rows(query: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """A query's rows straight from the cursor: at thousands of rows the ORM's per-row
    work costs more than the query. Only for integer and text columns, which need no
    conversion on any database."""
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
        return rows


def as_columns(rows: list[tuple[Any, ...]], width: int) -> list[list[Any]]:
    """Rows as columns. Not ``zip(*rows)``: its one iterator per row, thousands of
    short-lived objects, sets off the garbage collector over everything the page holds."""
    return [[row[i] for row in rows] for i in range(width)]


CHUNK = 500


def in_chunks(items: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def empty_table(model: type[Model]) -> None:
    """Empty one of insight's own tables (TRUNCATE on PostgreSQL: no row-by-row delete)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {table}")
        else:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (a model's table name)


def date_param(day: date) -> date | str:
    # psycopg sends a date as a typed literal; SQLite keeps dates as ISO text.
    return day if connection.vendor == "postgresql" else day.isoformat()


# Each scope a page can ask for, and which side of an exchange puts it there. The receiver's
# side is skipped when it names the same scope as the giver's, so nothing counts twice.
SCOPES = [
    ("0", "''", "1=1"),
    ("giver_place", "''", "giver_place > 0"),
    ("receiver_place", "''", "receiver_place > 0 AND receiver_place <> giver_place"),
    ("0", "giver_kind", "giver_kind <> ''"),
    ("0", "receiver_kind", "receiver_kind <> '' AND receiver_kind <> giver_kind"),
    ("giver_place", "giver_kind", "giver_place > 0 AND giver_kind <> ''"),
    (
        "receiver_place",
        "receiver_kind",
        "receiver_place > 0 AND receiver_kind <> '' "
        "AND (receiver_place <> giver_place OR receiver_kind <> giver_kind)",
    ),
]


def sum_over_windows(
    wanted: list[tuple[date, date]],
    source: type[Model],
    target: type[Model],
    *,
    keys: list[str],
    totals: dict[str, str],
) -> None:
    """Insert into `target` the monthly rows of `source` summed over each window of
    `wanted` (first and last month), grouped by `keys`; each of `totals` is taken with its
    SQL aggregate (SUM, or MAX for counts of people and labels), in one statement."""
    if not wanted:
        return
    spans = " UNION ALL ".join(["SELECT %s AS first_month, %s AS last_month"] * len(wanted))
    columns = ", ".join(["first_month", "last_month", *keys, *totals])
    grouped = ", ".join(f"f.{key}" for key in keys)
    summed = ", ".join(f"{how}(f.{column})" for column, how in totals.items())
    sql = (
        f"INSERT INTO {target._meta.db_table} ({columns}) "  # noqa: S608
        f"SELECT w.first_month, w.last_month, {grouped}, {summed} "
        f"FROM {source._meta.db_table} f JOIN ({spans}) w "
        "ON f.month >= w.first_month AND f.month <= w.last_month "
        f"GROUP BY w.first_month, w.last_month, {grouped}"
    )
    params = [date_param(day) for span in wanted for day in span]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
