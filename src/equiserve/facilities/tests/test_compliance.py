"""Each standard at its boundary, through the check the pages and commands use."""

import datetime as dt
from decimal import Decimal

import pytest

from equiserve.facilities import compliance
from equiserve.facilities.models import (
    STATION_ITEMS,
    Authority,
    DisabilityComponent,
    Kind,
)
from equiserve.facilities.selectors import standards_check
from equiserve.facilities.standards import ParametersMissing
from equiserve.facilities.tests.factories import make_facility, make_person

pytestmark = pytest.mark.django_db
DAY = dt.date(2015, 6, 1)


def finding(report, standard, subject):
    found = [
        f for f in report.findings if f.standard == standard and f.subject == subject
    ]
    assert len(found) == 1, found
    return found[0]


@pytest.fixture
def ten_thousand(two_towns, override):
    """Town A holds every registry record and the city 10,000 residents."""
    override("population.city_resident", {"2010-12-31": 10_000})
    for _ in range(4):
        make_person(two_towns["a"], two_towns["community"])
    return two_towns


@pytest.mark.parametrize(
    ("area", "status", "actual", "shortfall"),
    [
        ("1199.9", "short", Decimal("1199.90"), Decimal("0.10")),
        ("1200", "met", Decimal("1200.00"), 0),
        ("1200.1", "met", Decimal("1200.10"), 0),
    ],
)
def test_culture_area_per_10000_people_at_1200(
    ten_thousand, area, status, actual, shortfall
):
    # The area is split over kinds that all count as indoor culture area.
    make_facility(Kind.CULTURE_CENTRE, ten_thousand["a"], indoor_area_m2=1000)
    make_facility(
        Kind.CULTURE_ROOM,
        ten_thousand["a"],
        village=ten_thousand["community"],
        indoor_area_m2=Decimal(area) - 1000,
    )
    make_facility(Kind.TOWN_PLAZA, ten_thousand["a"], site_area_m2=9000)  # outdoor
    report = standards_check(date=DAY)
    assert report.population == {"442000100": 10_000, "442000105": 0}
    result = finding(report, "culture.indoor_area_per_10000", "442000100")
    assert (result.status, result.actual, result.shortfall) == (
        status,
        actual,
        shortfall,
    )
    assert result.clause == "3.2.2" and result.required == Decimal(1200)


def test_registered_basis_divides_by_the_registered_population(ten_thousand, override):
    override("culture.population_basis", {"2014-01-01": "registered"})
    override("population.city_registered", {"2010-12-31": 5_000})
    make_person(ten_thousand["a"], hukou="elsewhere")
    make_facility(Kind.CULTURE_CENTRE, ten_thousand["a"], indoor_area_m2=600)
    report = standards_check(date=DAY)
    assert report.population_basis == "registered"
    result = finding(report, "culture.indoor_area_per_10000", "442000100")
    # 600 m² for 5,000 registered people is 1,200 per 10,000.
    assert (result.status, result.actual) == ("met", Decimal("1200.00"))


def test_no_population_makes_the_per_10000_standard_unknown(two_towns):
    report = standards_check(date=DAY)
    result = finding(report, "culture.indoor_area_per_10000", "442000100")
    assert (result.status, result.missing) == ("unknown", ("population",))


def test_one_table_instead_of_two(two_towns):
    make_facility(
        Kind.SPORTS_GROUND,
        two_towns["a"],
        village=two_towns["village"],
        natural_village=two_towns["hamlet_1"],
        basketball_courts=1,
        table_tennis_tables=1,
    )
    make_facility(
        Kind.SPORTS_GROUND,
        two_towns["a"],
        village=two_towns["village"],
        natural_village=two_towns["hamlet_2"],
        basketball_courts=1,
        table_tennis_tables=2,
    )
    report = standards_check(date=DAY)
    one = two_towns["hamlet_1"].code
    tables = finding(report, "sports.natural_village_tables", one)
    assert (tables.status, tables.actual, tables.shortfall, tables.unit) == (
        "short",
        1,
        1,
        "tables",
    )
    assert finding(report, "sports.natural_village_courts", one).status == "met"
    two = two_towns["hamlet_2"].code
    assert finding(report, "sports.natural_village_tables", two).status == "met"


def test_natural_village_without_a_ground_lacks_a_court_and_two_tables(two_towns):
    report = standards_check(date=DAY)
    code = two_towns["hamlet_1"].code
    courts = finding(report, "sports.natural_village_courts", code)
    tables = finding(report, "sports.natural_village_tables", code)
    assert (courts.status, courts.shortfall) == ("short", 1)
    assert (tables.status, tables.shortfall) == ("short", 2)
    assert courts.clause == "3.6.1"


@pytest.mark.parametrize(
    ("instructors", "status", "shortfall"),
    [(1, "short", 1), (2, "met", 0), (None, "short", 2)],
)
def test_guidance_station_needs_two_instructors(
    two_towns, instructors, status, shortfall
):
    station = make_facility(
        Kind.GUIDANCE_STATION, two_towns["a"], instructors=instructors
    )
    result = finding(
        standards_check(date=DAY), "sports.station_instructors", station.code
    )
    assert (result.status, result.shortfall, result.clause) == (
        status,
        shortfall,
        "3.6.2",
    )


def test_guidance_station_checklist_lists_what_is_missing(two_towns):
    items = ["sign", "rules", "equipment", "uniforms", "fixed_place", "fixed_time"]
    station = make_facility(
        Kind.GUIDANCE_STATION,
        two_towns["a"],
        instructors=3,
        **dict.fromkeys(items, True),
    )
    result = finding(
        standards_check(date=DAY), "sports.station_checklist", station.code
    )
    assert result.status == "short"
    assert result.missing == ("fixed_activity", "fixed_staff")
    assert (result.required, result.actual, result.shortfall) == (8, 6, 2)


def test_a_fitness_plaza_without_a_station_fails_however_good_the_others_are(
    two_towns,
):
    """Issue 12, point 10: one good station no longer scores 3.6.2 at 100 %."""
    community, village = two_towns["community"], two_towns["village"]
    served = make_facility(Kind.FITNESS_GROUND, two_towns["a"], village=community)
    bare = make_facility(Kind.FITNESS_GROUND, two_towns["a"], village=village)
    weak = make_facility(Kind.FITNESS_GROUND, two_towns["a"])  # a town-level plaza
    make_facility(
        Kind.GUIDANCE_STATION,
        two_towns["a"],
        village=community,
        instructors=2,
        **dict.fromkeys(STATION_ITEMS, True),
    )
    make_facility(
        Kind.GUIDANCE_STATION,
        two_towns["a"],
        instructors=1,
        **dict.fromkeys(STATION_ITEMS, True),
    )
    report = standards_check(date=DAY)
    results = {
        plaza.code: finding(report, "sports.plaza_station", plaza.code)
        for plaza in (served, bare, weak)
    }
    assert [(r.status, r.missing) for r in results.values()] == [
        ("met", ()),
        ("short", ("guidance_station",)),
        ("short", ("station_standard",)),
    ]
    assert {r.clause for r in results.values()} == {"3.6.2"}


@pytest.mark.parametrize(
    ("day", "status"),
    [
        (dt.date(2014, 2, 28), "not_due"),  # before the spring term of 2014
        (dt.date(2014, 3, 1), "short"),
        (dt.date(2016, 12, 31), "short"),
    ],
)
def test_school_still_under_town_management_after_spring_2014(two_towns, day, status):
    school = make_facility(Kind.SENIOR_HIGH, two_towns["a"], managed_by=Authority.TOWN)
    result = finding(
        standards_check(date=day), "schools.senior_high_city_managed", school.code
    )
    assert (result.status, result.missing, result.clause) == (
        status,
        ("city_management",),
        "3.1.3",
    )


def test_school_handed_to_the_city_late_is_short_until_the_handover(two_towns):
    school = make_facility(
        Kind.SENIOR_HIGH,
        two_towns["a"],
        managed_by=Authority.CITY,
        managed_by_since=dt.date(2014, 9, 1),
    )
    vocational = make_facility(
        Kind.VOCATIONAL_SCHOOL, two_towns["a"], managed_by=Authority.TOWN
    )
    before = standards_check(date=dt.date(2014, 8, 31))
    after = standards_check(date=dt.date(2014, 9, 1))
    standard = "schools.senior_high_city_managed"
    assert finding(before, standard, school.code).status == "short"
    assert finding(after, standard, school.code).status == "met"
    # Town vocational schools keep their management: not checked (3.1.3).
    assert not [f for f in after.findings if f.subject == vocational.code]


@pytest.mark.parametrize(
    ("area", "status", "shortfall"),
    [("1999.99", "short", Decimal("0.01")), ("2000", "met", 0)],
)
def test_town_centre_floor_area_at_2000(two_towns, area, status, shortfall):
    centre = make_facility(
        Kind.CULTURE_CENTRE,
        two_towns["a"],
        indoor_area_m2=area,
        free_opening=True,
        free_activities_per_year=12,
    )
    report = standards_check(date=DAY)
    result = finding(report, "culture.town_centre_area", centre.code)
    assert (result.status, result.shortfall) == (status, shortfall)
    assert finding(report, "culture.town_centre_free", centre.code).status == "met"


def test_town_without_centre_library_or_plaza_is_short_of_each(two_towns):
    report = standards_check(date=DAY)
    code = two_towns["b"].code
    centre = finding(report, "culture.town_centre_area", code)
    assert (centre.level, centre.status, centre.shortfall) == ("town", "short", 2000)
    library = finding(report, "culture.town_library", code)
    assert library.missing[0] == "library"
    plaza = finding(report, "culture.town_plaza_area", code)
    assert (plaza.shortfall, plaza.missing) == (6000, ("town_plaza",))


def test_centre_with_too_few_free_activities(two_towns):
    centre = make_facility(
        Kind.CULTURE_CENTRE,
        two_towns["a"],
        indoor_area_m2=2500,
        free_opening=False,
        free_activities_per_year=11,
    )
    result = finding(standards_check(date=DAY), "culture.town_centre_free", centre.code)
    assert result.missing == ("free_opening", "free_activities")
    assert result.shortfall == 1


@pytest.mark.parametrize(("area", "status"), [(5999.99, "short"), (6000, "met")])
def test_town_plaza_area_at_6000(two_towns, area, status):
    plaza = make_facility(
        Kind.TOWN_PLAZA, two_towns["a"], site_area_m2=area, stage=True, lighting=True
    )
    report = standards_check(date=DAY)
    assert finding(report, "culture.town_plaza_area", plaza.code).status == status
    equipment = finding(report, "culture.town_plaza_equipment", plaza.code)
    assert equipment.missing == ("dressing_room", "sound")


def test_library_checklist(two_towns):
    library = make_facility(
        Kind.LIBRARY,
        two_towns["a"],
        computerized=True,
        union_catalogue=True,
        unified_service=True,
        unified_distribution=True,
    )
    result = finding(standards_check(date=DAY), "culture.town_library", library.code)
    assert result.missing == ("borrow_anywhere", "self_service_24h")


def test_a_library_without_unified_service_and_distribution_falls_short(two_towns):
    """Issue 12, point 10: 3.2.2 also asks for 统一服务 and 统一配送（交流）."""
    items = ("computerized", "union_catalogue", "borrow_anywhere", "self_service_24h")
    library = make_facility(Kind.LIBRARY, two_towns["a"], **dict.fromkeys(items, True))
    result = finding(standards_check(date=DAY), "culture.town_library", library.code)
    assert (result.status, result.missing) == (
        "short",
        ("unified_service", "unified_distribution"),
    )
    assert (result.required, result.actual) == (6, 4)


@pytest.mark.parametrize(("area", "status"), [(199.9, "short"), (200, "met")])
def test_village_culture_room_at_200(two_towns, area, status):
    make_facility(
        Kind.CULTURE_ROOM,
        two_towns["a"],
        village=two_towns["village"],
        indoor_area_m2=area,
    )
    result = finding(
        standards_check(date=DAY),
        "culture.village_room_area",
        two_towns["village"].code,
    )
    assert result.status == status


@pytest.mark.parametrize(("court", "status"), [(299.9, "short"), (300, "met")])
def test_village_plaza_counts_courts_and_fitness_grounds_towards_800(
    two_towns, court, status
):
    village = two_towns["village"]
    make_facility(Kind.VILLAGE_PLAZA, two_towns["a"], village=village, site_area_m2=400)
    make_facility(
        Kind.FITNESS_GROUND, two_towns["a"], village=village, site_area_m2=100
    )
    make_facility(
        Kind.SPORTS_GROUND, two_towns["a"], village=village, site_area_m2=court
    )
    make_facility(Kind.TOWN_PLAZA, two_towns["a"], village=village, site_area_m2=5000)
    result = finding(
        standards_check(date=DAY), "culture.village_plaza_area", village.code
    )
    assert result.status == status


@pytest.mark.parametrize(
    ("day", "status"),
    [(dt.date(2014, 12, 31), "not_due"), (dt.date(2015, 1, 1), "short")],
)
def test_e_reading_room_due_by_the_end_of_2014(two_towns, day, status):
    village = two_towns["village"]
    make_facility(
        Kind.CULTURE_ROOM, two_towns["a"], village=village, indoor_area_m2=250
    )
    community = two_towns["community"]
    make_facility(
        Kind.CULTURE_ROOM, two_towns["a"], village=community, e_reading_room=True
    )
    report = standards_check(date=day)
    result = finding(report, "culture.e_reading_room", village.code)
    assert (result.status, result.clause) == (status, "3.2.1")
    assert finding(report, "culture.e_reading_room", community.code).status == "met"


def test_a_facility_counts_from_its_opening_date(two_towns):
    station = make_facility(
        Kind.GUIDANCE_STATION,
        two_towns["a"],
        instructors=1,
        opening_date=dt.date(2015, 6, 2),
    )
    assert not [
        f for f in standards_check(date=DAY).findings if f.subject == station.code
    ]
    after = standards_check(date=dt.date(2015, 6, 2))
    assert finding(after, "sports.station_instructors", station.code).status == "short"


def test_equipment_older_than_five_years_is_due_for_renewal(two_towns):
    room = make_facility(
        Kind.CULTURE_ROOM,
        two_towns["a"],
        village=two_towns["village"],
        opening_date=dt.date(2008, 1, 1),
        equipment_renewed_on=dt.date(2010, 6, 1),
    )
    standard = "culture.equipment_renewal"
    on_time = finding(standards_check(date=dt.date(2016, 5, 31)), standard, room.code)
    late = finding(standards_check(date=dt.date(2016, 6, 1)), standard, room.code)
    assert (on_time.status, on_time.actual) == ("met", 5)
    assert (late.status, late.actual, late.shortfall) == ("short", 6, 1)
    # A renewal recorded after the day checked is not known on that day.
    room.equipment_renewed_on = dt.date(2014, 6, 1)
    room.save(update_fields=["equipment_renewed_on"])
    early = finding(standards_check(date=dt.date(2014, 5, 31)), standard, room.code)
    assert (early.status, early.actual) == ("short", 6)


def test_before_the_plan_there_is_no_standard_to_check(two_towns):
    with pytest.raises(ParametersMissing, match="has no value on 2013-12-31"):
        standards_check(date=dt.date(2013, 12, 31))


def test_five_ones_and_the_kangyuan_network(two_towns):
    for component in (
        DisabilityComponent.REHABILITATION_CENTRE,
        DisabilityComponent.SEVERE_DISABILITY_SCHOOL,
        DisabilityComponent.CARE_INSTITUTION,
        DisabilityComponent.COMPREHENSIVE_CENTRE,
    ):
        make_facility(
            Kind.DISABILITY_SERVICE, two_towns["a"], disability_component=component
        )
    make_facility(
        Kind.DISABILITY_SERVICE,
        two_towns["a"],
        disability_component=DisabilityComponent.KANGYUAN_STATION,
    )
    report = standards_check(date=DAY)
    assert finding(report, "disability.kangyuan_station", "442000100").status == "met"
    assert finding(report, "disability.kangyuan_station", "442000105").status == "short"
    five = finding(report, "disability.five_ones", "city")
    assert five.missing == ("kangyuan_network", "poverty_training_base")
    # A town's own check has no city-wide finding.
    town_only = standards_check(date=DAY, town_codes=["442000100"])
    assert not [f for f in town_only.findings if f.level == "city"]


def test_summary_counts_and_worst_status(two_towns):
    make_facility(Kind.GUIDANCE_STATION, two_towns["a"], instructors=1)
    make_facility(Kind.GUIDANCE_STATION, two_towns["a"], instructors=4)
    report = standards_check(date=DAY)
    row = next(
        r
        for r in report.summary
        if r["town"] == "442000100" and r["standard"] == "sports.station_instructors"
    )
    assert (
        row["subjects"],
        row["met"],
        row["short"],
        row["shortfall"],
        row["status"],
    ) == (
        2,
        1,
        1,
        1,
        "short",
    )


def test_pure_check_compares_exactly():
    town = compliance.Place("442000100", "442000100", "小榄")
    short = compliance.culture_area_per_10000(
        town=town,
        indoor_area=Decimal("35996.99"),
        population=299_975,
        per_10000=Decimal(1200),
    )
    met = compliance.culture_area_per_10000(
        town=town,
        indoor_area=Decimal("35997"),
        population=299_975,
        per_10000=Decimal(1200),
    )
    assert (short.status, short.shortfall) == ("short", Decimal("0.01"))
    assert met.status == "met"


def test_query_count_does_not_grow_with_facilities(two_towns):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            standards_check(date=DAY)
        return len(captured)

    make_facility(Kind.GUIDANCE_STATION, two_towns["a"], instructors=1)
    few = queries()
    for _ in range(20):
        make_facility(Kind.CULTURE_ROOM, two_towns["a"], village=two_towns["village"])
    assert queries() == few <= 8
