"""Read a query's rows into a typed Polars frame in bulk.

At millions of rows the ORM's per-value converters cost more than the query:
SQLite's driver parses every value of a column declared DATE in Python. So a
query's rows are read raw (dates as text on SQLite) and typed by column with
Polars. Used by the monitoring engine's registry reads and the fitness circle.
"""

from __future__ import annotations

import polars as pl
from django.db import connections
from django.db.models import CharField, QuerySet
from django.db.models.functions import Cast


def read_frame(rows: QuerySet, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Run a `values_list` query as SQL and type its rows with Polars, in bulk.

    The database's raw values (SQLite: dates as text, booleans as 0/1) are cast
    by column, not converted value by value in Python.
    """
    sql, params = rows.query.sql_with_params()
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    names = list(schema)
    raw = pl.DataFrame(found, schema=names, orient="row", infer_schema_length=None)
    casts = []
    for name, dtype in schema.items():
        column = pl.col(name)
        if dtype == pl.Date and raw.schema[name] == pl.String:
            casts.append(column.str.to_date("%Y-%m-%d", strict=False))
        elif raw.schema[name] == pl.Null:
            casts.append(pl.lit(None, dtype=dtype).alias(name))
        else:
            casts.append(column.cast(dtype, strict=False))
    return raw.with_columns(casts)


def query_frame(
    queryset: QuerySet, paths: dict[str, str], schema: dict[str, pl.DataType]
) -> pl.DataFrame:
    """Return the frame of `queryset` with a column per `paths` name, typed by
    `schema` (the queryset's own ordering is kept)."""
    # Dates read as text on SQLite; `read_frame` parses them with Polars.
    text_dates = connections[queryset.db].vendor == "sqlite"
    fields = [
        Cast(path, CharField()) if text_dates and schema[name] == pl.Date else path
        for name, path in paths.items()
    ]
    return read_frame(queryset.values_list(*fields), schema)
