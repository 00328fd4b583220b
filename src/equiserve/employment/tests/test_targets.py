"""The two 3.7 targets on the demo register equal an independent count (issue 15).

The demo loader's register over a few hundred persons in three towns; the rate
and the community assessment are recounted here in plain Python from the rows,
and the monitoring indicators (no longer typed in) must give the same figures.
"""

import datetime as dt
from collections import Counter, defaultdict

import pytest

from equiserve.employment.demo import employment_demo_load
from equiserve.employment.models import LabourStatus
from equiserve.geography.models import Village
from equiserve.monitoring.definitions import load_definitions
from equiserve.monitoring.periods import period_get
from equiserve.monitoring.values import compute
from equiserve.testkit import GUZHEN, SHIQI, XIAOLAN, make_household, make_person

pytestmark = pytest.mark.django_db
H2_2015 = period_get("2015H2")
RATE = "employment.urban_unemployment_rate"
COMMUNITIES = "employment.full_employment_communities"


@pytest.fixture
def register(geography):
    villages = list(
        Village.objects.filter(town_id__in=[XIAOLAN, GUZHEN, SHIQI]).order_by("code")
    )
    for number in range(400):
        village = villages[number % len(villages)]
        household = make_household(village.town_id, village=village)
        for member in range(2):
            make_person(
                village.town_id,
                village=village,
                household=household,
                birth_date=dt.date(1960 + (number + member) % 35, 1 + member, 15),
            )
    employment_demo_load(seed=3)


def _rows(day):
    return [
        row
        for row in LabourStatus.objects.filter(since__lte=day).values(
            "status",
            "until",
            "person__town_id",
            "person__village_id",
            "person__village__kind",
            "person__household_id",
        )
        if row["until"] is None or row["until"] >= day
    ]


def test_the_rate_and_the_communities_equal_an_independent_count(register):
    day = H2_2015.end
    rows = _rows(day)
    unemployed, labour = Counter(), Counter()
    for row in rows:
        if row["person__village__kind"] != "community":
            continue
        town = row["person__town_id"]
        unemployed[town] += row["status"] == "unemployed"
        labour[town] += row["status"] != "inactive"
    assert sum(unemployed.values()) > 0

    values = compute(
        [load_definitions().get(RATE), load_definitions().get(COMMUNITIES)],
        periods=[H2_2015],
        levels=["city", "town"],
    )
    for town in (XIAOLAN, GUZHEN, SHIQI):
        value = values.get(RATE, H2_2015, town)
        assert value.numerator == unemployed[town]
        assert value.denominator == labour[town]
    city = values.get(RATE, H2_2015)
    assert city.value == pytest.approx(
        100 * sum(unemployed.values()) / sum(labour.values())
    )

    # Communities: rate ≤ 3.5 % and no household with a worker-to-be and none at work.
    by_community = defaultdict(list)
    for row in rows:
        if row["person__village__kind"] == "community":
            by_community[row["person__village_id"]].append(row)
    met = set()
    for community, members in by_community.items():
        lost = sum(r["status"] == "unemployed" for r in members)
        force = sum(r["status"] != "inactive" for r in members)
        homes = defaultdict(list)
        for r in members:
            homes[r["person__household_id"]].append(r["status"])
        zero = sum(
            any(s != "inactive" for s in st) and "employed" not in st
            for st in homes.values()
        )
        if lost * 100 <= force * 3.5 and zero == 0:
            met.add(community)
    communities = Village.objects.filter(kind="community")
    expected = len(met) / communities.count() * 100
    assert values.get(COMMUNITIES, H2_2015).value == pytest.approx(expected)
    assert 0 < len(met) < len(by_community)
