"""The standards are parameter files in the engine's format, dated and sourced."""

import datetime as dt
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from equiserve.facilities.standards import STANDARDS, facility_parameters, standards_at

PLAN_FIGURES = {
    "culture.indoor_area_per_10000": 1200,
    "culture.town_centre_min_floor_area": 2000,
    "culture.town_plaza_min_area": 6000,
    "culture.village_room_min_floor_area": 200,
    "culture.village_plaza_min_area": 800,
    "sports.natural_village_courts": 1,
    "sports.natural_village_tables": 2,
    "sports.station_min_instructors": 2,
    "fitness_circle.minutes": 15,
}
ILLUSTRATIVE = {
    "culture.population_basis",
    "culture.town_centre_min_free_activities",
    "culture.equipment_renewal_max_years",
    "fitness_circle.mode",
    "fitness_circle.walking_speed",
    "fitness_circle.cycling_speed",
    "fitness_circle.detour_factor",
    "disability.kangyuan_station_per_town",
    # The rule is the plan's; the day the spring term of 2014 began is not.
    "schools.senior_high_city_managed",
}


def test_every_parameter_is_dated_sourced_and_owned():
    parameters = facility_parameters()
    catalogue = yaml.safe_load(
        (Path(settings.EQUISERVE_PLAN_DIR) / "catalogue.yaml").read_text(
            encoding="utf-8"
        )
    )
    clauses = {
        item["clause"] for domain in catalogue["domains"] for item in domain["items"]
    }
    assert len(parameters) == 27
    for name, parameter in parameters.items():
        assert parameter.clause in clauses, name
        assert parameter.owner and parameter.reference and parameter.label["zh"], name
        assert all(value.reference for value in parameter.values), name


@pytest.mark.parametrize(("name", "figure"), sorted(PLAN_FIGURES.items()))
def test_the_plans_figures_are_marked_plan(name, figure):
    use = standards_at(dt.date(2014, 1, 1)).uses[name]
    assert (
        use.value,
        use.status,
        use.since if hasattr(use, "since") else use.start,
    ) == (
        figure,
        "plan",
        "2014-01-01",
    )


def test_figures_the_plan_leaves_open_are_illustrative_with_an_owner():
    uses = standards_at(dt.date(2015, 1, 1)).uses
    assert {
        name for name, use in uses.items() if use.status == "illustrative"
    } == ILLUSTRATIVE
    assert uses["culture.population_basis"].value == "resident"
    parameters = facility_parameters()
    assert parameters["culture.population_basis"].owner == "culture"
    assert parameters["fitness_circle.walking_speed"].owner == "sports"


def test_dated_changes_e_reading_rooms_and_city_management():
    def on(day, name):
        return standards_at(day).uses[name]

    assert on(dt.date(2014, 12, 31), "culture.e_reading_room_required").value is False
    assert on(dt.date(2015, 1, 1), "culture.e_reading_room_required").value is True
    school = "schools.senior_high_city_managed"
    assert on(dt.date(2014, 2, 28), school).value is False
    late = on(dt.date(2014, 3, 1), school)
    assert (late.value, late.status) == (True, "illustrative")  # the day, not the rule
    assert on(dt.date(2015, 12, 30), "population.city_resident").value == 3_122_711
    assert on(dt.date(2015, 12, 31), "population.city_resident").value == 3_969_600


def test_every_standard_reads_existing_parameters():
    names = set(facility_parameters())
    for standard in STANDARDS:
        assert set(standard.parameters) <= names, standard.id
