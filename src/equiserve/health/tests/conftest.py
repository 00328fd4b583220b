"""A small world for the health pages: two hospitals, a patient, two pilot schools."""

import datetime as dt

import pytest

from equiserve.health import services
from equiserve.health.tests.factories import (
    make_hospital,
    make_hospital_user,
    make_patient,
    make_school,
    make_teacher_user,
    visit,
)
from equiserve.testkit import GUZHEN, XIAOLAN, make_person


@pytest.fixture
def world(demo_accounts):
    renmin = make_hospital("h-renmin", grade="3A")
    guzhen = make_hospital("h-guzhen", grade="2A", town=GUZHEN)
    patient = make_patient(hospital=renmin, enrolled_on=dt.date(2015, 1, 10))
    for month in (3, 6, 9):
        visit(patient, dt.date(2016, month, 1), 7.4)
    make_hospital_user("hospital-renmin", renmin)
    make_hospital_user("hospital-guzhen", guzhen)
    school_a = make_school("s-xl-1")
    school_b = make_school("s-gz-1", town=GUZHEN)
    make_teacher_user("psych-xl", school_a)
    make_teacher_user("psych-gz", school_b)
    pupils = {}
    for school, town in ((school_a, XIAOLAN), (school_b, GUZHEN)):
        for score in (40, 60, 70):
            pupil = make_person(town, birth_date=dt.date(2006, 5, 1))
            screening = services.screening_record(
                school=school,
                person=pupil,
                screened_on=dt.date(2015, 10, 1),
                instrument="mht",
                score=score,
                actor=None,
            )
            if screening.risk_level == "high":
                services.referral_record(
                    screening=screening,
                    referred_on=dt.date(2015, 10, 8),
                    service="市第三人民医院心理科",
                    followed_up_on=dt.date(2015, 11, 1),
                    actor=None,
                )
            pupils.setdefault(school.code, []).append(pupil)
    # A migrant given a free 3.3.4 service (the engine finds her eligible).
    migrant = make_person(
        XIAOLAN,
        hukou="elsewhere",
        resident_since=dt.date(2013, 2, 1),
        birth_date=dt.date(1991, 3, 4),
    )
    service = services.migrant_service_record(
        person=migrant,
        kind="iud_pregnancy_check",
        delivered_on=dt.date(2016, 6, 1),
        provider="小榄人民医院",
        actor=None,
    )
    return {
        "patient": patient,
        "service": service,
        "hospitals": (renmin, guzhen),
        "schools": (school_a, school_b),
        "pupils": pupils,
    }
