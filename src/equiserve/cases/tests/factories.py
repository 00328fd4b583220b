"""Eligible applicants for each programme's cases (persons come from the test kit)."""

import datetime as dt

from equiserve.accounts.models import Role
from equiserve.registry.models import Person, PersonHealth
from equiserve.testkit import GUZHEN, XIAOLAN, make_household, make_officer
from equiserve.testkit import make_person as make_kit_person

__all__ = [
    "APPLIED_ON",
    "GUZHEN",
    "XIAOLAN",
    "eligible_applicant",
    "make_household",
    "make_officer",
    "make_person",
    "second_civil_affairs_officer",
]


def make_person(town: str = XIAOLAN, **fields) -> Person:
    """Create a person of the test kit, an adult born in 1980 unless said otherwise."""
    fields.setdefault("birth_date", dt.date(1980, 1, 1))
    return make_kit_person(town, **fields)


def second_civil_affairs_officer():
    return make_officer("civil-affairs-2", Role.DEPARTMENT, department="civil-affairs")


# One applicant per programme, who the plan's rules find eligible on the date
# of application that `APPLIED_ON` gives.
APPLIED_ON = {
    "funeral": dt.date(2015, 6, 22),
    "hardship_relief": dt.date(2015, 6, 10),
    "veteran_grant": dt.date(2015, 4, 1),
    "conscript_family_allowance": dt.date(2015, 7, 1),
    "student_insurance": dt.date(2015, 9, 1),
    "t1d_care": dt.date(2015, 3, 1),
    "prepregnancy_check": dt.date(2015, 9, 1),
    "family_planning_reward": dt.date(2015, 7, 1),
    "migrant_family_planning": dt.date(2015, 9, 1),
    "preschool_subsidy": dt.date(2015, 9, 1),
    "vocational_tuition": dt.date(2015, 9, 1),
    "employment_assistance": dt.date(2015, 7, 1),
    "community_employment_subsidy": dt.date(2015, 7, 1),
}


def _identify(person: Person) -> None:
    """Approve an employment-assistance case: the subsidy's identification (3.7)."""
    from django.contrib.auth import get_user_model

    from equiserve.cases import services

    officer = get_user_model().objects.get(username="hr-social-security")
    case = services.case_register(
        programme="employment_assistance",
        applicant=person,
        applied_on=dt.date(2015, 2, 1),
        facts={},
        documents=["id_card", "unemployment_certificate"],
        actor=officer,
    )
    services.case_assess(case=case, version=case.version, actor=officer)
    services.case_decide(
        case=case,
        version=case.version,
        decision="approve",
        reason="identified",
        actor=officer,
    )


def eligible_applicant(programme: str, town: str = XIAOLAN) -> Person:
    """Return a person the engine finds eligible under `programme`."""
    home = make_household(town)
    if programme == "funeral":
        return make_person(
            town,
            household=home,
            birth_date=dt.date(1940, 3, 1),
            death_date=dt.date(2015, 6, 20),
            death_storage_days=5,
            death_ash_storage_years=12,
        )
    if programme == "hardship_relief":
        return make_person(
            town,
            household=home,
            hukou="elsewhere",
            resident_since=dt.date(2012, 1, 1),
            hardship_cause="fire",
            hardship_date=dt.date(2015, 6, 1),
        )
    if programme == "veteran_grant":
        return make_person(
            town,
            household=home,
            birth_date=dt.date(1990, 5, 1),
            hukou_kind="rural",
            veteran_kind="transferred_nco",
            veteran_discharged=dt.date(2015, 3, 1),
            veteran_nco_years=8,
        )
    if programme == "conscript_family_allowance":
        return make_person(
            town,
            household=home,
            birth_date=dt.date(1996, 5, 1),
            hukou_kind="rural",
            conscription_enlisted=dt.date(2014, 9, 10),
        )
    if programme == "student_insurance":
        guardian = make_person(
            town,
            household=home,
            hukou="elsewhere",
            resident_since=dt.date(2010, 5, 1),
            points=180,
        )
        return make_person(
            town,
            household=home,
            birth_date=dt.date(2007, 9, 1),
            hukou="elsewhere",
            resident_since=dt.date(2012, 2, 1),
            school_stage="primary",
            guardian=guardian,
        )
    if programme == "t1d_care":
        person = make_person(town, household=home, birth_date=dt.date(2001, 1, 1))
        PersonHealth.objects.create(
            person=person,
            t1d_diagnosed=dt.date(2013, 5, 5),
            t1d_hospital_grade="3B",
        )
        return person
    if programme == "family_planning_reward":
        return make_person(
            town,
            household=home,
            birth_date=dt.date(1955, 1, 1),
            hukou_kind="rural",
            one_child_parent=True,
        )
    if programme in ("prepregnancy_check", "migrant_family_planning"):
        return make_person(
            town,
            household=home,
            birth_date=dt.date(1990, 4, 1),
            sex="F",
            hukou="elsewhere",
            resident_since=dt.date(2014, 1, 1),
        )
    if programme == "preschool_subsidy":
        return make_person(
            town,
            household=home,
            birth_date=dt.date(2011, 2, 1),
            school_stage="kindergarten",
        )
    if programme in ("employment_assistance", "community_employment_subsidy"):
        # Issue 15: a woman of 45, registered unemployed at her town's labour station.
        from equiserve.employment.models import Registration

        person = make_person(
            town, household=home, birth_date=dt.date(1970, 3, 1), sex="F"
        )
        Registration.objects.create(
            person=person,
            town_id=town,
            registered_on=dt.date(2015, 1, 5),
            occupation="4-01",
            wage_min="2000.00",
        )
        if programme == "community_employment_subsidy":
            _identify(person)
        return person
    assert programme == "vocational_tuition"
    return make_person(
        town, household=home, birth_date=dt.date(1999, 2, 1), school_stage="vocational"
    )
