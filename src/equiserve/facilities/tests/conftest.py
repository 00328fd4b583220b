import datetime as dt

import pytest

from equiserve.facilities import standards
from equiserve.facilities.models import Kind
from equiserve.facilities.tests import factories
from equiserve.facilities.tests.factories import (
    make_facility,
    make_natural_village,
    make_person,
)


@pytest.fixture
def override(monkeypatch):
    """Set what-if values of facilities parameters (the engine's overrides)."""
    overrides: dict[str, dict] = {}
    original = standards.facility_parameters

    def set_values(name: str, values: dict) -> None:
        overrides[standards.PREFIX + name] = values

    monkeypatch.setattr(
        standards, "facility_parameters", lambda: original(overrides or None)
    )
    return set_values


@pytest.fixture
def two_towns(db):
    """Town A with a community, a village with two natural villages; town B."""
    town_a = factories.make_town(factories.TOWN_A, 113.25, 22.65, "小榄")
    town_b = factories.make_town(factories.TOWN_B, 113.19, 22.61, "古镇")
    community = factories.make_village(town_a, 1, 113.25, 22.65, kind="community")
    village = factories.make_village(town_a, 201, 113.27, 22.66)
    hamlet_1 = factories.make_natural_village(village, 1, 113.272, 22.661)
    hamlet_2 = factories.make_natural_village(village, 2, 113.268, 22.659)
    village_b = factories.make_village(town_b, 201, 113.19, 22.61)
    return {
        "a": town_a,
        "b": town_b,
        "community": community,
        "village": village,
        "hamlet_1": hamlet_1,
        "hamlet_2": hamlet_2,
        "village_b": village_b,
    }


@pytest.fixture
def city(two_towns):
    """Eleven people in three groups, two sports places; see the test's comments."""
    a, b = two_towns["a"], two_towns["b"]
    village, community = two_towns["village"], two_towns["community"]
    two_towns["hamlet_3"] = make_natural_village(village, 3, 113.29, 22.67)
    # Community: three people, covered by a fitness garden about 670 m north.
    make_person(a, community)
    make_person(a, community, hukou="elsewhere")
    make_person(a, community, born=dt.date(2010, 5, 1))
    # Village: five people spread over hamlets 1, 2, 3, 1, 2 in key order;
    # the third (hamlet 3, about 2.2 km from the court) is a migrant.
    for number in range(5):
        make_person(a, village, hukou="elsewhere" if number == 2 else "zhongshan")
    # Town B: one person with no village (town centre), two in its village.
    make_person(b, None, born=dt.date(1950, 1, 1))
    make_person(b, two_towns["village_b"])
    make_person(b, two_towns["village_b"])
    make_facility(Kind.FITNESS_GROUND, a, lon=113.25, lat=22.656, site_area_m2=1000)
    make_facility(
        Kind.SPORTS_GROUND,
        a,
        village=village,
        natural_village=two_towns["hamlet_1"],
        lon=113.272,
        lat=22.661,
        site_area_m2=500,
        basketball_courts=1,
    )
    # Not places to exercise, or not yet open on DAY:
    make_facility(Kind.LIBRARY, b, lon=113.19, lat=22.61)
    make_facility(
        Kind.GUIDANCE_STATION,
        b,
        lon=113.19,
        lat=22.61,
        opening_date=dt.date(2016, 1, 1),
    )
    return two_towns
