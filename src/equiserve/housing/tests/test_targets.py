"""The 3.8 target by town: urban lower-middle-income households under 15 m² a head.

Who is in difficulty is the rules engine's `public_rental_housing_eligible`
(issue 13): the last test checks the target against the engine and against the
monitoring indicator `housing.difficulty_solved` on one fixture.
"""

import datetime as dt

import pytest
from django.utils import timezone

from equiserve.housing import services
from equiserve.housing.models import Offer
from equiserve.housing.selectors import housing_difficulty_by_town
from equiserve.housing.tests.factories import (
    AS_OF,
    GUZHEN,
    XIAOLAN,
    apply,
    estate,
    household,
    unit,
)
from equiserve.registry.models import Household
from equiserve.testkit import make_person

pytestmark = pytest.mark.django_db


def _by_town(rows):
    return {row["town"]: (row["total"], row["solved"]) for row in rows}


def test_the_target_counts_urban_lower_middle_income_households_by_town(geography):
    # Counted: exactly 15 m² a head and exactly the income line (2,428 a month).
    household(XIAOLAN, size=2, floor_area="30.00", income="58272.00")
    household(GUZHEN, size=3, floor_area="20.00", income="10000.00")
    # Not counted: over the area, over the income, rural, migrant, no one alive.
    household(XIAOLAN, size=2, floor_area="30.01", income="10000.00")
    household(XIAOLAN, size=2, floor_area="20.00", income="58272.01")
    household(XIAOLAN, size=2, floor_area="20.00", hukou_kind="rural")
    household(XIAOLAN, size=2, floor_area="20.00", hukou="elsewhere", points=150)
    gone, member = household(XIAOLAN, size=1, floor_area="10.00", income="20000")
    member.death_date = dt.date(2015, 1, 1)
    member.save()
    rows = housing_difficulty_by_town(date=dt.date(2015, 12, 31))
    assert len(rows) == 24
    assert [row["town"] for row in rows] == sorted(row["town"] for row in rows)
    assert set(rows[0]) == {"town", "total", "solved", "undetermined"}
    counts = _by_town(rows)
    assert counts[XIAOLAN] == (1, 0)
    assert counts[GUZHEN] == (1, 0)
    assert sum(total for total, _ in counts.values()) == 2
    # Before death the single member's household counted too.
    assert _by_town(housing_difficulty_by_town(date=dt.date(2014, 12, 31)))[
        XIAOLAN
    ] == (2, 0)


def test_a_household_housed_is_solved_on_the_day_it_accepts_and_stays_counted(
    geography,
):
    home, person = household(XIAOLAN, size=2, floor_area="20.00")
    apply(home, person, [e := estate("E1")])
    unit(e, "E1-101")
    services.round_freeze(round_id="r1", title="r1", as_of=AS_OF, actor=None)
    services.round_draw(round_id="r1", actor=None)
    offer = Offer.objects.get()
    services.offer_answer(offer_id=offer.pk, answer="accept", version=1, actor=None)
    today = timezone.localdate()
    assert _by_town(housing_difficulty_by_town(date=today))[XIAOLAN] == (1, 1)
    yesterday = today - dt.timedelta(days=1)
    assert _by_town(housing_difficulty_by_town(date=yesterday))[XIAOLAN] == (1, 0)
    # The new home lifts the household over 15 m² a head: still counted, solved.
    home.floor_area_m2 = 60
    home.save()
    make_person(XIAOLAN, household=home, hukou="zhongshan", hukou_kind="urban")
    assert _by_town(housing_difficulty_by_town(date=today))[XIAOLAN] == (1, 1)


def test_the_target_is_the_engines_and_the_indicators_on_one_fixture(geography):
    """Conformance (issue 13): total, solved and undetermined by town equal the
    engine's outcome over the same households and the 3.8 indicator's terms."""
    from equiserve.monitoring.definitions import load_definitions
    from equiserve.monitoring.periods import period_get
    from equiserve.monitoring.sources import engine
    from equiserve.monitoring.values import compute

    period = period_get("2015H2")
    household(XIAOLAN, size=2, floor_area="30.00", income="58272.00")
    household(XIAOLAN, size=2, floor_area="20.00", income="10000", assets="999999")
    unknown, _ = household(XIAOLAN, size=3, floor_area="20.00")
    Household.objects.filter(pk=unknown.pk).update(annual_income=None)
    household(GUZHEN, size=1, floor_area="10.00", income="1000")
    household(GUZHEN, size=2, floor_area="90.00", income="1000")
    household(GUZHEN, size=2, floor_area="10.00", hukou_kind="rural")
    rows = _by_town(housing_difficulty_by_town(date=period.end))
    outcome = dict(
        engine.evaluate("public_rental_housing_eligible", period.end).iter_rows()
    )
    urban = Household.objects.filter(
        members__hukou="zhongshan", members__hukou_kind="urban"
    ).distinct()
    for town in (XIAOLAN, GUZHEN):
        found = [
            outcome[pk]
            for pk in urban.filter(town_id=town).values_list("pk", flat=True)
        ]
        assert rows[town] == (found.count(True), 0)
    undetermined = {
        row["town"]: row["undetermined"]
        for row in housing_difficulty_by_town(date=period.end)
    }
    assert (undetermined[XIAOLAN], undetermined[GUZHEN]) == (1, 0)
    assert rows[XIAOLAN] == (1, 0) and rows[GUZHEN] == (1, 0)
    solved = load_definitions().get("housing.difficulty_solved")
    values = compute([solved], periods=[period], levels=["town"])
    for town in (XIAOLAN, GUZHEN):
        value = values.get(solved.code, period, town)
        assert (value.denominator, value.numerator) == rows[town]
        assert value.denominator_undetermined == undetermined[town]
