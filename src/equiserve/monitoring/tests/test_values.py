"""Indicator values on the demo city equal a computation in plain Python over the ORM."""

import datetime as dt
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.apps import apps

from equiserve import equality
from equiserve.facilities.models import CULTURE_INDOOR_KINDS, Facility, Kind
from equiserve.facilities.selectors import standards_check
from equiserve.geography.models import NaturalVillage, Town, Village
from equiserve.monitoring.definitions import load_definitions
from equiserve.monitoring.measures import equality_report
from equiserve.monitoring.models import IndicatorEntry
from equiserve.monitoring.periods import period_get
from equiserve.monitoring.sources import CITY_PLACE
from equiserve.monitoring.values import compute
from equiserve.registry.models import Person, PersonHealth

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_city")]

H2_2015 = period_get("2015H2")
H1_2014 = period_get("2014H1")
GRADES_2A_UP = {"2A", "3C", "3B", "3A", "3S"}


def _indicator(code):
    return load_definitions().get(code)


def _resident(row, day) -> bool:
    return (
        row["birth_date"] <= day
        and (row["resident_since"] is None or row["resident_since"] <= day)
        and (row["death_date"] is None or row["death_date"] > day)
    )


def _age(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _band(age: int) -> str:
    return "0-14" if age <= 14 else "15-59" if age <= 59 else "60+"


@pytest.fixture(scope="module")
def persons(demo_city, django_db_blocker):
    with django_db_blocker.unblock():
        kinds = dict(Village.objects.values_list("code", "kind"))
        health = {
            row["person_id"]: row
            for row in PersonHealth.objects.values(
                "person_id", "t1d_diagnosed", "t1d_hospital_grade"
            )
        }
        rows = list(
            Person.objects.values(
                "pk",
                "town_id",
                "village_id",
                "hukou",
                "sex",
                "birth_date",
                "resident_since",
                "death_date",
                "school_stage",
            )
        )
    for row in rows:
        row["kind"] = kinds.get(row["village_id"])
        row["health"] = health.get(row["pk"])
    return rows


def _t1d(row, day) -> bool:
    record = row["health"]
    return (
        row["hukou"] == "zhongshan"
        and record is not None
        and record["t1d_diagnosed"] is not None
        and record["t1d_diagnosed"] <= day
        and record["t1d_hospital_grade"] in GRADES_2A_UP
    )


def test_type_1_diabetes_patients_by_town_equal_a_count_of_the_registry(persons):
    day = H2_2015.end
    expected = Counter(
        row["town_id"] for row in persons if _resident(row, day) and _t1d(row, day)
    )
    values = compute(
        [_indicator("health.t1d_patients")], periods=[H2_2015], levels=["city", "town"]
    )
    for town in Town.objects.values_list("code", flat=True):
        assert values.get("health.t1d_patients", H2_2015, town).value == expected[town]
    assert values.get("health.t1d_patients", H2_2015).value == sum(expected.values())
    # The fixture places records on both sides of every condition: some count.
    assert 0 < sum(expected.values()) < PersonHealth.objects.count()


@pytest.mark.parametrize("dimension", ["sex", "age_band", "urban_rural"])
def test_type_1_diabetes_splits_equal_plain_python(persons, dimension):
    day = H2_2015.end

    def group(row):
        if dimension == "sex":
            return row["sex"]
        if dimension == "age_band":
            return _band(_age(row["birth_date"], day))
        return {"community": "urban", "village": "rural"}.get(row["kind"], "unknown")

    expected = Counter(
        group(row) for row in persons if _resident(row, day) and _t1d(row, day)
    )
    values = compute(
        [_indicator("health.t1d_patients")], periods=[H2_2015], by=dimension
    )
    found = {
        v.group: v.value
        for v in values.select("health.t1d_patients", H2_2015, group=None)
        if v.value
    }
    assert found == {group: float(n) for group, n in expected.items()}


def test_coverage_denominators_split_by_hukou_equal_plain_python(persons):
    day = H2_2015.end
    values = compute(
        [_indicator("education.preschool_subsidy_coverage")],
        periods=[H2_2015],
        levels=["town"],
        by="hukou",
    )
    expected = Counter(
        (row["town_id"], row["hukou"])
        for row in persons
        if _resident(row, day) and row["school_stage"] == "kindergarten"
    )
    for (town, hukou), n in expected.items():
        value = values.get("education.preschool_subsidy_coverage", H2_2015, town, hukou)
        assert value.denominator == n


def test_deaths_in_a_period_count_the_dead_not_the_residents(persons):
    start, end = H2_2015.start, H2_2015.end
    expected = sum(
        1
        for row in persons
        if row["death_date"] is not None and start <= row["death_date"] <= end
    )
    values = compute([_indicator("social.free_funeral_coverage")], periods=[H2_2015])
    assert values.get("social.free_funeral_coverage", H2_2015).denominator == expected
    assert expected > 0


def test_e_reading_rooms_equal_a_count_of_culture_rooms(demo_city):
    day = H1_2014.end
    with_room = set(
        Facility.objects.filter(kind=Kind.CULTURE_ROOM, e_reading_room=True)
        .exclude(opening_date__gt=day)
        .values_list("village_id", flat=True)
    )
    villages = list(Village.objects.values_list("code", "town_id", "kind"))
    indicator = _indicator("culture.e_reading_rooms")
    values = compute([indicator], periods=[H1_2014], levels=["city", "town", "village"])
    for code, _town, _kind in villages:
        assert values.get(indicator.code, H1_2014, code).value == (
            100.0 if code in with_room else 0.0
        )
    for town in Town.objects.values_list("code", flat=True):
        own = [code for code, town_code, _ in villages if town_code == town]
        value = values.get(indicator.code, H1_2014, town)
        assert value.numerator == sum(code in with_room for code in own)
        assert value.denominator == len(own)
    city = values.get(indicator.code, H1_2014)
    assert city.value == pytest.approx(
        100 * len(with_room & {v[0] for v in villages}) / len(villages)
    )
    urban = compute([indicator], periods=[H1_2014], by="urban_rural").get(
        indicator.code, H1_2014, CITY_PLACE, "urban"
    )
    communities = [code for code, _, kind in villages if kind == "community"]
    assert urban.denominator == len(communities)
    assert urban.numerator == sum(code in with_room for code in communities)


def test_natural_village_grounds_equal_a_count_of_courts_and_tables(demo_city):
    day = H2_2015.end
    courts, tables = Counter(), Counter()
    for row in (
        Facility.objects.exclude(opening_date__gt=day)
        .exclude(natural_village__isnull=True)
        .values("natural_village_id", "basketball_courts", "table_tennis_tables")
    ):
        courts[row["natural_village_id"]] += row["basketball_courts"]
        tables[row["natural_village_id"]] += row["table_tennis_tables"]
    towns = dict(NaturalVillage.objects.values_list("code", "village__town_id"))
    met = Counter(
        town for code, town in towns.items() if courts[code] >= 1 and tables[code] >= 2
    )
    total = Counter(towns.values())
    indicator = _indicator("sports.natural_village_grounds")
    values = compute([indicator], periods=[H2_2015], levels=["city", "town"])
    for town, n in total.items():
        value = values.get(indicator.code, H2_2015, town)
        assert (value.numerator, value.denominator) == (met[town], n)
    assert values.get(indicator.code, H2_2015).value == pytest.approx(
        100 * sum(met.values()) / len(towns)
    )


def test_culture_area_per_10000_divides_the_floor_area_by_the_towns_population(
    demo_city,
):
    day = H2_2015.end
    area = defaultdict(Decimal)
    for row in (
        Facility.objects.filter(kind__in=CULTURE_INDOOR_KINDS)
        .exclude(opening_date__gt=day)
        .values("town_id", "indoor_area_m2")
    ):
        area[row["town_id"]] += row["indoor_area_m2"] or 0
    population = standards_check(date=day).population
    indicator = _indicator("culture.indoor_area_per_10000")
    values = compute([indicator], periods=[H2_2015], levels=["city", "town"])
    for town, people in population.items():
        value = values.get(indicator.code, H2_2015, town)
        assert value.value == pytest.approx(10000 * float(area[town]) / people)
    city = values.get(indicator.code, H2_2015)
    assert city.value == pytest.approx(
        10000 * float(sum(area.values())) / sum(population.values())
    )


def test_communities_meeting_full_employment_need_every_town_for_a_city_figure(
    demo_city, django_user_model
):
    indicator = _indicator("employment.full_employment_communities")
    towns = list(Town.objects.order_by("code").values_list("code", flat=True))
    communities = Counter(
        Village.objects.filter(kind="community").values_list("town_id", flat=True)
    )
    now = dt.datetime(2016, 1, 5, tzinfo=dt.UTC)
    for town in towns[:-1]:
        IndicatorEntry.objects.create(
            indicator=indicator.code,
            role="numerator",
            period="2015H2",
            place=town,
            value=communities[town],
            entered_at=now,
        )
    values = compute([indicator], periods=[H2_2015], levels=["city", "town"])
    assert values.get(indicator.code, H2_2015, towns[0]).value == (
        100.0 if communities[towns[0]] else None
    )
    assert values.get(indicator.code, H2_2015).value is None  # one town missing
    IndicatorEntry.objects.create(
        indicator=indicator.code,
        role="numerator",
        period="2015H2",
        place=towns[-1],
        value=0,
        entered_at=now,
    )
    city = compute([indicator], periods=[H2_2015]).get(indicator.code, H2_2015)
    total = sum(communities.values())
    assert city.value == pytest.approx(100 * (total - communities[towns[-1]]) / total)


def test_equality_of_a_demo_indicator_uses_the_towns_values_and_weights():
    indicator = load_definitions().get("culture.e_reading_rooms")
    period = period_get("2015H2")
    report = equality_report(indicator, period)
    towns = compute([indicator], periods=[period], levels=["town"]).select(
        indicator.code, period
    )
    expected = equality.summary(
        [v.value for v in towns], weights=[v.denominator for v in towns]
    )
    assert report["across_towns"]["theil_t"] == pytest.approx(expected["theil_t"])
    assert report["across_towns"]["gini"] == pytest.approx(expected["gini"])
    # Villages weighted by 1 each, grouped by town: the between-town part is the
    # towns' own Theil T weighted by their number of villages.
    assert report["city_to_towns"]["theil_t_between"] == pytest.approx(
        expected["theil_t"], abs=1e-12
    )
    city = compute([indicator], periods=[period], by="urban_rural")
    urban = city.get(indicator.code, period, "city", "urban").value
    rural = city.get(indicator.code, period, "city", "rural").value
    assert report["urban_rural_gap"]["gap"] == pytest.approx(urban - rural)
    assert len(report["convergence"]["cv"]["values"]) == 4  # 2014H1 … 2015H2


@pytest.mark.skipif(
    not apps.is_installed("equiserve.cases"),
    reason="the cases app is not installed: coverage is entered by hand",
)
def test_coverage_counts_children_with_an_entitlement_in_force(demo_city, users):
    case_model = apps.get_model("cases", "Case")
    decision_model = apps.get_model("cases", "Decision")
    entitlement_model = apps.get_model("cases", "Entitlement")
    officer = users["education"]
    day = H2_2015.end
    children = [
        person
        for person in Person.objects.filter(school_stage="kindergarten").order_by("pk")
        if _resident(
            {
                "birth_date": person.birth_date,
                "resident_since": person.resident_since,
                "death_date": person.death_date,
            },
            day,
        )
    ]
    registered = [p for p in children if p.hukou == "zhongshan"][:3]
    migrant = [p for p in children if p.hukou == "elsewhere"][:2]

    def grant(person, applied_on, active=True):
        case = case_model.objects.create(
            programme="preschool_subsidy",
            applicant=person,
            town_id=person.town_id,
            status="approved",
            applied_on=applied_on,
            created_by=officer,
            updated_by=officer,
        )
        decision = decision_model.objects.create(
            case=case, kind="approve", reason="demo", decided_by=officer
        )
        entitlement_model.objects.create(
            case=case,
            decision=decision,
            amount=Decimal(1500),
            approved_by=officer,
            active=active,
        )

    for person in registered:
        grant(person, dt.date(2015, 9, 1))
    grant(migrant[0], dt.date(2015, 9, 1), active=False)  # withdrawn: not counted
    grant(migrant[1], dt.date(2016, 2, 1))  # applied after 2015H2: not yet counted
    indicator = _indicator("education.preschool_subsidy_coverage")
    assert not indicator.numerator.entered
    values = compute([indicator], periods=[H2_2015], by="hukou")
    registered_value = values.get(indicator.code, H2_2015, CITY_PLACE, "zhongshan")
    migrant_value = values.get(indicator.code, H2_2015, CITY_PLACE, "elsewhere")
    assert registered_value.numerator == 3
    assert migrant_value.numerator == 0
    total = Counter(p.hukou for p in children)
    assert registered_value.value == pytest.approx(300 / total["zhongshan"])
    later = compute([indicator], periods=[period_get("2016H1")], by="hukou")
    assert later.get(indicator.code, "2016H1", CITY_PLACE, "elsewhere").numerator == 1
