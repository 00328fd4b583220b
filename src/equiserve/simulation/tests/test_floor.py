"""The benchmark's hand-written floor computes what simulate computes (issue 20).

bench/floor_simulate.py restates the plan's rules in plain Polars to measure the
engine's overhead against; this holds it to simulate's files, row for row and to
the fen, so that the ratio `make bench` records compares equal work.
"""

import datetime as dt
import importlib.util
import json
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from equiserve.simulation.run import simulate

# 2015: one urban–rural standard; 2014: a rural conscript's narrowed share (3.4.3).
DAYS = [dt.date(2015, 7, 1), dt.date(2014, 12, 31)]
FLOOR = Path(__file__).resolve().parents[4] / "bench" / "floor_simulate.py"


def _floor_module():
    spec = importlib.util.spec_from_file_location("floor_simulate", FLOOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def fuller(population, tmp_path_factory):
    """The synthetic population with the facts it lacks, so every rule is reached.

    The synthetic city holds no one-child certificates, serving conscripts, labour
    register or disability and 低保 facts; here every few persons get them (and
    some are left unknown), in the flat and the nested shapes the engine reads.
    """
    directory = tmp_path_factory.mktemp("fuller")
    persons = pl.read_parquet(population / "persons.parquet")
    n = pl.int_range(pl.len())

    def every(k: int, then, unknown: int | None = None) -> pl.Expr:
        value = pl.when(n % k == 0).then(then)
        if unknown is not None:
            value = value.when(n % unknown == 0).then(None)
        return value

    persons = persons.with_columns(
        every(3, True, unknown=7).otherwise(False).alias("one_child_parent"),
        pl.when(n % 40 == 0)
        .then(
            pl.struct(
                enlisted=pl.when(n % 120 == 0)
                .then(None)
                .otherwise(pl.lit(dt.date(2013, 9, 1)))
            )
        )
        .alias("conscription"),
        pl.when(n % 10 == 0)
        .then(pl.lit(dt.date(2014, 3, 31)))
        .when(n % 10 == 1)
        .then(pl.lit(dt.date(2013, 11, 30)))
        .when(n % 10 == 2)
        .then(pl.lit(dt.date(2015, 2, 28)))
        .alias("unemployed_since"),
        every(13, True, unknown=29).otherwise(False).alias("zero_employment_family"),
        every(17, True, unknown=37).otherwise(False).alias("disability_certificate"),
        every(19, True, unknown=23).otherwise(False).alias("minimum_living_allowance"),
        every(11, True, unknown=31)
        .otherwise(False)
        .alias("employment_difficulty_identified"),
        every(11, (n // 11) % 48).alias("community_post_months"),
        pl.when(n % 5 == 0)
        .then(pl.col("resident_since").dt.offset_by("-100d"))
        .alias("works_in_city_since"),
        # Unknown facts, so that the rules' three-valued paths are compared too.
        pl.when(pl.col("veteran").is_not_null() & (n % 2 == 0))
        .then(None)
        .otherwise(pl.col("hukou"))
        .alias("hukou"),
    ).with_columns(
        *[
            pl.when(n % k == 0).then(None).otherwise(pl.col(name)).alias(name)
            for name, k in (
                ("hukou", 37),
                ("school_stage", 41),
                ("birth_date", 43),
                ("resident_since", 47),
                ("hukou_kind", 53),
                ("low_income", 59),
                ("points", 3),
            )
        ],
    )
    persons.write_parquet(directory / "persons.parquet", row_group_size=8_000)
    households = pl.read_parquet(population / "households.parquet")
    m = pl.int_range(pl.len())
    households.with_columns(
        pl.when(m % 7 == 0).then(None).otherwise(pl.col("size")).alias("size"),
        pl.when(m % 11 == 0)
        .then(None)
        .otherwise(pl.col("annual_income"))
        .alias("annual_income"),
    ).write_parquet(directory / "households.parquet")
    return directory


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_the_floor_writes_what_simulate_writes(plan, fuller, day, tmp_path):
    simulated = simulate(
        date=day, population=fuller, out=tmp_path / "simulate", plan=plan
    )
    _floor_module().floor(date=day, population=fuller, out=tmp_path / "floor")

    for name in ("persons", "households", "costs"):
        expected = pl.read_parquet(tmp_path / "simulate" / f"{name}.parquet")
        written = pl.read_parquet(tmp_path / "floor" / f"{name}.parquet")
        assert_frame_equal(written, expected, check_exact=True)
    assert (tmp_path / "floor" / "costs.csv").read_text(encoding="utf-8") == (
        tmp_path / "simulate" / "costs.csv"
    ).read_text(encoding="utf-8")
    totals = json.loads((tmp_path / "floor" / "summary.json").read_text())["totals"]
    assert totals == json.loads(simulated.files["summary"].read_text())["totals"]

    # The comparison is not vacuous: every programme has eligible persons or
    # households, and every eligibility true, false and undetermined ones.
    assert [t["programme"] for t in totals if t["eligible"] == 0] == []
    persons = pl.read_parquet(tmp_path / "floor" / "persons.parquet")
    assert persons.height == simulated.persons
    counts = persons.select(
        pl.col(pl.Boolean).sum().name.suffix(":true"),
        pl.col(pl.Boolean).not_().sum().name.suffix(":false"),
        pl.col(pl.Boolean).null_count().name.suffix(":unknown"),
    ).row(0, named=True)
    households = pl.read_parquet(tmp_path / "floor" / "households.parquet")
    counts |= households.select(
        pl.col(pl.Boolean).sum().name.suffix(":true"),
        pl.col(pl.Boolean).not_().sum().name.suffix(":false"),
        pl.col(pl.Boolean).null_count().name.suffix(":unknown"),
    ).row(0, named=True)
    # Long-term unemployment is never unknown (no registration is none, 3.7), and
    # a household with no member registered is a migrant one.
    never = {"difficulty_long_term:unknown", "household_registered:unknown"}
    assert sorted(name for name, count in counts.items() if count == 0) == sorted(never)
