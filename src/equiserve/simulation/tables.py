"""The cost and coverage table: programme × town × registered/migrant.

Columns of `table`:

| column | meaning |
|---|---|
| `programme`, `clause`, `department`, `basis`, `unit` | the programme (see `programmes`); unit is persons or households |
| `town`, `town_zh`, `town_en` | the 9-digit town code and its names |
| `group` | `registered` (hukou in Zhongshan; for households: a member is), `migrant`, `unknown` |
| `population` | persons (households) of that town and group |
| `eligible` | of whom eligible on the day |
| `undetermined` | of whom the rules cannot decide for a fact not given (issue 12): neither eligible nor not |
| `coverage` | eligible ÷ population |
| `cost` | CNY, exact to the fen (Decimal): the sum of the eligible units' costs in fen, times the take-up share, rounded half up once per row |
| `cost_missing` | eligible units whose cost is unknown (not in `cost`; never a silent 0) |

`compare` gives `eligible`, `undetermined`, `coverage`, `cost` and `cost_missing` for
`_baseline` and `_reform`, and `_difference` = reform − baseline.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

import polars as pl

from equiserve.policy.inputs import TOWNS_CSV
from equiserve.policy.parameters import Parameter
from equiserve.policy.plan import Plan
from equiserve.simulation.programmes import Programme, programmes

KEYS = ("town", "group")
MONEY = pl.Decimal(20, 2)
_GROUP_ORDER = {"registered": 0, "migrant": 1, "unknown": 2}


@functools.cache
def town_names() -> dict[str, tuple[str, str]]:
    """Return {code: (Chinese short name, English name)} of the 24 towns."""
    with TOWNS_CSV.open(encoding="utf-8", newline="") as handle:
        return {
            row["code_9"]: (row["short_name_zh"], row["name_en"])
            for row in csv.DictReader(handle)
        }


def _group(entity: str) -> pl.Expr:
    """Return the registered/migrant group, from the few distinct keys of a cell."""
    if entity == "household":
        registered = pl.col("household_registered")
        return (
            pl.when(registered)
            .then(pl.lit("registered"))
            .when(registered.not_())
            .then(pl.lit("migrant"))
            .otherwise(pl.lit("unknown"))
        )
    hukou = pl.col("hukou").cast(pl.String)
    return (
        pl.when(hukou == "zhongshan")
        .then(pl.lit("registered"))
        .when(hukou == "elsewhere")
        .then(pl.lit("migrant"))
        .otherwise(pl.lit("unknown"))
    )


def cells(
    frame: pl.DataFrame,
    entity: str,
    plan: Plan,
    date: dt.date,
) -> pl.DataFrame:
    """Return per town and group: population, and per programme eligible, fen, missing.

    `frame` holds one evaluated entity (outputs, `town`, and `hukou` for persons).
    Fen are before take-up; `combine` adds the cells of several batches.
    """
    aggregations = [pl.len().cast(pl.Int64).alias("population")]
    for item in programmes(plan, entity):
        cost = item.cost_expr(item.costs(plan.parameters, date))
        # Undetermined (null) is counted apart, never as eligible or not (issue 12).
        eligible = pl.col(item.eligible).fill_null(False)
        aggregations += [
            eligible.sum().cast(pl.Int64).alias(f"{item.name}:eligible"),
            pl.col(item.eligible)
            .is_null()
            .sum()
            .cast(pl.Int64)
            .alias(f"{item.name}:undetermined"),
            cost.sum().cast(pl.Int64).alias(f"{item.name}:fen"),
            (eligible & cost.is_null())
            .sum()
            .cast(pl.Int64)
            .alias(f"{item.name}:missing"),
        ]
    # Group by the raw keys (Enums at city scale) and label the few groups after.
    key = "household_registered" if entity == "household" else "hukou"
    return (
        frame.group_by("town", key)
        .agg(aggregations)
        .with_columns(pl.col("town").cast(pl.String), _group(entity).alias("group"))
        .drop(key)
        .group_by(list(KEYS))
        .agg(pl.all().sum())
    )


def combine(parts: list[pl.DataFrame]) -> pl.DataFrame | None:
    """Add up the cells of several batches (None when there are none)."""
    if not parts:
        return None
    return pl.concat(parts).group_by(list(KEYS)).agg(pl.all().sum())


def _fen_to_cny(fen: int | None) -> Decimal | None:
    return None if fen is None else Decimal(fen).scaleb(-2)


def _rows(
    item: Programme,
    frame: pl.DataFrame | None,
    parameters: Mapping[str, Parameter],
    date: dt.date,
    order: Mapping[str, int],
) -> list[dict]:
    if frame is None:
        return []
    costs = item.costs(parameters, date)
    names = town_names()
    rows = []
    for cell in frame.iter_rows(named=True):
        population = cell["population"]
        eligible = cell[f"{item.name}:eligible"]
        fen = costs.apply_take_up(cell[f"{item.name}:fen"])
        town = cell["town"]
        rows.append(
            {
                "programme": item.name,
                "clause": item.clause,
                "department": item.owner,
                "basis": item.basis,
                "unit": item.unit,
                "town": town,
                "town_zh": names.get(town, ("", ""))[0] if town else None,
                "town_en": names.get(town, ("", ""))[1] if town else None,
                "group": cell["group"],
                "population": population,
                "eligible": eligible,
                "undetermined": cell[f"{item.name}:undetermined"],
                "coverage": eligible / population if population else None,
                "cost": _fen_to_cny(fen),
                "cost_missing": cell[f"{item.name}:missing"],
            }
        )
    rows.sort(
        key=lambda r: (
            order[r["programme"]],
            r["town"] or "~",
            _GROUP_ORDER[r["group"]],
        )
    )
    return rows


SCHEMA = {
    "programme": pl.String,
    "clause": pl.String,
    "department": pl.String,
    "basis": pl.String,
    "unit": pl.String,
    "town": pl.String,
    "town_zh": pl.String,
    "town_en": pl.String,
    "group": pl.String,
    "population": pl.Int64,
    "eligible": pl.Int64,
    "undetermined": pl.Int64,
    "coverage": pl.Float64,
    "cost": MONEY,
    "cost_missing": pl.Int64,
}


def table(
    person_cells: pl.DataFrame | None,
    household_cells: pl.DataFrame | None,
    plan: Plan,
    date: dt.date,
) -> pl.DataFrame:
    """Return the cost and coverage table (columns in the module docstring)."""
    rows = []
    listed = programmes(plan)
    order = {item.name: index for index, item in enumerate(listed)}
    for item in listed:
        frame = person_cells if item.entity == "person" else household_cells
        rows += _rows(item, frame, plan.parameters, date, order)
    return pl.DataFrame(rows, schema=SCHEMA, orient="row")


MEASURES = ("eligible", "undetermined", "coverage", "cost", "cost_missing")


def compare(baseline: pl.DataFrame, reform: pl.DataFrame) -> pl.DataFrame:
    """Return baseline and reform side by side, with `_difference` = reform − baseline."""
    keys = [c for c in SCHEMA if c not in MEASURES and c != "population"]
    joined = baseline.join(
        reform.select(*keys, *MEASURES),
        on=keys,
        how="full",
        coalesce=True,
        suffix="_reform",
        maintain_order="left",
    ).rename({m: f"{m}_baseline" for m in MEASURES})
    columns = [*keys, "population"]
    for measure in MEASURES:
        base, changed = pl.col(f"{measure}_baseline"), pl.col(f"{measure}_reform")
        columns += [base, changed, (changed - base).alias(f"{measure}_difference")]
    return joined.select(columns)


def total_cost(column: pl.Series) -> Decimal:
    """Return the exact sum of a cost column (nulls count as 0)."""
    return sum((v for v in column.to_list() if v is not None), Decimal("0.00"))


def write(frame: pl.DataFrame, parquet: Path, csv_path: Path) -> None:
    """Write the table as Parquet and as CSV (UTF-8; costs with two decimals)."""
    frame.write_parquet(parquet)
    frame.write_csv(csv_path)
