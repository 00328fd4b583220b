"""The health app's own test records: hospitals, patients, visits, pilot schools."""

import datetime as dt
from decimal import Decimal

from equiserve.health.models import (
    Enrolment,
    FollowUp,
    Hospital,
    HospitalStaff,
    PilotSchool,
    PsychologyTeacher,
)
from equiserve.registry.models import PersonHealth
from equiserve.testkit import XIAOLAN, make_officer, make_person


def make_hospital(code="h-renmin", grade="3A", town=XIAOLAN):
    return Hospital.objects.get_or_create(
        code=code, defaults={"name": f"医院{code}", "grade": grade, "town_id": town}
    )[0]


def make_patient(hospital=None, town=XIAOLAN, enrolled_on=dt.date(2014, 3, 1), **kw):
    """A registered person diagnosed at a grade-3A hospital, enrolled (no engine call)."""
    person = make_person(town, **kw)
    PersonHealth.objects.create(
        person=person, t1d_diagnosed=dt.date(2013, 5, 1), t1d_hospital_grade="3A"
    )
    return Enrolment.objects.create(
        person=person, hospital=hospital or make_hospital(), enrolled_on=enrolled_on
    )


def visit(enrolment, on, hba1c=None):
    return FollowUp.objects.create(
        enrolment=enrolment,
        visited_on=on,
        hba1c=None if hba1c is None else Decimal(str(hba1c)),
        insulin_regimen="basal_bolus",
    )


def make_hospital_user(username, hospital):
    user = make_officer(username, "health", department="health")
    HospitalStaff.objects.create(user=user, hospital=hospital)
    return user


def make_school(
    code="s-xl-1", town=XIAOLAN, stage="primary", pilot_from=dt.date(2014, 3, 1)
):
    return PilotSchool.objects.get_or_create(
        code=code,
        defaults={
            "name": f"学校{code}",
            "town_id": town,
            "stage": stage,
            "city_run": True,
            "pilot_from": pilot_from,
        },
    )[0]


def make_teacher_user(username, school, certified_on=dt.date(2014, 6, 1)):
    user = make_officer(username, "department", department="education")
    PsychologyTeacher.objects.create(
        school=school, name=username, certified_on=certified_on, user=user
    )
    return user
