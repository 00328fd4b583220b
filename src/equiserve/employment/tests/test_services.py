"""The labour register's writes and the two targets counted from it (issue 15)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from equiserve.audit.models import AuditEntry
from equiserve.employment import selectors, services
from equiserve.employment.models import LabourStatus, Outcome, Status, Vacancy
from equiserve.employment.tests.factories import (
    make_employed,
    make_seeker,
    make_vacancy,
)
from equiserve.geography.models import Town, Village
from equiserve.testkit import GUZHEN, XIAOLAN, make_officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(geography):
    return make_officer("town-x", "town", town=XIAOLAN)


def test_a_hire_after_a_referral_ends_the_registration_and_records_employment(officer):
    registration = make_seeker(XIAOLAN, officer)
    vacancy = make_vacancy(XIAOLAN, officer)
    referral = services.referral_make(
        registration=registration,
        vacancy=vacancy,
        referred_on=dt.date(2015, 3, 5),
        actor=officer,
    )
    services.referral_outcome_record(
        referral=referral,
        outcome=Outcome.HIRED,
        outcome_on=dt.date(2015, 3, 20),
        actor=officer,
    )
    registration.refresh_from_db()
    vacancy.refresh_from_db()
    assert (registration.ended_on, registration.end_reason) == (
        dt.date(2015, 3, 20),
        "reemployed",
    )
    assert vacancy.closed_on == dt.date(2015, 3, 20)
    history = list(
        LabourStatus.objects.filter(person=registration.person).values_list(
            "status", "since", "until"
        )
    )
    assert history == [
        (Status.EMPLOYED, dt.date(2010, 1, 1), dt.date(2015, 2, 28)),
        (Status.UNEMPLOYED, dt.date(2015, 3, 1), dt.date(2015, 3, 19)),
        (Status.EMPLOYED, dt.date(2015, 3, 20), None),
    ]
    kinds = set(AuditEntry.objects.values_list("object_type", flat=True))
    assert {"employment.registration", "employment.referral"} <= kinds


def test_a_person_registered_already_cannot_register_twice(officer):
    registration = make_seeker(XIAOLAN, officer)
    with pytest.raises(ValidationError):
        services.seeker_register(
            person=registration.person,
            registered_on=dt.date(2015, 4, 1),
            occupation="6-08",
            wage_min=2000,
            actor=officer,
        )


def test_a_vacancy_of_no_position_is_refused_in_words_not_by_constraint_name(
    officer,
):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as raised:
        services.vacancy_post(
            employer="中山某厂",
            title="普工",
            occupation="6-08",
            town=Town.objects.get(code=XIAOLAN),
            wage=Decimal("2500.00"),
            hours_per_week=40,
            posted_on=dt.date(2015, 3, 2),
            positions=0,
            actor=officer,
        )
    assert raised.value.messages == ["岗位须有不低于 0 元的工资和至少一个名额。"]
    assert not Vacancy.objects.exists()


def test_a_closed_vacancy_takes_no_referral(officer):
    registration = make_seeker(XIAOLAN, officer)
    vacancy = make_vacancy(XIAOLAN, officer)
    Vacancy.objects.filter(pk=vacancy.pk).update(closed_on=dt.date(2015, 3, 1))
    vacancy.refresh_from_db()
    with pytest.raises(ValidationError):
        services.referral_make(
            registration=registration,
            vacancy=vacancy,
            referred_on=dt.date(2015, 3, 5),
            actor=officer,
        )


def _community(town):
    return Village.objects.filter(town_id=town, kind="community").order_by("code")[0]


def _rural_village(town):
    return Village.objects.filter(town_id=town, kind="village").order_by("code")[0]


def test_the_rate_counts_urban_residents_on_the_day_by_town_and_city(officer):
    urban, guzhen, rural = (
        _community(XIAOLAN),
        _community(GUZHEN),
        _rural_village(GUZHEN),
    )
    for _ in range(3):
        make_employed(XIAOLAN, village=urban)
    make_seeker(XIAOLAN, officer, village=urban, registered_on=dt.date(2015, 12, 31))
    make_employed(GUZHEN, village=guzhen)
    make_seeker(GUZHEN, officer, village=guzhen, registered_on=dt.date(2016, 1, 1))
    make_employed(GUZHEN, village=rural)  # rural: outside the urban rate
    make_seeker(GUZHEN, officer, village=rural)

    rates = selectors.rates_on(dt.date(2015, 12, 31))
    assert rates["towns"][XIAOLAN]["unemployed"] == 1
    assert rates["towns"][XIAOLAN]["labour_force"] == 4
    assert str(rates["towns"][XIAOLAN]["rate"]) == "25.00"
    # Registered the next day: still employed on 31 December.
    assert rates["towns"][GUZHEN]["unemployed"] == 0
    assert rates["towns"][GUZHEN]["labour_force"] == 2
    assert rates["city"]["labour_force"] == 6
    assert str(rates["city"]["rate"]) == "16.67"


def test_a_community_with_a_zero_employment_family_fails_the_standard(officer):
    from equiserve.testkit import make_household

    ok, failing = Village.objects.filter(town_id=XIAOLAN, kind="community").order_by(
        "code"
    )[:2]
    for _ in range(30):
        make_employed(XIAOLAN, village=ok)
    make_seeker(XIAOLAN, officer, village=ok)  # 1 of 31: 3.23 % ≤ 3.5 %
    family = make_household(XIAOLAN, village=failing)
    for _ in range(40):
        make_employed(XIAOLAN, village=failing)
    make_seeker(XIAOLAN, officer, village=failing, household=family)

    frame = selectors.communities_on(dt.date(2015, 12, 31), [XIAOLAN])
    rows = {row["community"]: row for row in frame.iter_rows(named=True)}
    assert rows[ok.code]["meets"] is True
    assert rows[failing.code]["zero_employment_families"] == 1
    assert rows[failing.code]["meets"] is False
    # Communities with no one on the register are not assessed, never met.
    others = [r for code, r in rows.items() if code not in (ok.code, failing.code)]
    assert others and not any(r["meets"] or r["assessed"] for r in others)
