"""Shares of people covered, by group, and the age bands they are reported in."""

import datetime as dt

import polars as pl

# Children, working age, older people: the bands of the census bulletins the
# project's population figures come from (0–14, 15–59, 60 and over).
AGE_BAND_EDGES = (15, 60)


def age_band(
    birth_date: str | pl.Expr, on: dt.date, edges: tuple[int, ...] = AGE_BAND_EDGES
) -> pl.Expr:
    """Return an expression naming each person's age band on `on` ("0-14", "60+")."""
    birth = pl.col(birth_date) if isinstance(birth_date, str) else birth_date
    # dt.month() is Int8: widen before multiplying.
    month_day = birth.dt.month().cast(pl.Int32) * 100 + birth.dt.day().cast(pl.Int32)
    not_yet = month_day > (on.month * 100 + on.day)
    age = pl.lit(on.year) - birth.dt.year().cast(pl.Int32) - not_yet.cast(pl.Int32)
    labels = [f"0-{edges[0] - 1}"]
    labels += [f"{low}-{high - 1}" for low, high in zip(edges, edges[1:], strict=False)]
    labels.append(f"{edges[-1]}+")
    expression = pl.when(age < edges[0]).then(pl.lit(labels[0]))
    for upper, label in zip(edges[1:], labels[1:-1], strict=False):
        expression = expression.when(age < upper).then(pl.lit(label))
    return expression.otherwise(pl.lit(labels[-1])).alias("age_band")


def coverage_table(
    frame: pl.DataFrame | pl.LazyFrame,
    by: list[str],
    *,
    covered: str = "covered",
    weight: str | None = None,
) -> pl.DataFrame:
    """Return people, people covered and the covered share for each group of `by`.

    `covered` is a Boolean column; `weight` (optional) says how many people
    a row stands for. Groups are sorted; an empty `by` gives one total row.
    """
    if weight:
        aggregations = [
            pl.col(weight).sum().alias("people"),
            (pl.col(weight) * pl.col(covered).cast(pl.Int64)).sum().alias("covered"),
        ]
    else:
        aggregations = [
            pl.len().cast(pl.Int64).alias("people"),
            pl.col(covered).cast(pl.Int64).sum().alias("covered"),
        ]
    lazy = frame.lazy()
    grouped = (
        lazy.group_by(by).agg(aggregations).sort(by)
        if by
        else lazy.select(aggregations)
    )
    return grouped.with_columns(
        pl.when(pl.col("people") > 0)
        .then(pl.col("covered") / pl.when(pl.col("people") > 0).then(pl.col("people")))
        .otherwise(None)
        .alias("share")
    ).collect()
