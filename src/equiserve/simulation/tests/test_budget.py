"""The clause 4.3 estimate for a hand-made population equals the hand computation."""

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import polars as pl
import pytest

from equiserve.simulation.budget import budget, city_residents
from equiserve.simulation.programmes import programme, round_half_up

D = dt.date
TOWN = "442000001"


def _person(id, household, born, hukou, **extra):
    row = {
        "id": id,
        "household": household,
        "birth_date": born,
        "sex": "F",
        "hukou": hukou,
        "hukou_kind": "urban" if hukou == "zhongshan" else None,
        "town": TOWN,
        "resident_since": None,
        "points": None,
        "school_stage": "none",
        "guardian": None,
        "low_income": False,
        "one_child_parent": False,
        "veteran": None,
        "conscription": None,
        "t1d": None,
        "death": None,
        "hardship": None,
    }
    row.update(extra)
    return row


PERSONS = [
    # h1, a migrant household: a mother (pre-pregnancy check) and her pupil (3.4.2).
    _person(
        "a", "h1", D(1985, 3, 10), "elsewhere", resident_since=D(2010, 5, 1), points=180
    ),
    _person(
        "b",
        "h1",
        D(2007, 9, 1),
        "elsewhere",
        resident_since=D(2010, 5, 1),
        school_stage="primary",
        guardian="a",
    ),
    # h2, a registered household with a high income.
    _person(
        "c",
        "h2",
        D(1990, 1, 1),
        "zhongshan",
        sex="M",
        veteran={"kind": "conscript", "discharged": D(2015, 3, 1), "nco_years": None},
    ),
    _person(
        "e",
        "h2",
        D(1994, 6, 1),
        "zhongshan",
        sex="M",
        hukou_kind="rural",
        veteran={"kind": "conscript", "discharged": D(2014, 12, 1), "nco_years": None},
    ),
    _person(
        "f",
        "h2",
        D(1930, 1, 1),
        "zhongshan",
        death={"date": D(2015, 6, 20), "storage_days": 5, "ash_storage_years": 12},
    ),
    _person(
        "g",
        "h2",
        D(1931, 1, 1),
        "zhongshan",
        death={"date": D(2016, 1, 5), "storage_days": 1, "ash_storage_years": 1},
    ),
    _person("n", "h2", D(2011, 4, 1), "zhongshan", school_stage="kindergarten"),
    _person("o", "h2", D(1999, 4, 1), "zhongshan", school_stage="vocational"),
    _person("p", "h2", D(1955, 8, 15), "zhongshan", one_child_parent=True),
    # h3, a registered person living alone in 10 m².
    _person(
        "d",
        "h3",
        D(1950, 1, 1),
        "zhongshan",
        t1d={"diagnosed": D(2013, 5, 5), "hospital_grade": "3A"},
    ),
    # h4, a migrant without points living in the city, hit by an accident on 1 March.
    _person(
        "m",
        "h4",
        D(1960, 1, 1),
        "elsewhere",
        resident_since=D(2012, 1, 1),
        hardship={"cause": "accident", "date": D(2015, 3, 1)},
    ),
]
HOUSEHOLDS = [
    # 15 m² a person and 1,250 a month: within the migrants' limits (issue 12).
    {"id": "h1", "town": TOWN, "floor_area_m2": 30.0, "annual_income": 30000.0},
    {"id": "h2", "town": TOWN, "floor_area_m2": 200.0, "annual_income": 500000.0},
    {"id": "h3", "town": TOWN, "floor_area_m2": 10.0, "annual_income": 12000.0},
    {"id": "h4", "town": TOWN, "floor_area_m2": 20.0, "annual_income": 40000.0},
]

# By hand, for 2015 (unit costs in parameters/costs/, all illustrative), in fen.
EXPECTED_2015 = {
    "preschool_subsidy": (1, 100_000),  # n: 1,000 a year
    "vocational_tuition": (1, 200_000),  # o: 2,000 a year
    "t1d_care": (1, 360_000),  # d: 3,600 a year
    "family_planning_reward": (1, 300_000),  # p turns 60 on 2015-08-15: 3,000
    "prepregnancy_check": (1, 600),  # a: 120 × take-up 0.05 = 6.00
    # m: on 1 March itself (by 31 December the 90-day window has passed): 2,000
    "hardship_relief": (1, 200_000),
    "student_insurance": (1, 38_000),  # b: the 2015 subsidy, 380
    # c: 1 × the 2014 wage 56,322; e was discharged in 2014 and is not counted
    "veteran_grant": (1, 5_632_200),
    "conscript_family_allowance": (0, 0),  # no conscript serves here
    "funeral": (1, 280_000),  # f: 1,500 + 3 days × 100 + 10 years × 100; g dies 2016
    "public_rental_housing": (2, 1_200_000),  # h1 (points 180) and h3: 6,000 each
}


@pytest.fixture
def tiny(tmp_path):
    pl.DataFrame(PERSONS).write_parquet(tmp_path / "persons.parquet")
    pl.DataFrame(HOUSEHOLDS).write_parquet(tmp_path / "households.parquet")
    return tmp_path


def test_a_tiny_population_costs_what_the_hand_computation_says(plan, tiny):
    result = budget(2015, tiny, plan=plan, scale=False)
    got = {line.programme.name: (line.eligible, line.fen) for line in result.lines}
    assert got == EXPECTED_2015
    assert result.factor == 1
    assert result.total_fen == 8_310_800
    assert result.as_dict()["city_total"] == "83108.00"
    assert all(line.missing == 0 for line in result.lines)


def test_a_death_of_unknown_registration_is_undetermined_not_costed(plan, tmp_path):
    """Issue 12, point 4: the estimate counts whom it cannot decide, and costs none."""
    unknown = _person(
        "u",
        "h2",
        D(1932, 1, 1),
        None,
        low_income=None,
        death={"date": D(2015, 5, 1), "storage_days": 1, "ash_storage_years": 1},
    )
    pl.DataFrame([*PERSONS, unknown]).write_parquet(tmp_path / "persons.parquet")
    pl.DataFrame(HOUSEHOLDS).write_parquet(tmp_path / "households.parquet")
    result = budget(2015, tmp_path, plan=plan, scale=False)
    lines = {line.programme.name: line for line in result.lines}
    funeral = lines["funeral"]
    assert (funeral.eligible, funeral.fen, funeral.undetermined) == (1, 280_000, 1)
    assert funeral.as_dict()["undetermined"] == 1
    assert result.total_fen == 8_310_800
    assert all(
        line.undetermined == 0 for name, line in lines.items() if name != "funeral"
    )


def test_in_2014_a_rural_conscript_gets_the_narrowed_share_on_his_discharge_day(
    plan, tiny
):
    result = budget(2014, tiny, plan=plan, scale=False)
    lines = {line.programme.name: line for line in result.lines}
    # e, rural, discharged 2014-12-01: 0.8 × 1 × the 2013 wage 52,884 = 42,307.20
    assert (lines["veteran_grant"].eligible, lines["veteran_grant"].fen) == (
        1,
        4_230_720,
    )
    assert lines["funeral"].eligible == 0 and lines["hardship_relief"].eligible == 0
    # 2014's pupil subsidy is 320
    assert lines["student_insurance"].fen == 32_000


def test_scaled_to_the_city_with_the_migrant_quota(plan, tiny):
    result = budget(2015, tiny, plan=plan)
    factor = Fraction(city_residents(), 11)
    assert city_residents() == 3_969_600 and result.factor == factor
    lines = {line.programme.name: line for line in result.lines}
    assert lines["veteran_grant"].city_fen == round_half_up(5_632_200 * factor)
    assert lines["veteran_grant"].city_eligible == 360_873  # 360,872.73 rounded
    # One migrant household in 11 persons is 360,873 in the city; the 2015 quota
    # houses 225 of them, and the registered household scales as it is.
    housing = lines["public_rental_housing"]
    assert housing.city_eligible == round_half_up(factor + 225)
    assert housing.city_fen == round_half_up(600_000 * factor + 225 * 600_000)
    assert "capped at the 2015 quota of 225" in housing.note
    assert result.total_fen == sum(line.city_fen for line in result.lines)


def test_the_reward_falls_due_on_1_march_for_a_29_february_birthday(plan):
    reward = programme(plan, "family_planning_reward")
    parameters = plan.with_overrides(
        {"family_planning.reward_minimum_age": {"2014-01-01": 59}}
    )
    born = pl.DataFrame({"birth_date": [D(1956, 2, 29), D(1956, 3, 1), D(1957, 1, 1)]})
    days = born.select(reward.event(2015, parameters).alias("day"))["day"].to_list()
    assert days == [D(2015, 3, 1), D(2015, 3, 1), None]


def test_budget_json_from_the_command_line(tiny):
    import json

    from typer.testing import CliRunner

    from equiserve.cli import app

    outcome = CliRunner().invoke(
        app, ["budget", "--year", "2015", "--population", str(tiny), "--json"]
    )
    assert outcome.exit_code == 0, outcome.output
    data = json.loads(outcome.stdout)
    assert data["clause"] == "4.3" and data["persons"] == 11
    veteran = next(p for p in data["programmes"] if p["programme"] == "veteran_grant")
    assert veteran["cost"] == "56322.00"
    assert Decimal(veteran["city_cost"]) == Decimal(
        round_half_up(5_632_200 * Fraction(3_969_600, 11))
    ) / Decimal(100)


def test_a_serving_conscripts_family_costs_the_years_allowance(plan, tmp_path):
    """Issue 12, point 3: the family allowance of 3.4.3 is an annual line."""
    conscript = _person(
        "q", "h2", D(1996, 5, 1), "zhongshan", conscription={"enlisted": D(2014, 9, 10)}
    )
    pl.DataFrame([*PERSONS, conscript]).write_parquet(tmp_path / "persons.parquet")
    pl.DataFrame(HOUSEHOLDS).write_parquet(tmp_path / "households.parquet")
    result = budget(2015, tmp_path, plan=plan, scale=False)
    line = {line.programme.name: line for line in result.lines}[
        "conscript_family_allowance"
    ]
    # Serving on 1 July 2015: the year's allowance, 12,000 (illustrative).
    assert (line.method, line.eligible, line.fen) == ("annual", 1, 1_200_000)
    assert result.total_fen == 8_310_800 + 1_200_000


def test_a_population_without_the_certificate_says_no_data_not_zero(plan, tmp_path):
    """Issue 12, point 7: with no one_child_parent column the reward is unknown."""
    rows = [
        {k: v for k, v in row.items() if k != "one_child_parent"} for row in PERSONS
    ]
    pl.DataFrame(rows).write_parquet(tmp_path / "persons.parquet")
    pl.DataFrame(HOUSEHOLDS).write_parquet(tmp_path / "households.parquet")
    result = budget(2015, tmp_path, plan=plan, scale=False)
    lines = {line.programme.name: line for line in result.lines}
    reward = lines["family_planning_reward"]
    assert reward.no_data == ("one_child_parent",)
    shown = reward.as_dict()
    assert (shown["eligible"], shown["cost"], shown["city_cost"]) == (None, None, None)
    assert shown["note"] == "no data: the population does not hold one_child_parent"
    # The total is of the lines with data, and says which it leaves out.
    assert result.total_fen == 8_310_800 - 300_000
    assert result.as_dict()["no_data"] == ["family_planning_reward"]
    # A programme whose facts the file holds keeps its figure, even a zero.
    assert lines["conscript_family_allowance"].no_data == ()
