"""The demo registry: its rates equal an independent count, and monitoring follows (issue 16).

One small synthetic city per test module; the test pays for it once.
"""

import datetime as dt
import re
from collections import defaultdict

import pytest

from equiserve.health import selectors, services
from equiserve.health.demo import health_demo_load
from equiserve.health.models import Enrolment, FollowUp, PsychologyTeacher
from equiserve.monitoring.definitions import load_definitions
from equiserve.monitoring.periods import period_get
from equiserve.monitoring.tests.conftest import run_worker
from equiserve.monitoring.values import compute
from equiserve.testkit import GUZHEN, SHIQI, XIAOLAN, make_person

DAY = dt.date(2016, 12, 31)


def _by_hand(day):
    """Count from the raw rows, apart from the selectors: 4 visits, HbA1c below 7.0."""
    start = dt.date(day.year - 1, day.month, day.day)
    visits = defaultdict(list)
    for enrolment, on, hba1c in FollowUp.objects.values_list(
        "enrolment_id", "visited_on", "hba1c"
    ).order_by("visited_on", "pk"):
        if start < on <= day:
            visits[enrolment].append(hba1c)
    patients = managed = controlled = 0
    for pk, enrolled, left, death in Enrolment.objects.values_list(
        "pk", "enrolled_on", "left_on", "person__death_date"
    ):
        if enrolled > day or (left and left <= day) or (death and death <= day):
            continue
        patients += 1
        managed += len(visits[pk]) >= 4
        measured = [h for h in visits[pk] if h is not None]
        controlled += bool(measured) and float(measured[-1]) < 7.0
    return patients, managed, controlled


@pytest.fixture
def city(demo_accounts):
    """A few hundred residents shaped like the demo city's, then the health demo."""
    for number in range(90):
        town = (SHIQI, XIAOLAN, GUZHEN)[number % 3]
        make_person(town, birth_date=dt.date(1960 + number % 40, 1 + number % 12, 1))
        make_person(town, birth_date=dt.date(2007, 1, 1), school_stage="primary")
        make_person(town, birth_date=dt.date(2002, 1, 1), school_stage="junior")
    return health_demo_load(seed=1)


def test_the_demo_registry_counts_and_the_dashboard_follow_the_records(
    city, login, token
):
    assert city["patients"] >= 10 and city["screenings"] > 0
    assert PsychologyTeacher.objects.filter(user__username="psych-xiaolan").exists()
    for day in (dt.date(2015, 6, 30), dt.date(2015, 12, 31), DAY):
        counts = selectors.t1d_counts(day)
        assert (counts.patients, counts.managed, counts.controlled) == _by_hand(day)

    # Monitoring's indicator is the registry's count, nothing typed in.
    definitions = load_definitions()
    managed = definitions.get("health.t1d_managed_rate")
    period = period_get("2016H2")
    counts = selectors.t1d_counts(DAY)
    value = compute([managed], periods=[period]).get(managed.code, period).value
    assert value == pytest.approx(float(counts.managed_rate), abs=0.05)

    # A follow-up moves the rate, and the dashboard (stored values) shows it.
    headers = {"Authorization": f"Bearer {token('office')}"}
    url = "/api/v1/monitoring/values?indicator=health.t1d_managed_rate&period=2016H2"
    login("office").get(url, headers=headers)  # asked for: computed by the worker
    run_worker()
    before = login("office").get(url, headers=headers).json()[0]["value"]
    late = next(
        e
        for e in Enrolment.objects.order_by("pk")
        if not selectors.status_on(e, DAY).managed
        and e.enrolled_on < dt.date(2016, 1, 1)
    )
    for month in (2, 4, 6, 8):
        services.follow_up_record(
            enrolment=late,
            visited_on=dt.date(2016, month, 15),
            insulin_regimen="pump",
            actor=None,
        )
    run_worker()
    after = login("office").get(url, headers=headers).json()[0]["value"]
    assert after > before
    page = login("office").get("/monitoring/indicators/health.t1d_managed_rate/")
    assert page.status_code == 200
    shown = f"{selectors.t1d_counts(DAY).managed_rate}"
    assert re.search(re.escape(shown), page.content.decode())
