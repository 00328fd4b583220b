"""The demo city's facilities show the gaps the pages are for."""

import datetime as dt
from collections import Counter

import pytest

from equiserve.facilities.models import Facility, Kind
from equiserve.facilities.selectors import fitness_circle, standards_check
from equiserve.facilities.services import facilities_demo_load
from equiserve.registry.services import population_import_parquet
from equiserve.synth import synthesize


@pytest.fixture
def demo_city(geography, tmp_path):
    synthesize(scale=0.0005, seed=1, out_dir=tmp_path, progress=False)
    population_import_parquet(tmp_path, replace=True)
    return facilities_demo_load(seed=1)


@pytest.mark.django_db
def test_demo_facilities_have_realistic_gaps(demo_city):
    assert set(demo_city) == set(Kind.values)
    assert not Facility.objects.filter(synthetic=False).exists()
    report = standards_check(date=dt.date(2016, 12, 31))
    statuses = Counter((f.standard, f.status) for f in report.findings)
    # Some towns under 1,200 m² per 10,000 residents, most above.
    assert 4 <= statuses[("culture.indoor_area_per_10000", "short")] <= 12
    assert statuses[("culture.indoor_area_per_10000", "met")] >= 12
    assert statuses[("sports.natural_village_courts", "short")] > 50
    assert statuses[("sports.natural_village_tables", "short")] > 50
    assert statuses[("culture.e_reading_room", "short")] > 5
    assert statuses[("disability.five_ones", "short")] == 1
    ones = [
        f
        for f in report.findings
        if f.standard == "sports.station_instructors" and f.actual == 1
    ]
    assert ones and all(f.status == "short" for f in ones)
    schools = [
        f for f in report.findings if f.standard == "schools.senior_high_city_managed"
    ]
    assert [f.status for f in schools].count("short") == 1
    circle = fitness_circle(date=dt.date(2016, 12, 31))
    outside = [row for row in circle.villages if row["records"] and row["share"] < 1]
    assert len(outside) > 10
    assert 0.6 < circle.total["share"] < 0.97
    # Courts built in 2014-2016 widen the circle over the plan's years.
    assert (
        fitness_circle(date=dt.date(2014, 1, 1)).total["share"] < circle.total["share"]
    )


@pytest.mark.django_db
def test_demo_load_is_repeatable_and_keeps_real_facilities(geography):
    first = facilities_demo_load(seed=1)
    fields = ["code", "kind", "lon", "lat", "indoor_area_m2", "site_area_m2"]
    before = list(Facility.objects.order_by("code").values_list(*fields))
    real = Facility.objects.create(
        code="REAL-1",
        kind=Kind.LIBRARY,
        name_zh="真图书馆",
        town_id="442000001",
        lon=113.4,
        lat=22.5,
    )
    assert facilities_demo_load(seed=1) == first
    assert (
        list(
            Facility.objects.filter(synthetic=True)
            .order_by("code")
            .values_list(*fields)
        )
        == before
    )
    assert Facility.objects.filter(pk=real.pk).exists()
    assert facilities_demo_load(seed=2) != first
