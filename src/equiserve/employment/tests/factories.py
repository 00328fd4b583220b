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


def make_course(actor, *, town: str = "442000001", starts_on=dt.date(2015, 3, 1)):
    """Designate a provider in `town` and add a 60-day course with 30 places."""
    from equiserve.employment.models import TrainingProvider

    provider = TrainingProvider.objects.filter(town_id=town).first()
    if provider is None:
        provider = services.training_provider_approve(
            name=f"职业培训学校 {town}",
            town=Town.objects.get(code=town),
            approved_on=dt.date(2014, 1, 1),
            actor=actor,
        )
    return services.training_course_add(
        provider=provider,
        title="电子装配工（中级）",
        occupation="6-08",
        starts_on=starts_on,
        ends_on=starts_on + dt.timedelta(days=60),
        places=30,
        actor=actor,
    )


def make_completer(course, town: str, actor, *, certified_on=dt.date(2015, 5, 15)):
    """Enrol a new resident of `town` on `course` and certify them on `certified_on`."""
    enrolment = services.enrolment_make(
        course=course,
        person=make_person(town),
        enrolled_on=course.starts_on,
        actor=actor,
    )
    return services.enrolment_certify(
        enrolment=enrolment,
        completed_on=min(course.ends_on, certified_on),
        certificate_number=f"ZS{enrolment.pk:06d}",
        certified_on=certified_on,
        actor=actor,
    )
