"""The 3.3.2 rates come from the records (issue 16, acceptance 1)."""

import datetime as dt

import pytest

from equiserve.health import selectors
from equiserve.health.tests.factories import make_patient, visit
from equiserve.testkit import GUZHEN, XIAOLAN

DAY = dt.date(2015, 6, 30)


def _independent(rows, day, minimum=4, maximum=7.0):
    """Recount by hand: visits in (day − 1 year, day], latest HbA1c below 7."""
    start = day.replace(year=day.year - 1)
    managed = controlled = 0
    for visits in rows:
        kept = sorted(v for v in visits if start < v[0] <= day)
        managed += len(kept) >= minimum
        measured = [h for _, h in kept if h is not None]
        controlled += bool(measured) and measured[-1] < maximum
    return len(rows), managed, controlled


@pytest.fixture
def registry(geography):
    plans = [
        # (town, [(date, hba1c)])
        (
            XIAOLAN,
            [
                (dt.date(2014, 8, 1), 7.5),
                (dt.date(2014, 11, 1), None),
                (dt.date(2015, 2, 1), 6.8),
                (dt.date(2015, 5, 1), 6.9),
            ],
        ),
        (
            XIAOLAN,
            [
                (dt.date(2014, 7, 1), 6.0),
                (dt.date(2014, 11, 1), 6.5),
                (dt.date(2015, 2, 1), 8.1),
            ],
        ),
        (
            GUZHEN,
            [
                (dt.date(2015, 1, 1), 6.2),
                (dt.date(2015, 2, 1), None),
                (dt.date(2015, 3, 1), 6.4),
                (dt.date(2015, 6, 30), None),
            ],
        ),
        (GUZHEN, []),
        (GUZHEN, [(dt.date(2013, 12, 1), 5.0)]),
    ]
    enrolments = []
    for town, visits in plans:
        enrolment = make_patient(town=town, enrolled_on=dt.date(2013, 11, 1))
        for on, hba1c in visits:
            visit(enrolment, on, hba1c)
        enrolments.append(enrolment)
    return enrolments, [visits for _, visits in plans]


def test_rates_equal_an_independent_count(registry):
    _, rows = registry
    counts = selectors.t1d_counts(DAY)
    assert (counts.patients, counts.managed, counts.controlled) == _independent(
        rows, DAY
    )
    assert counts.managed_rate == round(100 * counts.managed / counts.patients, 1)
    by_town = selectors.t1d_counts_by_town(DAY)
    assert by_town[XIAOLAN].patients == 2 and by_town[GUZHEN].patients == 3


def test_rates_move_with_a_follow_up_and_an_hba1c(registry):
    enrolments, _ = registry
    before = selectors.t1d_counts(DAY)
    # The second patient gets a fourth visit: managed, not controlled (8.1 stands).
    visit(enrolments[1], dt.date(2015, 6, 1))
    after_visit = selectors.t1d_counts(DAY)
    assert after_visit.managed == before.managed + 1
    assert after_visit.controlled == before.controlled
    # Its latest HbA1c falls below 7: now controlled too.
    latest = enrolments[1].follow_ups.get(visited_on=dt.date(2015, 2, 1))
    latest.hba1c = 6.5
    latest.save()
    assert selectors.t1d_counts(DAY).controlled == before.controlled + 1


def test_a_patient_who_left_or_died_is_not_counted(registry):
    enrolments, _ = registry
    enrolments[3].left_on = dt.date(2015, 1, 1)
    enrolments[3].save()
    person = enrolments[4].person
    person.death_date = dt.date(2015, 3, 1)
    person.save()
    assert selectors.t1d_counts(DAY).patients == 3


def test_status_follows_the_parameters_window():
    rules = selectors.Definitions(4, selectors.Decimal("7.0"))
    visits = [(dt.date(2014, 7, 1), None)] + [
        (dt.date(2015, m, 1), None) for m in (1, 2, 3)
    ]
    assert selectors._status(visits, dt.date(2015, 6, 30), rules).managed
    assert not selectors._status(visits, dt.date(2015, 7, 1), rules).managed


def test_a_day_before_the_plan_counts_no_patient_and_does_not_fail(registry):
    """Schemathesis asked the rates on 2002-01-07: no definitions were in force."""
    assert selectors.Definitions.on(dt.date(2002, 1, 7)) is None
    assert selectors.t1d_counts(dt.date(2002, 1, 7)) == selectors.Counts()
