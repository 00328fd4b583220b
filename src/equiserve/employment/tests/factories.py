"""What the employment tests build: officers, job seekers, vacancies (issue 15)."""

import datetime as dt
from decimal import Decimal

from equiserve.employment import services
from equiserve.employment.models import LabourStatus, Status, StatusSource
from equiserve.geography.models import Town
from equiserve.testkit import make_person


def make_employed(town: str, *, since=dt.date(2010, 1, 1), **fields):
    """Create a person with an open employed status from `since`."""
    person = make_person(town, **fields)
    LabourStatus.objects.create(
        person=person,
        status=Status.EMPLOYED,
        since=since,
        source=StatusSource.SOCIAL_INSURANCE,
    )
    return person


def make_seeker(town: str, actor, *, registered_on=dt.date(2015, 3, 1), **fields):
    """Create an employed person and register them unemployed at `town`."""
    person = make_employed(town, **fields)
    return services.seeker_register(
        person=person,
        registered_on=registered_on,
        occupation="6-08",
        wage_min=Decimal("2500.00"),
        skills="焊接",
        actor=actor,
    )


def make_vacancy(town: str, actor, **fields):
    values = {
        "employer": "明阳电器",
        "title": "装配工",
        "occupation": "6-08",
        "town": Town.objects.get(code=town),
        "wage": Decimal("3200.00"),
        "hours_per_week": 44,
        "posted_on": dt.date(2015, 2, 1),
        "actor": actor,
    }
    return services.vacancy_post(**(values | fields))
