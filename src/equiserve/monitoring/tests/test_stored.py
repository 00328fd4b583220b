"""Stored indicator values: marked stale by a change, recomputed by the worker.

Issue 13, deliverables 2 and 3: a change to a person's registry record marks
exactly the values it can move (its town, that town's villages and the city,
for the indicators counted from the registry), pages keep showing the previous
value marked as updating, and the worker (the task framework's `db_worker`)
recomputes them to what a live computation gives.
"""

import datetime as dt

import pytest

from equiserve.geography.models import Village
from equiserve.monitoring.definitions import CITY, TOWN, VILLAGE, load_definitions
from equiserve.monitoring.models import IndicatorValue
from equiserve.monitoring.periods import PERIODS, period_get
from equiserve.monitoring.selectors import judged
from equiserve.monitoring.stored import (
    REGISTRY,
    dependent_indicators,
    stored_values,
    values_refresh,
)
from equiserve.monitoring.values import compute
from equiserve.registry.models import Person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_city")]

XIAOLAN, GUZHEN = "442000100", "442000105"
# Counted from the registry, by town: the share of pupils with student insurance.
INSURANCE = "social.student_insurance_coverage"


def _rows():
    return {
        (r.indicator, r.period, r.place, r.by, r.group): r
        for r in IndicatorValue.objects.all()
    }


def _a_pupil_of(town: str) -> Person:
    return (
        Person.objects.filter(
            town_id=town,
            death_date__isnull=True,
            school_stage__in=["primary", "junior"],
        )
        .order_by("pk")
        .first()
    )


def test_a_registry_change_marks_only_its_town_and_the_city_and_the_worker_refreshes(
    worker,
):
    """Issue 13, acceptance: stale exactly where the change counts, then fresh."""
    definitions = load_definitions()
    dependent = {i.code for i in dependent_indicators(REGISTRY, definitions)}
    assert dependent and len(dependent) < len(definitions.indicators)
    before = _rows()
    assert before and not any(r.updating for r in before.values())
    person = _a_pupil_of(XIAOLAN)
    villages = set(
        Village.objects.filter(town_id=XIAOLAN).values_list("code", flat=True)
    )

    # Died on the first day of 2015: the two 2014 half-years cannot move.
    person.death_date = dt.date(2015, 1, 1)
    person.save()

    after = _rows()
    assert after.keys() == before.keys()
    marked = {key for key, row in after.items() if row.updating}
    # The fitness circle scales its people to the whole city: marked everywhere.
    circle = {
        i.code
        for i in definitions.indicators
        if any(term.source == "fitness_circle" for _role, term in i.terms())
    }
    for indicator, period, place, _by, _group in marked:
        assert indicator in dependent
        assert indicator in circle or place in {"city", XIAOLAN} | villages
        assert period_get(period).end >= dt.date(2015, 1, 1)
    # Every dependent value of Xiaolan, its village and the city from 2015 on.
    for key, row in after.items():
        indicator, period, place, _by, _group = key
        if (
            indicator in dependent
            and place in {"city", XIAOLAN, person.village_id}
            and period >= "2015H1"
        ):
            assert row.updating, key
    # Guzhen's values are untouched but for the circle.
    assert not any(
        row.updating
        for key, row in after.items()
        if key[2] == GUZHEN and key[0] not in circle
    )

    # Pages read the previous value, marked as updating, and compute nothing.
    period = period_get("2015H2")
    shown = stored_values(
        [definitions.get(INSURANCE)], periods=[period], levels=[TOWN], towns=[XIAOLAN]
    )
    old = shown.get(INSURANCE, period, XIAOLAN)
    assert old.value == before[(INSURANCE, "2015H2", XIAOLAN, "", "")].value
    assert shown.freshness(old).updating
    figure = next(
        f
        for f in judged(None, period, levels=[TOWN], towns=[XIAOLAN])
        if f.indicator.code == INSURANCE
    )
    assert figure.updating and figure.value == old.shown

    worker()

    fresh = _rows()
    assert not any(row.updating for row in fresh.values())
    live = compute(
        [definitions.get(code) for code in dependent],
        periods=PERIODS,
        levels=[CITY, TOWN, VILLAGE],
    )
    for value in live:
        row = fresh[
            (value.indicator.code, value.period.id, value.place, "", value.group)
        ]
        assert (row.numerator, row.denominator, row.value) == (
            value.numerator,
            value.denominator,
            value.value,
        ), (value.indicator.code, value.period.id, value.place, value.group)
    # The death moved some value of Xiaolan from 2015 on, and none before.
    changed = {
        key
        for key, row in before.items()
        if (row.numerator, row.denominator)
        != (fresh[key].numerator, fresh[key].denominator)
    }
    assert changed
    assert all(key in marked for key in changed)
    # What was not marked was not recomputed.
    for key, row in before.items():
        if key not in marked:
            assert fresh[key].computed_at == row.computed_at, key
            assert fresh[key].version == row.version, key


def test_a_value_never_computed_is_enqueued_not_computed_in_the_request(worker):
    """Issue 13, deliverable 2: a missing value waits for the worker."""
    IndicatorValue.objects.filter(indicator=INSURANCE, period="2016H1").delete()
    definitions = load_definitions()
    period = period_get("2016H1")
    indicator = definitions.get(INSURANCE)

    shown = stored_values([indicator], periods=[period], levels=[CITY, TOWN])

    assert shown.get(INSURANCE, period, "city") is None
    assert shown.pending == 25  # the city and its 24 towns, all enqueued
    worker()
    shown = stored_values([indicator], periods=[period], levels=[CITY, TOWN])
    live = compute([indicator], periods=[period], levels=[CITY, TOWN])
    assert shown.pending == 0
    assert len(shown) == len(live) == 25
    for value in live:
        assert shown.get(INSURANCE, period, value.place).value == value.value


def test_the_worker_keeps_a_change_made_while_it_computes_pending():
    """A mark newer than the data a computation read is not cleared by it."""
    from equiserve.monitoring.stored import data_version

    version = data_version()
    row = IndicatorValue.objects.filter(place=XIAOLAN).first()
    IndicatorValue.objects.filter(pk=row.pk).update(pending_version=version + 1)

    values_refresh()

    row.refresh_from_db()
    assert row.pending_version == version + 1


def test_the_dashboard_shows_the_previous_value_as_updating_then_the_fresh_one(
    users, login, worker
):
    """Issue 13, deliverable 3: while recomputed, the previous value, marked."""
    client = login("town-xiaolan")
    url = "/monitoring/?period=2015H2"
    trend = f"/monitoring/trend.json?indicator={INSURANCE}"
    html = client.get(url).content.decode()
    assert "Values as computed at" in html
    assert "being updated:" not in html  # the page's freshness line
    assert '<span class="updating" title=' not in html
    assert client.get(trend).json()["updating"] is False

    person = _a_pupil_of(XIAOLAN)
    person.death_date = dt.date(2015, 1, 1)
    person.save()

    html = client.get(url).content.decode()
    assert "being updated: their previous values are shown" in html
    # Xiaolan's figures counted from the registry keep their value, marked.
    assert '<span class="updating" title=' in html
    assert client.get(trend).json()["updating"] is True

    worker()

    html = client.get(url).content.decode()
    assert "being updated:" not in html  # the page's freshness line
    assert '<span class="updating" title=' not in html
    assert client.get(trend).json()["updating"] is False


@pytest.mark.parametrize("by", ["", "hukou"])
def test_a_half_year_computed_alone_agrees_with_it_computed_among_all(by):
    """The worker recomputes only the half-years a change marks (issue 13,
    deliverable 3): no value may depend on the periods computed with it."""
    levels = [CITY, TOWN, VILLAGE]

    def table(values):
        return [
            (v.indicator.code, v.place, v.group, v.numerator, v.denominator, v.value)
            for v in values
        ]

    together = compute(periods=PERIODS, levels=levels, by=by)
    for period in (PERIODS[0], PERIODS[3], PERIODS[-1]):
        alone = compute(periods=[period], levels=levels, by=by)
        expected = together.select(period=period, group=None)
        assert len(expected) > 50
        assert table(alone.select(group=None)) == table(expected), period.id


def test_the_worker_computes_the_town_a_change_touched_before_the_city():
    """A change in one town shows there first (issue 13, deliverable 3)."""
    from equiserve.monitoring.stored import _runs

    towns = {XIAOLAN, GUZHEN, "442000106"}
    rows = [
        ("sports.fitness_circle", "2016H2", place, "")
        for place in ("city", *sorted(towns))
    ] + [(INSURANCE, "2016H2", place, "") for place in ("city", XIAOLAN)]
    runs = _runs(rows, town_of={}, all_towns=towns)
    assert [(run["codes"], run["levels"], run["towns"]) for run in runs] == [
        ([INSURANCE], (TOWN, VILLAGE), [XIAOLAN]),
        ([INSURANCE], (CITY,), None),
        (["sports.fitness_circle"], (CITY, TOWN, VILLAGE), None),
    ]
    assert all(run["periods"] == ["2016H2"] for run in runs)


def test_the_worker_counts_a_town_by_queries_before_it_evaluates_the_rules():
    """The town's values counted by a query are fresh before those the engine
    counts (issue 13, deliverable 3), and both before the city."""
    from equiserve.monitoring.stored import _runs

    rule = "health.t1d_patients"
    rows = [
        (code, "2016H2", place, "")
        for code in (INSURANCE, rule)
        for place in ("city", XIAOLAN)
    ]
    runs = _runs(rows, town_of={}, all_towns={XIAOLAN, GUZHEN}, slow={rule})
    assert [(run["codes"], run["levels"], run["towns"]) for run in runs] == [
        ([INSURANCE], (TOWN, VILLAGE), [XIAOLAN]),
        ([rule], (TOWN, VILLAGE), [XIAOLAN]),
        ([rule, INSURANCE], (CITY,), None),
    ]


def test_the_city_is_summed_from_its_towns_where_its_figure_is_their_sum(monkeypatch):
    """After a change in one town, a city figure counted by town (people,
    households, patients) is the sum of the stored town figures, not a new
    count over the whole registry, and equals that count (issue 13)."""
    from equiserve.monitoring import stored

    computed = []
    real = stored.compute

    def recording(chosen, **kwargs):
        computed.append(({i.code for i in chosen}, tuple(kwargs["levels"])))
        return real(chosen, **kwargs)

    monkeypatch.setattr(stored, "compute", recording)
    definitions = load_definitions()
    person = _a_pupil_of(XIAOLAN)
    person.death_date = dt.date(2016, 12, 1)
    person.save()

    values_refresh()

    city_runs = [codes for codes, levels in computed if levels == (CITY,)]
    assert not any(INSURANCE in codes for codes in city_runs)
    period = period_get("2016H2")
    live = compute([definitions.get(INSURANCE)], periods=[period], levels=[CITY])
    row = IndicatorValue.objects.get(
        indicator=INSURANCE, period="2016H2", place="city", by="", group=""
    )
    expected = live.get(INSURANCE, period)
    assert row.pending_version is None
    assert (row.numerator, row.denominator, row.value) == (
        expected.numerator,
        expected.denominator,
        expected.value,
    )


def test_the_worker_rereads_only_the_changed_towns_persons_for_the_circle(
    worker, monkeypatch
):
    """A death in Xiaolan: the worker's kept circle tallies of the other towns
    are reused, and the circle's values equal a computation from scratch."""
    from equiserve.monitoring.sources import facilities
    from equiserve.testkit import record_persons_reads

    code = "sports.fitness_circle"
    definitions = load_definitions()
    # At its start the worker reads every town's tallies and keeps them (the
    # attribute is put back after the test).
    monkeypatch.setattr(facilities, "_kept", None)
    facilities.circle_tallies_keep()
    read = record_persons_reads(monkeypatch)
    person = _a_pupil_of(XIAOLAN)
    person.death_date = dt.date(2015, 1, 1)
    person.save()
    assert IndicatorValue.objects.filter(
        indicator=code, place=GUZHEN, pending_version__isnull=False
    ).exists()

    worker()

    assert read and all(found == [XIAOLAN] for found in read)
    monkeypatch.setattr(facilities, "_kept", None)
    live = compute(
        [definitions.get(code)], periods=PERIODS, levels=[CITY, TOWN, VILLAGE]
    )
    fresh = _rows()
    assert live
    for value in live:
        row = fresh[(code, value.period.id, value.place, "", value.group)]
        assert not row.updating
        assert (row.numerator, row.denominator) == (
            value.numerator,
            value.denominator,
        ), (value.period.id, value.place)


def _assert_stored_as_computed(codes) -> None:
    """Every stored total of `codes` is fresh and equals a computation now."""
    definitions = load_definitions()
    fresh = _rows()
    live = compute(
        [definitions.get(code) for code in sorted(codes)],
        periods=PERIODS,
        levels=[CITY, TOWN, VILLAGE],
    )
    assert live
    for value in live:
        row = fresh[
            (value.indicator.code, value.period.id, value.place, "", value.group)
        ]
        assert not row.updating
        assert (row.numerator, row.denominator) == (
            value.numerator,
            value.denominator,
        ), (value.indicator.code, value.period.id, value.place)


def _marked() -> set[tuple[str, str]]:
    return set(
        IndicatorValue.objects.filter(pending_version__isnull=False).values_list(
            "indicator", "place"
        )
    )


def _registry_changes() -> dict[str, int]:
    from equiserve.monitoring.models import TownRegistryChange

    return dict(TownRegistryChange.objects.values_list("town", "version"))


def _assert_marked_in_xiaolan_only(marked, changes_before: dict[str, int]) -> None:
    """Only Xiaolan, its villages and the city are marked, and the circle's
    kept tallies, reading nothing that changed, stay trusted."""
    assert {place for _code, place in marked} <= {"city", XIAOLAN} | set(
        Village.objects.filter(town_id=XIAOLAN).values_list("code", flat=True)
    )
    assert _registry_changes() == changes_before


def test_a_change_to_one_field_marks_only_the_indicators_that_read_it(worker):
    """Issue 13, deliverable 2: a parent's one-child status moves the one-child
    reward (3.3.3) and what may read any field, not the pupils' insurance or
    the fitness circle; the worker then agrees with a computation from scratch."""
    reward = "health.family_planning_reward_parents"
    changes_before = _registry_changes()
    person = (
        Person.objects.filter(town_id=XIAOLAN, death_date__isnull=True)
        .order_by("pk")
        .first()
    )
    person.one_child_parent = not person.one_child_parent
    person.save()

    marked = _marked()
    indicators = {code for code, _place in marked}
    assert reward in indicators
    assert INSURANCE not in indicators
    assert "sports.fitness_circle" not in indicators
    _assert_marked_in_xiaolan_only(marked, changes_before)

    worker()

    _assert_stored_as_computed(indicators | {INSURANCE})


def test_a_save_that_changes_nothing_marks_nothing():
    person = _a_pupil_of(XIAOLAN)
    person.save()

    assert not _marked()


def test_a_person_deleted_after_a_change_marks_every_registry_indicator():
    """The record remembered before the last save is not what a deletion
    removes: a deletion moves whatever the person counted in."""
    from equiserve.registry.models import Household

    household = Household.objects.filter(town_id=XIAOLAN).order_by("pk").first()
    person = Person.objects.create(
        key="monitoring-test-deleted",
        id_number="442000198005010000",
        name="测试",
        sex="F",
        birth_date=dt.date(1980, 5, 1),
        hukou="zhongshan",
        town_id=XIAOLAN,
        household=household,
    )
    IndicatorValue.objects.update(pending_version=None)
    person.one_child_parent = not person.one_child_parent
    person.save()
    IndicatorValue.objects.update(pending_version=None)

    person.delete()

    indicators = {code for code, _place in _marked()}
    assert indicators == {
        i.code for i in dependent_indicators(REGISTRY, load_definitions())
    }


def test_a_household_change_leaves_the_fitness_circle_alone(worker):
    """The circle reads persons' own place, age and registration: a household's
    income moves the housing indicators of its town, not the circle's values
    nor its kept tallies."""
    from equiserve.registry.models import Household

    changes_before = _registry_changes()
    household = Household.objects.filter(town_id=XIAOLAN).order_by("pk").first()
    household.annual_income = (household.annual_income or 0) + 1000
    household.save()

    marked = _marked()
    indicators = {code for code, _place in marked}
    assert "housing.urban_lower_middle_difficulty" in indicators
    assert "sports.fitness_circle" not in indicators
    _assert_marked_in_xiaolan_only(marked, changes_before)

    worker()

    _assert_stored_as_computed(indicators)
