"""The fitness circle from the registry equals a brute-force computation."""

import datetime as dt
import json

import pytest

from equiserve.accessibility import haversine_m
from equiserve.accounts.models import Role
from equiserve.facilities.circle import KeptTallies
from equiserve.facilities.models import Facility
from equiserve.facilities.selectors import (
    circle_as_dict,
    fitness_circle,
    fitness_circle_reports,
)
from equiserve.facilities.services import road_network_import
from equiserve.geography.models import NaturalVillage, Village
from equiserve.registry.models import Person
from equiserve.testkit import make_officer, record_persons_reads

pytestmark = pytest.mark.django_db
DAY = dt.date(2015, 6, 1)
CITY_2010 = 3_122_711  # facilities.population.city_resident in force in 2015-06


def brute_force(day: dt.date) -> dict[str, bool]:
    """Return, per person key, whether a place to exercise is within 1,200 m × 1.3."""
    kinds = ["sports_ground", "fitness_ground", "guidance_station"]
    facilities = [
        (f.lon, f.lat)
        for f in Facility.objects.filter(kind__in=kinds)
        if f.opening_date is None or f.opening_date <= day
    ]
    covered = {}
    for village in Village.objects.all():
        hamlets = list(NaturalVillage.objects.filter(village=village).order_by("code"))
        people = list(Person.objects.filter(village=village).order_by("key"))
        for rank, person in enumerate(people):
            place = hamlets[rank % len(hamlets)] if hamlets else village
            covered[person.key] = _near(place.lon, place.lat, facilities)
    for person in Person.objects.filter(village__isnull=True):
        covered[person.key] = _near(
            person.town.center_lon, person.town.center_lat, facilities
        )
    return covered


def _near(lon, lat, facilities) -> bool:
    return any(
        haversine_m(lon, lat, f_lon, f_lat) * 1.3 <= 1200 for f_lon, f_lat in facilities
    )


def test_coverage_equals_brute_force_by_group(city):
    report = fitness_circle(date=DAY)
    expected = brute_force(DAY)
    assert (report.method, report.detour_factor, report.cutoff_m) == (
        "straight_line",
        1.3,
        1200.0,
    )
    assert report.total["records"] == len(expected) == 11
    assert report.total["records_covered"] == sum(expected.values()) == 7
    persons = {p.key: p for p in Person.objects.all()}
    for row in report.tables["hukou"]:
        members = [k for k, p in persons.items() if p.hukou == row["hukou"]]
        assert row["records"] == len(members)
        assert row["records_covered"] == sum(expected[k] for k in members)
    assert [
        (r["hukou"], r["records"], r["records_covered"]) for r in report.tables["hukou"]
    ] == [
        ("elsewhere", 2, 1),
        ("zhongshan", 9, 6),
    ]
    assert [
        (r["age_band"], r["records"], r["records_covered"])
        for r in report.tables["age_band"]
    ] == [
        ("0-14", 1, 1),
        ("15-59", 9, 6),
        ("60+", 1, 0),
    ]
    assert [(r["town"], r["share"]) for r in report.tables["town"]] == [
        ("442000100", 7 / 8),
        ("442000105", 0.0),
    ]
    factor = CITY_2010 / 11
    assert report.people_per_record == pytest.approx(factor)
    assert report.total["people"] == CITY_2010
    assert report.total["people_covered"] == round(7 * factor)


def test_a_station_opening_later_brings_town_b_into_the_circle(city):
    later = fitness_circle(date=dt.date(2016, 1, 1))
    assert later.total["records_covered"] == sum(
        brute_force(dt.date(2016, 1, 1)).values()
    )
    assert [(r["town"], r["share"]) for r in later.tables["town"]][1] == (
        "442000105",
        1.0,
    )


def test_two_step_fca_per_village_by_hand(city):
    report = fitness_circle(date=DAY)
    villages = {row["village"]: row for row in report.villages}
    factor = CITY_2010 / 11
    # Garden (1,000 m²) serves the community's 3 records; the court (500 m²)
    # serves hamlets 1 and 2 (2 records each); hamlet 3 reaches nothing.
    community = villages[city["community"].code]
    assert community["fca_m2_per_person"] == pytest.approx(
        1000 / (3 * factor), rel=1e-12
    )
    village = villages[city["village"].code]
    ratio = 500 / (4 * factor)
    assert village["fca_m2_per_person"] == pytest.approx(
        (2 * ratio + 2 * ratio) / 5, rel=1e-12
    )
    assert (village["records"], village["records_covered"], village["share"]) == (
        5,
        4,
        0.8,
    )
    assert villages[city["village_b"].code]["fca_m2_per_person"] == 0.0


def test_a_town_officer_view_keeps_facilities_across_the_boundary(city):
    # The town filter cuts the tables, not the facilities people may use.
    report = fitness_circle(date=DAY, town_codes=["442000100"])
    assert report.total["records"] == 8 and report.total["records_covered"] == 7
    assert [row["town"] for row in report.tables["town"]] == ["442000100"]
    assert {row["town"] for row in report.villages} == {"442000100"}


def test_road_network_is_used_when_loaded(city):
    # The only road from the community to the garden goes round three sides of
    # a square (616 + 667 + 616 m): 1,899 m on foot instead of 867 m estimated
    # from the straight line. A short road serves the court at hamlet 1.
    square = [[113.25, 22.65], [113.256, 22.65], [113.256, 22.656], [113.25, 22.656]]
    court_road = [[113.272, 22.661], [113.2721, 22.6611]]
    road = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": {"type": "LineString", "coordinates": line}}
            for line in (square, court_road)
        ],
    }
    sports = make_officer("sports", Role.DEPARTMENT, department="sports")
    stored = road_network_import(
        content=json.dumps(road).encode(), filename="roads.geojson", actor=sports
    )
    assert (stored.node_count, stored.edge_count) == (6, 4)
    report = fitness_circle(date=DAY)
    assert (report.method, report.detour_factor, report.network) == (
        "network",
        None,
        "roads.geojson",
    )
    villages = {row["village"]: row for row in report.villages}
    assert villages[city["community"].code]["records_covered"] == 0
    # Hamlets 1 and 2 walk straight to the court road (0 m and about 466 m).
    assert villages[city["village"].code]["records_covered"] == 4
    data = circle_as_dict(report)
    assert (data["method"], data["network"]) == ("network", "roads.geojson")
    assert data["total"]["records_covered"] == 4


LATER = dt.date(2016, 1, 1)


def _figures(report) -> tuple:
    return (report.total, report.tables, report.people_per_record, report.method)


@pytest.mark.parametrize("towns", [None, ["442000105"]])
def test_reports_for_several_days_equal_a_report_per_day(city, towns):
    reports = fitness_circle_reports(dates=[DAY, LATER], town_codes=towns)
    for day in (DAY, LATER):
        expected = fitness_circle(date=day, town_codes=towns)
        assert _figures(reports[day]) == _figures(expected)
        assert reports[day].villages == []


def test_kept_tallies_are_read_again_only_for_the_town_that_changed(city, monkeypatch):

    read = record_persons_reads(monkeypatch)
    kept = KeptTallies()
    first = fitness_circle_reports(dates=[DAY, LATER], kept=kept, read_at=1)
    assert read == [None]  # the whole city, once for both days
    # A death in town B's village, after the first read (version 2).
    dead = Person.objects.filter(town__code="442000105", village__isnull=False).first()
    Person.objects.filter(pk=dead.pk).update(death_date=dt.date(2014, 1, 1))
    unchanged = fitness_circle_reports(dates=[DAY, LATER], kept=kept, read_at=2)
    assert read == [None]  # not told of the change: the kept tallies answer
    assert _figures(unchanged[DAY]) == _figures(first[DAY])
    again = fitness_circle_reports(
        dates=[DAY, LATER], kept=kept, changed={"442000105": 2}, read_at=3
    )
    assert read == [None, ["442000105"]]
    for day in (DAY, LATER):
        assert _figures(again[day]) == _figures(fitness_circle(date=day))
    assert again[DAY].total["records"] == 10
    # Town A's tallies were kept; B's were read at version 3.
    read.clear()
    fitness_circle_reports(dates=[DAY], kept=kept, changed={"442000105": 3}, read_at=4)
    assert read == []
