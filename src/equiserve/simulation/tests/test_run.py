"""Population runs: the table is the engine's answers summed, batches change nothing."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import polars as pl
import pyarrow.parquet as pq
import pytest
from polars.testing import assert_frame_equal

from equiserve.simulation.programmes import round_half_up
from equiserve.simulation.run import (
    CrossBatch,
    check_guardians,
    plan_batches,
    simulate,
)
from equiserve.simulation.run import summary as run_summary

DAY = dt.date(2015, 7, 1)
# Unit costs in force on DAY (parameters/costs/), in fen.
STUDENT_INSURANCE = 38_000
FUNERAL_BASIC, STORAGE_DAY, ASH_YEAR = 150_000, 10_000, 10_000
PREPREGNANCY_CHECK = 12_000  # × take-up 0.05
HOUSING = 600_000


def _table_cells(table: pl.DataFrame, programme: str) -> dict:
    rows = table.filter(pl.col("programme") == programme)
    return {
        (r["town"], r["group"]): (r["population"], r["eligible"], r["cost"])
        for r in rows.iter_rows(named=True)
    }


def test_the_table_is_the_direct_evaluation_summed_by_hand(plan, population, tmp_path):
    result = simulate(
        date=DAY, population=population, out=tmp_path, plan=plan, batch_rows=8_000
    )
    assert result.batches > 1 and result.notes == []
    persons = pl.read_parquet(population / "persons.parquet")
    households = pl.read_parquet(population / "households.parquet")
    direct = plan.evaluate(persons, households, date=DAY)

    counted = defaultdict(
        lambda: [0, 0, 0]
    )  # (programme, town, group) -> n, eligible, fen
    people = direct.persons.join(
        persons.select("id", "town", "hukou"), on="id", how="left"
    )
    for row in people.iter_rows(named=True):
        group = "registered" if row["hukou"] == "zhongshan" else "migrant"
        funeral = (
            FUNERAL_BASIC
            + STORAGE_DAY * row["funeral_free_storage_days"]
            + ASH_YEAR * row["funeral_free_ash_storage_years"]
        )
        for programme, eligible, fen in (
            ("student_insurance", row["student_insurance_eligible"], STUDENT_INSURANCE),
            ("veteran_grant", row["veteran_grant_eligible"], row["veteran_grant"]),
            ("funeral", row["funeral_eligible"], funeral),
            ("prepregnancy_check", row["prepregnancy_check_free"], PREPREGNANCY_CHECK),
        ):
            cell = counted[(programme, row["town"], group)]
            cell[0] += 1
            if eligible:
                cell[1] += 1
                cell[2] += fen
    homes = direct.households.join(households.select("id", "town"), on="id", how="left")
    for row in homes.iter_rows(named=True):
        group = "registered" if row["household_registered"] else "migrant"
        cell = counted[("public_rental_housing", row["town"], group)]
        cell[0] += 1
        if row["public_rental_housing_eligible"]:
            cell[1] += 1
            cell[2] += HOUSING

    checked = 0
    for programme in (
        "student_insurance",
        "veteran_grant",
        "funeral",
        "prepregnancy_check",
        "public_rental_housing",
    ):
        cells = _table_cells(result.table, programme)
        expected = {
            (town, group): value
            for (name, town, group), value in counted.items()
            if name == programme
        }
        assert set(cells) == set(expected)
        for key, (population_count, eligible, fen) in expected.items():
            if programme == "prepregnancy_check":
                fen = round_half_up(fen / 20)  # take-up 0.05, rounded once per cell
            assert cells[key] == (population_count, eligible, Decimal(fen) / 100), key
            checked += 1
    assert checked > 150
    table = result.table
    assert table.filter(pl.col("programme") == "funeral")["population"].sum() == 39_696
    assert (
        table.filter(pl.col("programme") == "public_rental_housing")["population"].sum()
        == 15_359
    )

    written = pl.read_parquet(tmp_path / "persons.parquet")
    outputs = direct.person_outputs
    assert_frame_equal(
        written.select("id", *outputs).sort("id"),
        direct.persons.select("id", *outputs).sort("id"),
    )
    assert pq.ParquetFile(tmp_path / "persons.parquet").metadata.num_row_groups == (
        result.batches
    )
    assert (
        (tmp_path / "costs.csv")
        .read_text(encoding="utf-8")
        .startswith(
            "programme,clause,department,basis,unit,town,town_zh,town_en,group,"
            "population,eligible,undetermined,coverage,cost,cost_missing\n"
        )
    )


def test_undetermined_people_are_counted_apart_not_as_eligible(
    plan, population, tmp_path
):
    """Issue 12, point 4: a run reports who it cannot decide instead of guessing."""
    persons = pl.read_parquet(population / "persons.parquet")
    dead = persons.filter(pl.col("death").is_not_null())
    unknown = set(dead["id"].head(40))  # their registration and income not held
    blanked = persons.with_columns(
        [
            pl.when(pl.col("id").is_in(list(unknown)))
            .then(None)
            .otherwise(pl.col(column))
            .alias(column)
            for column in ("hukou", "low_income")
        ]
    )
    directory = tmp_path / "population"
    directory.mkdir()
    blanked.write_parquet(directory / "persons.parquet")
    (directory / "households.parquet").write_bytes(
        (population / "households.parquet").read_bytes()
    )
    direct = plan.evaluate(blanked, date=DAY, outputs=["funeral_eligible"])
    expected = direct.persons.filter(pl.col("funeral_eligible").is_null()).height
    assert expected > 0
    before = plan.evaluate(persons, date=DAY, outputs=["funeral_eligible"])
    result = simulate(date=DAY, population=directory, out=tmp_path / "out", plan=plan)
    rows = result.table.filter(pl.col("programme") == "funeral")
    assert rows["undetermined"].sum() == expected
    # Those people left the eligible count instead of being counted eligible.
    assert rows["eligible"].sum() == (
        before.persons["funeral_eligible"].sum()
        - before.persons.filter(pl.col("id").is_in(list(unknown)))[
            "funeral_eligible"
        ].sum()
    )
    assert rows.filter(pl.col("group") == "unknown")["undetermined"].sum() == expected
    totals = {entry["programme"]: entry for entry in run_summary(result)["totals"]}
    assert totals["funeral"]["undetermined"] == expected


def test_the_reform_difference_is_reform_minus_baseline(plan, population, tmp_path):
    reform = tmp_path / "reform.yaml"
    reform.write_text(
        "name: stricter-guardian-points\n"
        "parameters:\n"
        '  student_insurance.minimum_guardian_points: {"2014-01-01": 150}\n'
        '  costs.student_insurance_subsidy_per_pupil_year: {"2014-01-01": 500}\n',
        encoding="utf-8",
    )
    result = simulate(
        date=DAY, population=population, out=tmp_path / "out", plan=plan, reform=reform
    )
    persons = pl.read_parquet(population / "persons.parquet")
    baseline = plan.evaluate(persons, date=DAY, outputs=["student_insurance_eligible"])
    changed = plan.evaluate(
        persons,
        date=DAY,
        outputs=["student_insurance_eligible"],
        overrides={"student_insurance.minimum_guardian_points": {"2014-01-01": 150}},
    )
    n_base = baseline.persons["student_insurance_eligible"].sum()
    n_reform = changed.persons["student_insurance_eligible"].sum()
    assert 0 < n_reform < n_base

    rows = result.table.filter(pl.col("programme") == "student_insurance")
    assert rows["eligible_baseline"].sum() == n_base
    assert rows["eligible_reform"].sum() == n_reform
    assert (
        rows["eligible_difference"]
        == rows["eligible_reform"] - rows["eligible_baseline"]
    ).all()
    assert (
        rows["cost_difference"] == rows["cost_reform"] - rows["cost_baseline"]
    ).all()
    assert sum(rows["cost_difference"].to_list()) == Decimal(
        n_reform * 500 - n_base * 380
    )
    others = result.table.filter(pl.col("programme") != "student_insurance")
    assert others["eligible_difference"].abs().sum() == 0
    assert set(others["cost_difference"].to_list()) == {Decimal("0.00")}

    reformed = pl.read_parquet(tmp_path / "out" / "reform_persons.parquet")
    assert_frame_equal(
        reformed.select("id", "student_insurance_eligible").sort("id"),
        changed.persons.select("id", "student_insurance_eligible").sort("id"),
    )


def test_a_batch_holds_its_guardians_only_when_every_one_named_is_in_it():
    # Two wards of one guardian, and one guardian named by nobody.
    batch = pl.DataFrame(
        {"id": ["a", "b", "c", "d"], "guardian": [None, "a", "a", "b"]}
    )
    check_guardians(batch)
    with pytest.raises(CrossBatch):
        check_guardians(batch.vstack(pl.DataFrame({"id": ["e"], "guardian": ["x"]})))
    check_guardians(batch.drop("guardian"))


def _write_persons(path, rows, row_group_size):
    frame = pl.DataFrame(rows)
    pq.write_table(frame.to_arrow(), path, row_group_size=row_group_size)


def test_a_guardian_in_another_batch_is_evaluated_in_one_pass(plan, tmp_path):
    population = tmp_path / "pop"
    population.mkdir()
    base = {
        "birth_date": dt.date(1980, 1, 1),
        "hukou": "elsewhere",
        "town": "442000001",
    }
    _write_persons(
        population / "persons.parquet",
        [
            {
                **base,
                "id": "a",
                "household": "h1",
                "points": 180,
                "guardian": None,
                "school_stage": "none",
            },
            {
                **base,
                "id": "b",
                "household": "h2",
                "birth_date": dt.date(2007, 9, 1),
                "school_stage": "primary",
                "points": None,
                "guardian": "a",
            },
        ],
        row_group_size=1,
    )
    assert len(plan_batches(population / "persons.parquet", target=1)) == 2
    result = simulate(
        date=DAY, population=population, out=tmp_path / "out", plan=plan, batch_rows=1
    )
    assert result.batches == 1
    assert result.notes == [
        "a guardian lives outside their ward's batch: evaluated in one pass"
    ]
    written = pl.read_parquet(tmp_path / "out" / "persons.parquet")
    assert written.select("id", "student_insurance_eligible").rows() == [
        ("a", False),
        ("b", True),
    ]


def test_row_groups_sharing_a_household_are_evaluated_in_one_pass(plan, tmp_path):
    population = tmp_path / "pop"
    population.mkdir()
    rows = [
        {"id": name, "household": household, "hukou": "zhongshan"}
        for name, household in (("a", "h2"), ("b", "h1"), ("c", "h2"))
    ]
    _write_persons(population / "persons.parquet", rows, row_group_size=1)
    assert plan_batches(population / "persons.parquet", target=1) is None
    result = simulate(
        date=DAY, population=population, out=tmp_path / "out", plan=plan, batch_rows=1
    )
    assert result.notes == [
        "the persons file's row groups overlap in households: evaluated in one pass"
    ]
    homes = pl.read_parquet(tmp_path / "out" / "households.parquet")
    assert sorted(homes.select("id", "household_size").rows()) == [("h1", 1), ("h2", 2)]


def test_batches_cover_the_file_in_whole_households(population):
    batches = plan_batches(population / "persons.parquet", target=8_000)
    assert [b.offset for b in batches] == [0] + [
        b.offset + b.rows for b in batches[:-1]
    ]
    assert sum(b.rows for b in batches) == 39_696
    assert batches[0].lower is None and batches[-1].upper is None
    assert all(a.upper == b.lower for a, b in zip(batches, batches[1:], strict=False))
    assert all(b.rows >= 8_000 for b in batches[:-1])


def test_a_missing_population_is_a_clear_error(plan, tmp_path):
    with pytest.raises(ValueError, match="persons.parquet not found"):
        simulate(date=DAY, population=tmp_path, out=tmp_path / "out", plan=plan)
