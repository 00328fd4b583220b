"""Compute by hand, in plain Polars, every output `equiserve simulate` writes (issue 20).

The floor simulate is measured against: the 27 person and 5 household outputs of
the Zhongshan plan and the cost and coverage table, read from the same population
files and written as the same files (persons.parquet, households.parquet,
costs.parquet, costs.csv and the summary's totals), each output one Polars
expression written out here, with none of the engine's machinery (no plan load,
no formulas, no compilation, no batches, no three-valued bookkeeping beyond what
the values need).

It is a measuring stick, not a second description of the plan: the rules live in
plans/zhongshan_2014/rules/, and this file only restates, for one run date inside
the plan's period (2014 to 2016), what they compute there. The parameter values
are read from the plan's parameter files, the costed programmes from
programmes.yaml and the hospital grades' order from inputs.yaml, not retyped.
`src/equiserve/simulation/tests/test_floor.py` holds it to simulate's outputs,
row for row and to the fen; if a rule changes, that test fails and this file
follows.

    .venv/bin/python bench/floor_simulate.py DATE POPULATION OUT
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import polars as pl
import yaml

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "plans" / "zhongshan_2014"
TOWNS_CSV = ROOT / "src" / "equiserve" / "reference" / "towns.csv"
GROUP_ORDER = {"registered": 0, "migrant": 1, "unknown": 2}


# ----------------------------------------------------------------- the plan's data
@functools.cache  # each file parsed once: the floor should not pay twice
def _yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _values(name: str) -> list[tuple[Any, Any]]:
    """Return a parameter's (start, value) pairs, oldest first."""
    document = _yaml(PLAN / "parameters" / (name.replace(".", "/") + ".yaml"))
    pairs = [(start, entry["value"]) for start, entry in document["values"].items()]
    return sorted(pairs, key=lambda pair: str(pair[0]))


def value(name: str, day: dt.date) -> Any:
    """Return the value of parameter `name` in force on `day` (None if none)."""
    found = None
    for start, item in _values(name):
        if start <= day:
            found = item
    return found


def fen(amount: Any) -> int:
    """Return a CNY amount of a parameter file as integer fen."""
    return int((Decimal(str(amount)) * 100).to_integral_value())


def ratio(amount: Any) -> Fraction:
    return Fraction(Decimal(str(amount)))


def by_year(name: str) -> dict[int, int]:
    """Return a yearly money series as {year: fen}."""
    return {int(year): fen(item) for year, item in _values(name) if item is not None}


def town_names() -> dict[str, tuple[str, str]]:
    with TOWNS_CSV.open(encoding="utf-8", newline="") as handle:
        return {
            row["code_9"]: (row["short_name_zh"], row["name_en"])
            for row in csv.DictReader(handle)
        }


def costed_programmes() -> list[dict[str, Any]]:
    """Return the programmes with a budget, in programmes.yaml's order."""
    return [p for p in _yaml(PLAN / "programmes.yaml")["programmes"] if "budget" in p]


def enum_values(entity: str, *path: str) -> list[str]:
    node = _yaml(PLAN / "inputs.yaml")[entity]
    for key in path:
        node = node[key] if key == path[0] else node["fields"][key]
    return [str(code) for code in node["values"]]


# ------------------------------------------------------------------ the outputs
def mul_fraction(money: pl.Expr, factor: Fraction) -> pl.Expr:
    """Return fen × factor, rounded half up to the fen."""
    if factor.denominator == 1:
        return money * factor.numerator
    return (money * (2 * factor.numerator) + factor.denominator) // (
        2 * factor.denominator
    )


def _given(schema: pl.Schema, name: str) -> pl.Expr:
    """Return whether a nested object (``veteran``) was given."""
    return pl.col(name).is_not_null() if name in schema else pl.lit(False)


def _field(schema: pl.Schema, name: str, dtype: pl.DataType) -> pl.Expr:
    """Return a struct field (``veteran.kind``) or a flat column, null when absent."""
    if "." in name:
        struct, key = name.split(".")
        if struct in schema and key in {f.name for f in schema[struct].fields}:
            return pl.col(struct).struct.field(key).cast(dtype)
        return pl.lit(None, dtype=dtype)
    found = pl.col(name).cast(dtype) if name in schema else pl.lit(None, dtype=dtype)
    return found.alias(name)


def _veteran_grant(day: dt.date) -> tuple[pl.Expr, pl.Expr]:
    """Return the base grant and the NCO supplement, by the standard on discharge."""
    names = (
        "veteran.grant_multiple_conscript",
        "veteran.grant_multiple_demobilized_nco",
        "veteran.grant_multiple_transferred_nco",
        "veteran.rural_conscript_share",
        "veteran.nco_months_per_year",
    )
    starts = sorted({start for name in names for start, _ in _values(name)})
    discharged, kind = pl.col("veteran_discharged"), pl.col("veteran_kind")
    wage, monthly = pl.col("veteran_annual_wage"), pl.col("veteran_monthly_wage")
    base = supplement = None
    for start in reversed(starts):
        conscript = ratio(value(names[0], start))
        share = ratio(value(names[3], start))
        by_kind = pl.when(kind == "conscript")
        if share != 1:
            by_kind = by_kind.then(
                pl.when(pl.col("hukou_kind") == "rural")
                .then(mul_fraction(wage, conscript * share))
                .when(pl.col("hukou_kind") == "urban")
                .then(mul_fraction(wage, conscript))
            )
        else:
            by_kind = by_kind.then(mul_fraction(wage, conscript))
        by_kind = (
            by_kind.when(kind == "demobilized_nco")
            .then(mul_fraction(wage, ratio(value(names[1], start))))
            .when(kind == "transferred_nco")
            .then(mul_fraction(wage, ratio(value(names[2], start))))
        )
        per_year = mul_fraction(monthly, ratio(value(names[4], start)))
        on = discharged >= start
        base = (pl.when if base is None else base.when)(on).then(by_kind)
        supplement = (pl.when if supplement is None else supplement.when)(on).then(
            per_year
        )
    return base, supplement


def _free_up_to(used: pl.Expr, free) -> pl.Expr:
    """The free part of a service used: all of the free allowance when the use is unknown."""
    return pl.when(used.is_null()).then(free).otherwise(pl.min_horizontal(used, free))


def persons_query(scan: pl.LazyFrame, day: dt.date) -> pl.LazyFrame:
    """Return the persons' 27 outputs, with id, household, town and hukou."""
    s = scan.collect_schema()
    date = pl.lit(day)
    birth = pl.col("birth_date")
    age = (
        day.year
        - birth.dt.year().cast(pl.Int64)
        - (
            (birth.dt.month().cast(pl.Int64) * 100 + birth.dt.day())
            > day.month * 100 + day.day
        ).cast(pl.Int64)
    )
    towns = sorted(town_names())
    grades = enum_values("person", "t1d", "hospital_grade")
    lowest = grades.index(value("health.t1d_minimum_hospital_grade", day))
    wages = by_year("statistics.average_annual_wage")
    nco = ["demobilized_nco", "transferred_nco"]
    base, supplement = _veteran_grant(day)
    share = ratio(value("veteran.family_allowance_rural_share", day))
    allowance = pl.lit(
        fen(value("veteran.family_allowance_per_year", day)), dtype=pl.Int64
    )
    if share != 1:
        allowance = (
            pl.when(pl.col("hukou_kind") == "rural")
            .then(mul_fraction(allowance, share))
            .when(pl.col("hukou_kind") == "urban")
            .then(allowance)
        )

    def months_on(since: pl.Expr, parameter: str) -> pl.Expr:
        months = int(value(parameter, day))
        return since.dt.offset_by(f"{months}mo") if months else since

    def gated(eligible: str, amount: pl.Expr) -> pl.Expr:
        return pl.when(pl.col(eligible).is_not_null()).then(amount)

    storage, ash = pl.col("death_storage_days"), pl.col("death_ash_storage_years")
    free_days = value("funeral.free_storage_days", day)
    free_years = value("funeral.free_ash_storage_years", day)
    sex = pl.col("sex")
    unemployed = pl.col("unemployed_since")

    def enum(name: str, *path: str) -> pl.Expr:
        return pl.col(name).cast(pl.Enum(enum_values("person", *path)))

    inputs = [
        pl.col("id"),
        pl.col("household"),
        pl.col("town").cast(pl.Enum(towns)),
        # Enums compare as small integers: the codes are the plan's inputs.yaml's.
        enum("hukou", "hukou"),
        enum("hukou_kind", "hukou_kind"),
        enum("sex", "sex"),
        enum("school_stage", "school_stage"),
        age.alias("age"),
        pl.col("resident_since"),
        _field(s, "works_in_city_since", pl.Date),
        pl.col("low_income"),
        _field(s, "one_child_parent", pl.Boolean),
        _given(s, "veteran").alias("veteran_given"),
        _field(
            s, "veteran.kind", pl.Enum(enum_values("person", "veteran", "kind"))
        ).alias("veteran_kind"),
        _field(s, "veteran.discharged", pl.Date).alias("veteran_discharged"),
        _field(s, "veteran.nco_years", pl.Int64).alias("veteran_nco_years"),
        _given(s, "conscription").alias("conscription_given"),
        _field(s, "conscription.enlisted", pl.Date).alias("conscription_enlisted"),
        _given(s, "t1d").alias("t1d_given"),
        _field(s, "t1d.diagnosed", pl.Date).alias("t1d_diagnosed"),
        _field(s, "t1d.hospital_grade", pl.Enum(grades)).alias("t1d_hospital_grade"),
        _given(s, "death").alias("death_given"),
        _field(s, "death.date", pl.Date).alias("death_date"),
        _field(s, "death.storage_days", pl.Int64).alias("death_storage_days"),
        _field(s, "death.ash_storage_years", pl.Int64).alias("death_ash_storage_years"),
        _given(s, "hardship").alias("hardship_given"),
        _field(
            s, "hardship.cause", pl.Enum(enum_values("person", "hardship", "cause"))
        ).alias("hardship_cause"),
        _field(s, "hardship.date", pl.Date).alias("hardship_date"),
        _field(s, "unemployed_since", pl.Date),
        _field(s, "zero_employment_family", pl.Boolean),
        _field(s, "disability_certificate", pl.Boolean),
        _field(s, "minimum_living_allowance", pl.Boolean),
        _field(s, "employment_difficulty_identified", pl.Boolean),
        _field(s, "community_post_months", pl.Int64),
    ]
    guardians = scan.select(
        pl.col("id").alias("guardian"), pl.col("points").alias("guardian_points")
    ).join(
        scan.select(pl.col("guardian").drop_nulls().unique()), on="guardian", how="semi"
    )
    frame = scan.select(*inputs, pl.col("guardian")).join(
        guardians, on="guardian", how="left", maintain_order="left"
    )
    age = pl.col("age")
    hukou, stage = pl.col("hukou"), pl.col("school_stage")
    registered = hukou == "zhongshan"
    migrant = hukou == "elsewhere"
    hardship_days = (date - pl.col("hardship_date")).dt.total_days()
    in_city = pl.min_horizontal("resident_since", "works_in_city_since")
    kind, discharged = pl.col("veteran_kind"), pl.col("veteran_discharged")
    death = pl.col("death_date")
    first = [
        pl.all_horizontal(registered, stage == "kindergarten").alias(
            "preschool_subsidy_eligible"
        ),
        pl.all_horizontal(
            stage == "vocational",
            registered
            | bool(value("education.vocational_free_tuition_covers_migrants", day)),
        ).alias("vocational_tuition_free"),
        pl.all_horizontal(
            registered,
            pl.col("t1d_given"),
            pl.col("t1d_diagnosed") <= date,
            pl.col("t1d_hospital_grade").is_in(grades[lowest:]),
        ).alias("t1d_free_care_eligible"),
        pl.all_horizontal(
            registered,
            pl.col("one_child_parent"),
            age >= value("family_planning.reward_minimum_age", day),
        ).alias("family_planning_reward_eligible"),
        pl.all_horizontal(
            migrant,
            months_on(
                pl.col("resident_since"),
                "family_planning.prepregnancy_minimum_residence_months",
            )
            <= date,
            age.is_between(
                value("family_planning.prepregnancy_minimum_age", day),
                value("family_planning.prepregnancy_maximum_age", day),
            ),
        ).alias("prepregnancy_check_free"),
        pl.all_horizontal(
            migrant,
            months_on(
                pl.col("resident_since"),
                "family_planning.migrant_services_minimum_residence_months",
            )
            <= date,
            age >= value("family_planning.migrant_services_minimum_age", day),
        ).alias("migrant_family_planning_free"),
        pl.all_horizontal(
            migrant,
            pl.col("hardship_cause").is_in(list(value("hardship.sudden_causes", day))),
            pl.col("hardship_given") & (hardship_days >= 0),
            hardship_days <= value("hardship.relief_window_days", day),
            (pl.col("hardship_date") - in_city).dt.total_days()
            >= value("hardship.minimum_days_in_city", day),
        ).alias("hardship_relief_eligible"),
        pl.all_horizontal(
            migrant,
            stage.is_in(list(value("student_insurance.school_stages", day))),
            pl.when(pl.col("guardian").is_not_null()).then(True),
            pl.col("guardian_points")
            >= float(value("student_insurance.minimum_guardian_points", day)),
        ).alias("student_insurance_eligible"),
        (discharged.dt.year().cast(pl.Int64) - 1)
        .replace_strict(wages, default=None, return_dtype=pl.Int64)
        .alias("veteran_annual_wage"),
        pl.all_horizontal(
            pl.col("veteran_given") & kind.is_in(["conscript", *nco]),
            registered,
            discharged <= date,
            discharged >= value("veteran.discharged_from", day),
        ).alias("veteran_grant_eligible"),
        pl.all_horizontal(
            pl.col("conscription_given") & (pl.col("conscription_enlisted") <= date),
            ~pl.col("veteran_given") | (discharged > date),
            registered,
        ).alias("conscript_family_allowance_eligible"),
        pl.all_horizontal(
            pl.col("death_given") & (death <= date),
            death >= value("funeral.deaths_from", day),
            hukou.is_in(list(value("funeral.eligible_hukou", day)))
            | pl.col("low_income"),
        ).alias("funeral_eligible"),
        (
            age
            >= pl.when(sex == "F")
            .then(value("employment.difficulty_min_age_women", day))
            .when(sex == "M")
            .then(value("employment.difficulty_min_age_men", day))
        ).alias("difficulty_by_age"),
        (
            unemployed.is_not_null()
            & (
                months_on(unemployed, "employment.long_term_unemployed_months") <= date
            ).fill_null(False)
        ).alias("difficulty_long_term"),
        (
            pl.col("disability_certificate")
            & bool(value("employment.difficulty_covers_disabled", day))
        ).alias("difficulty_disabled"),
        (
            pl.col("minimum_living_allowance")
            & bool(value("employment.difficulty_covers_minimum_living_allowance", day))
        ).alias("difficulty_minimum_living_allowance"),
        pl.all_horizontal(
            pl.col("employment_difficulty_identified"),
            pl.col("community_post_months") >= 1,
        ).alias("community_employment_subsidy_eligible"),
    ]
    difficulty = pl.any_horizontal(
        "difficulty_by_age",
        "difficulty_long_term",
        "zero_employment_family",
        "low_income",
        "difficulty_disabled",
        "difficulty_minimum_living_allowance",
    )
    second = [
        gated(
            "family_planning_reward_eligible",
            pl.when(pl.col("family_planning_reward_eligible"))
            .then(pl.lit(fen(value("family_planning.reward_standard", day)), pl.Int64))
            .otherwise(0),
        ).alias("family_planning_reward"),
        ((pl.col("veteran_annual_wage") * 2 + 12) // 24).alias("veteran_monthly_wage"),
        gated(
            "conscript_family_allowance_eligible",
            pl.when(pl.col("conscript_family_allowance_eligible"))
            .then(allowance)
            .otherwise(0),
        ).alias("conscript_family_allowance"),
        gated(
            "funeral_eligible",
            pl.when(pl.col("funeral_eligible"))
            .then(_free_up_to(storage, free_days))
            .otherwise(0),
        ).alias("funeral_free_storage_days"),
        gated(
            "funeral_eligible",
            pl.when(pl.col("funeral_eligible"))
            .then(_free_up_to(ash, free_years))
            .otherwise(0),
        ).alias("funeral_free_ash_storage_years"),
        gated(
            "funeral_eligible",
            pl.when(pl.col("funeral_eligible"))
            .then(
                pl.lit(list(value("funeral.services", day)), dtype=pl.List(pl.String))
            )
            .otherwise(pl.lit([], dtype=pl.List(pl.String))),
        ).alias("funeral_free_items"),
        difficulty.alias("employment_difficulty"),
        gated(
            "community_employment_subsidy_eligible",
            fen(value("employment.community_subsidy_per_month", day))
            * pl.min_horizontal(
                pl.col("community_post_months"),
                value("employment.community_subsidy_max_months", day),
            ),
        ).alias("community_employment_subsidy"),
    ]
    third = [
        gated(
            "veteran_grant_eligible",
            pl.when(pl.col("veteran_grant_eligible"))
            .then(
                base
                + pl.when(kind.is_in(nco))
                .then(pl.col("veteran_nco_years").fill_null(0) * supplement)
                .otherwise(0)
            )
            .otherwise(0),
        ).alias("veteran_grant"),
        pl.all_horizontal(
            unemployed.is_not_null() & (unemployed <= date).fill_null(False),
            pl.col("employment_difficulty"),
        ).alias("employment_assistance_eligible"),
    ]
    return (
        frame.with_columns(first)
        .with_columns(second)
        .with_columns(third)
        .select(
            "id",
            "household",
            "town",
            "hukou",
            "preschool_subsidy_eligible",
            "vocational_tuition_free",
            "t1d_free_care_eligible",
            "family_planning_reward_eligible",
            "family_planning_reward",
            "prepregnancy_check_free",
            "migrant_family_planning_free",
            "hardship_relief_eligible",
            "student_insurance_eligible",
            "veteran_annual_wage",
            "veteran_monthly_wage",
            "veteran_grant_eligible",
            "veteran_grant",
            "conscript_family_allowance_eligible",
            "conscript_family_allowance",
            "funeral_eligible",
            "funeral_free_storage_days",
            "funeral_free_ash_storage_years",
            "funeral_free_items",
            "difficulty_by_age",
            "difficulty_long_term",
            "difficulty_disabled",
            "difficulty_minimum_living_allowance",
            "employment_difficulty",
            "employment_assistance_eligible",
            "community_employment_subsidy_eligible",
            "community_employment_subsidy",
        )
    )


def households_query(
    scan: pl.LazyFrame, persons: pl.LazyFrame, day: dt.date
) -> pl.LazyFrame:
    """Return the households' 5 outputs, with id and town."""
    schema = scan.collect_schema()
    members = (
        persons.filter(pl.col("household").is_not_null())
        .group_by("household")
        .agg(
            pl.len().alias("members"),
            (pl.col("hukou") == "zhongshan").any().alias("household_registered"),
            ((pl.col("hukou") == "zhongshan") & (pl.col("hukou_kind") == "urban"))
            .any()
            .alias("urban"),
            pl.col("points").max().alias("best_points"),
        )
    )
    money = {
        name: (pl.col(name) * 100).round(0).cast(pl.Int64)
        if name in schema
        else pl.lit(None, dtype=pl.Int64)
        for name in ("annual_income", "assets")
    }
    frame = (
        scan.select(
            "id",
            "town",
            _field(schema, "size", pl.Int64),
            money["annual_income"].alias("annual_income"),
            money["assets"].alias("assets"),
            _field(schema, "floor_area_m2", pl.Float64),
        )
        .join(
            members.rename({"household": "id"}),
            on="id",
            how="left",
            maintain_order="left",
        )
        .with_columns(
            pl.col("members").fill_null(0),
            pl.col("urban", "household_registered").fill_null(False),
        )
        .with_columns(
            pl.when(pl.col("size").is_not_null())
            .then(pl.col("size"))
            .when(pl.col("members") > 0)
            .then(pl.col("members").cast(pl.Int64))
            .alias("household_size"),
        )
    )
    size = pl.col("household_size")
    safe = pl.when(size > 0).then(size)
    registered = pl.col("household_registered")
    income, area, assets = (
        pl.col("annual_income"),
        pl.col("floor_area_m2"),
        pl.col("assets"),
    )
    quota = by_year("housing.migrant_annual_quota").get(day.year)

    def limits(prefix: str, route: pl.Expr) -> list[pl.Expr]:
        name = f"housing.{prefix}"
        return [
            ~route
            | (
                income
                <= fen(value(f"{name}income_limit_per_person_month", day)) * 12 * size
            ),
            ~route
            | (area <= float(value(f"{name}floor_area_limit_per_person", day)) * size),
            ~(route & assets.is_not_null())
            | (assets <= fen(value(f"{name}asset_limit", day))),
        ]

    eligible = pl.all_horizontal(
        size >= 1,
        ~registered | pl.col("urban"),
        *limits("", registered),
        *limits("migrant_", ~registered),
        # The best points of a household none of whose members has points is
        # unknown through no fact of its own: the condition fails.
        (
            registered
            | (
                pl.col("best_points")
                >= float(value("housing.migrant_minimum_points", day))
            )
        ).fill_null(False),
        registered | pl.lit(bool(quota and quota > 0)),
    )
    return frame.select(
        "id",
        pl.when(size > 0)
        .then((income * 2 + 12 * safe) // (24 * safe))
        .alias("household_income_per_person_month"),
        pl.when(size > 0).then(area / safe).alias("household_floor_area_per_person"),
        eligible.alias("public_rental_housing_eligible"),
        size,
        registered,
        pl.col("town").cast(pl.String),
    )


# ------------------------------------------------------------ the cost table
def _group(key: str, registered: Any, migrant: Any) -> pl.Expr:
    return (
        pl.when(pl.col(key) == registered)
        .then(pl.lit("registered"))
        .when(pl.col(key) == migrant)
        .then(pl.lit("migrant"))
        .otherwise(pl.lit("unknown"))
    )


def cost_table(
    persons: pl.DataFrame, households: pl.DataFrame, day: dt.date
) -> pl.DataFrame:
    """Return the cost and coverage table: programme × town × registered/migrant."""
    listed = costed_programmes()
    names = town_names()
    parts = []
    for entity, frame, key, registered, migrant in (
        ("person", persons, "hukou", "zhongshan", "elsewhere"),
        ("household", households, "household_registered", True, False),
    ):
        mine = [p for p in listed if p["entity"] == entity]
        aggregations = [pl.len().alias("population")]
        for item in mine:
            budget = item["budget"]
            eligible = pl.col(item["eligible"])
            cost = pl.col(item["amount"]) if item.get("amount") else pl.lit(0, pl.Int64)
            if budget.get("unit_cost"):
                cost = cost + pl.lit(fen(value(budget["unit_cost"], day)), pl.Int64)
            for per in budget.get("per", []):
                cost = cost + pl.col(per["count"]) * fen(value(per["cost"], day))
            code = item["code"]
            aggregations += [
                eligible.fill_null(False).sum().alias(f"{code}:eligible"),
                eligible.is_null().sum().alias(f"{code}:undetermined"),
                pl.when(eligible).then(cost).otherwise(0).sum().alias(f"{code}:fen"),
                (eligible.fill_null(False) & cost.is_null())
                .sum()
                .alias(f"{code}:missing"),
            ]
        # Group by the raw keys (Enums), then label the few cells: each key
        # value is one group.
        cells = (
            frame.group_by("town", key)
            .agg(aggregations)
            .with_columns(
                pl.col("town").cast(pl.String),
                _group(key, registered, migrant).alias("group"),
            )
        )
        for item in mine:
            code = item["code"]
            take_up = budget_take_up(item, day)
            fen_sum = pl.col(f"{code}:fen")
            if take_up != 1:
                fen_sum = (fen_sum * (2 * take_up.numerator) + take_up.denominator) // (
                    2 * take_up.denominator
                )
            parts.append(
                cells.select(
                    pl.lit(code).alias("programme"),
                    pl.lit(str(item["clause"])).alias("clause"),
                    pl.lit(item["lead"]).alias("department"),
                    pl.lit(item["budget"]["basis"]).alias("basis"),
                    pl.lit("households" if entity == "household" else "persons").alias(
                        "unit"
                    ),
                    "town",
                    pl.col("town")
                    .replace_strict({k: v[0] for k, v in names.items()}, default="")
                    .alias("town_zh"),
                    pl.col("town")
                    .replace_strict({k: v[1] for k, v in names.items()}, default="")
                    .alias("town_en"),
                    "group",
                    pl.col("population").cast(pl.Int64),
                    pl.col(f"{code}:eligible").cast(pl.Int64).alias("eligible"),
                    pl.col(f"{code}:undetermined").cast(pl.Int64).alias("undetermined"),
                    (pl.col(f"{code}:eligible") / pl.col("population")).alias(
                        "coverage"
                    ),
                    fen_sum.cast(pl.Int64).alias("fen"),
                    pl.col(f"{code}:missing").cast(pl.Int64).alias("cost_missing"),
                    pl.lit(len(parts)).alias("order"),
                )
            )
    table = pl.concat(parts).sort(
        "order",
        pl.col("town").fill_null("~"),
        pl.col("group").replace_strict(GROUP_ORDER),
    )
    cost = pl.Series(
        [None if f is None else Decimal(f).scaleb(-2) for f in table["fen"]],
        dtype=pl.Decimal(20, 2),
    )
    return table.with_columns(cost.alias("cost")).select(
        *[c for c in table.columns if c not in ("fen", "cost_missing", "order")],
        "cost",
        "cost_missing",
    )


def budget_take_up(item: dict[str, Any], day: dt.date) -> Fraction:
    name = item["budget"].get("take_up")
    return Fraction(1) if name is None else ratio(value(name, day))


# ------------------------------------------------------------------- the run
def floor(*, date: dt.date, population: Path | str, out: Path | str) -> dict:
    """Write what simulate writes for `population` on `date`; return the figures."""
    population, out = Path(population), Path(out)
    out.mkdir(parents=True, exist_ok=True)
    scan_p = pl.scan_parquet(population / "persons.parquet")
    scan_h = pl.scan_parquet(population / "households.parquet")
    persons, households = pl.collect_all(
        [persons_query(scan_p, date), households_query(scan_h, scan_p, date)],
        engine="streaming",
    )
    # Write the results while the table is summed from them.
    with ThreadPoolExecutor(max_workers=1) as pool:
        written = [
            pool.submit(frame.write_parquet, out / name, compression="zstd")
            for frame, name in (
                (persons, "persons.parquet"),
                (households, "households.parquet"),
            )
        ]
        table = cost_table(persons, households, date)
        for future in written:
            future.result()
    table.write_parquet(out / "costs.parquet")
    table.write_csv(out / "costs.csv")
    totals = (
        table.group_by("programme", maintain_order=True)
        .agg(
            pl.col("clause", "unit", "basis").first(),
            pl.col("eligible", "undetermined").sum(),
            pl.col("cost").sum(),
        )
        .to_dicts()
    )
    summary = {
        "date": date.isoformat(),
        "persons": persons.height,
        "households": households.height,
        "totals": [
            {
                "programme": t["programme"],
                "clause": t["clause"],
                "unit": t["unit"],
                "basis": t["basis"],
                "eligible": int(t["eligible"]),
                "undetermined": int(t["undetermined"]),
                "cost": str(t["cost"] if t["cost"] is not None else Decimal("0.00")),
            }
            for t in totals
        ],
    }
    (out / "summary.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return summary


if __name__ == "__main__":
    started = time.perf_counter()
    result = floor(
        date=dt.date.fromisoformat(sys.argv[1]), population=sys.argv[2], out=sys.argv[3]
    )
    print(
        json.dumps(
            {"seconds": time.perf_counter() - started, "persons": result["persons"]}
        )
    )
