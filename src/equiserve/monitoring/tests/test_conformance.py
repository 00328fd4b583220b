"""Rule-based indicators count exactly whom the engine finds eligible (issue 13).

The expectation is the engine itself, called here on request rows written from
the registry in plain Python, one dict per person and household as the
evaluate contract takes them — not through monitoring's adapter — and counted
by town where the output is true on the period's last day.
"""

import datetime as dt
from collections import Counter

import polars as pl
import pytest
from django.db.models import Q

from equiserve.geography.models import Town
from equiserve.monitoring.definitions import load_definitions
from equiserve.monitoring.periods import period_get
from equiserve.monitoring.sources import CITY_PLACE
from equiserve.monitoring.values import compute
from equiserve.registry.models import Household, Person, PersonHealth
from equiserve.rules import plan_gateway

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_city")]

PERIODS = [period_get("2014H1"), period_get("2015H2")]
EARLY = dt.date(2010, 1, 1)


def _alive(row, day) -> bool:
    return row["birth_date"] <= day and (
        row["death_date"] is None or row["death_date"] > day
    )


def _resident(row, day) -> bool:
    return _alive(row, day) and (
        row["resident_since"] is None or row["resident_since"] <= day
    )


def _person_rows(day):
    """Return the contract's rows of the persons alive on `day`, and their towns."""
    health = {
        row["person_id"]: row
        for row in PersonHealth.objects.values(
            "person_id", "t1d_diagnosed", "t1d_hospital_grade"
        )
    }
    rows, people = [], {}
    for person in Person.objects.values():
        if not _alive(person, day):
            continue
        record = health.get(person["id"])
        row = {
            "id": str(person["id"]),
            "household": None
            if person["household_id"] is None
            else str(person["household_id"]),
            "hukou": person["hukou"],
            "hukou_kind": person["hukou_kind"] or None,
            "birth_date": person["birth_date"],
            "resident_since": person["resident_since"],
            "one_child_parent": person["one_child_parent"],
            "points": None if person["points"] is None else float(person["points"]),
            "t1d_diagnosed": None,
            "t1d_hospital_grade": None,
            "t1d_given": False,
        }
        if record is not None and (
            record["t1d_diagnosed"] or record["t1d_hospital_grade"]
        ):
            row["t1d_diagnosed"] = record["t1d_diagnosed"]
            row["t1d_hospital_grade"] = record["t1d_hospital_grade"] or None
            row["t1d_given"] = True
        rows.append(row)
        people[row["id"]] = person
    return rows, people


def _engine(persons, households, day, output):
    frame_h = None
    if households is not None:
        frame_h = pl.DataFrame(
            households,
            schema={
                "id": pl.String,
                "floor_area_m2": pl.Float64,
                "annual_income": pl.Float64,
                "assets": pl.Float64,
            },
        )
    frame_p = pl.DataFrame(
        persons,
        schema={
            "id": pl.String,
            "household": pl.String,
            "hukou": pl.String,
            "hukou_kind": pl.String,
            "birth_date": pl.Date,
            "resident_since": pl.Date,
            "one_child_parent": pl.Boolean,
            "points": pl.Float64,
            "t1d_diagnosed": pl.Date,
            "t1d_hospital_grade": pl.String,
            "t1d_given": pl.Boolean,
        },
    )
    evaluation = plan_gateway.plan().evaluate(
        frame_p, frame_h, date=day, outputs=[output]
    )
    result = evaluation.households if households is not None else evaluation.persons
    return dict(result.select("id", output).iter_rows())


def _rule_terms():
    for indicator in load_definitions().indicators:
        for role, term in indicator.terms():
            if term.options.get("rule"):
                yield indicator, role, term


def test_every_rule_based_indicator_is_checked_against_the_engine_here():
    """A new rule-based indicator fails here until a conformance test covers it."""
    found = {(indicator.code, role) for indicator, role, _term in _rule_terms()}
    assert found == {
        ("health.t1d_patients", "numerator"),
        ("health.family_planning_reward_parents", "numerator"),
        ("housing.urban_lower_middle_difficulty", "numerator"),
        ("housing.difficulty_solved", "denominator"),
        ("health.migrant_family_planning_coverage", "denominator"),
    }


PERSON_RULES = {
    "t1d_free_care_eligible": {
        "health.t1d_patients": "numerator",
    },
    "family_planning_reward_eligible": {
        "health.family_planning_reward_parents": "numerator",
    },
    "migrant_family_planning_free": {
        "health.migrant_family_planning_coverage": "denominator",
    },
}


def _unknown_facts():
    """Give the registry facts the demo city lacks, known and unknown (issue 12)."""
    adults = (
        Person.objects.filter(hukou="zhongshan", death_date__isnull=True)
        .filter(birth_date__lt=dt.date(1950, 1, 1))
        .filter(Q(resident_since__isnull=True) | Q(resident_since__lt=EARLY))
        .order_by("pk")
    )
    # The case: a grade and no diagnosis date is a patient whose date
    # is unknown — undetermined, never counted as in the programme.
    for person in adults.exclude(health__isnull=False)[:3]:
        PersonHealth.objects.create(person=person, t1d_hospital_grade="3A")
    parents = list(adults.values_list("pk", flat=True)[:8])
    Person.objects.filter(pk__in=parents[:5]).update(one_child_parent=True)
    Person.objects.filter(pk__in=parents[5:]).update(one_child_parent=False)
    # Migrants whose arrival the registry lacks: undetermined for 3.3.4.
    migrants = Person.objects.filter(
        hukou="elsewhere", death_date__isnull=True, birth_date__lt=EARLY
    ).order_by("pk")
    Person.objects.filter(
        pk__in=list(migrants.values_list("pk", flat=True)[:3])
    ).update(resident_since=None)


@pytest.mark.parametrize("rule", sorted(PERSON_RULES))
@pytest.mark.parametrize("period", PERIODS, ids=lambda p: p.id)
def test_person_counts_equal_the_engine_on_the_last_day(period, rule):
    day = period.end
    _unknown_facts()
    rows, people = _person_rows(day)
    outcome = _engine(rows, None, day, rule)
    expected, unknown = Counter(), Counter()
    for key, person in people.items():
        if not _resident(person, day):
            continue
        if outcome[key] is True:
            expected[person["town_id"]] += 1
        elif outcome[key] is None:
            unknown[person["town_id"]] += 1
    assert sum(expected.values()) > 0
    assert sum(unknown.values()) >= 3
    definitions = load_definitions()
    roles = PERSON_RULES[rule]
    values = compute(
        [definitions.get(code) for code in roles],
        periods=[period],
        levels=["city", "town"],
    )
    for code, role in roles.items():
        for town in Town.objects.values_list("code", flat=True):
            value = values.get(code, period, town)
            assert getattr(value, role) == expected[town], (code, town)
            assert getattr(value, f"{role}_undetermined") == unknown[town]
        city = values.get(code, period, CITY_PLACE)
        assert getattr(city, role) == sum(expected.values())
        assert getattr(city, f"{role}_undetermined") == sum(unknown.values())


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: p.id)
def test_housing_counts_equal_the_engine_on_the_last_day(period):
    day = period.end
    rows, people = _person_rows(day)
    households = [
        {
            "id": str(row["id"]),
            "floor_area_m2": row["floor_area_m2"],
            "annual_income": row["annual_income"],
            "assets": row["assets"],
        }
        for row in Household.objects.values(
            "id", "floor_area_m2", "annual_income", "assets"
        )
    ]
    outcome = _engine(rows, households, day, "public_rental_housing_eligible")
    urban = {
        person["household_id"]
        for person in people.values()
        if person["hukou"] == "zhongshan" and person["hukou_kind"] == "urban"
    }
    town_of = dict(Household.objects.values_list("id", "town_id"))
    expected, total, unknown = Counter(), Counter(), Counter()
    for household in urban:
        town = town_of[household]
        total[town] += 1
        result = outcome[str(household)]
        if result is True:
            expected[town] += 1
        elif result is None:
            unknown[town] += 1
    assert sum(expected.values()) > 0
    definitions = load_definitions()
    rate = definitions.get("housing.urban_lower_middle_difficulty")
    solved = definitions.get("housing.difficulty_solved")
    values = compute([rate, solved], periods=[period], levels=["city", "town"])
    for town in Town.objects.values_list("code", flat=True):
        value = values.get(rate.code, period, town)
        assert (value.numerator, value.denominator) == (expected[town], total[town])
        assert value.numerator_undetermined == unknown[town]
        # Nobody is housed in the demo registry: solved is 0 of those in difficulty.
        done = values.get(solved.code, period, town)
        assert (done.numerator, done.denominator) == (0, expected[town])
    city = values.get(rate.code, period, CITY_PLACE)
    assert city.numerator == sum(expected.values())
