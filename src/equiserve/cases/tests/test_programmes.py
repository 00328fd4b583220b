"""Programmes as data, the state machine, facts, and the API document."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from equiserve.accounts.models import Department
from equiserve.cases.facts import parse_fact
from equiserve.cases.programmes import PROGRAMMES, programmes_of_department
from equiserve.cases.workflow import TRANSITIONS, Status, TransitionRefused, next_status
from equiserve.rules import plan_gateway


def test_each_programme_is_led_by_the_catalogues_department_and_decided_by_engine_outputs():
    plan = plan_gateway.plan()
    leads = {
        item["clause"]: item["lead"]
        for domain in plan.catalogue["domains"]
        for item in domain["items"]
    }
    outputs = set(plan.outputs("person"))
    for programme in PROGRAMMES.values():
        assert leads[programme.clause] == programme.department, programme.code
        assert programme.department in Department.values
        assert programme.eligibility in programme.outputs
        assert set(programme.outputs) <= outputs, programme.code
        for item in programme.items:
            assert item.limit_output is None or item.limit_output in outputs


def test_programmes_of_department():
    # In the order of programmes.yaml, which follows the plan's clauses.
    assert programmes_of_department("civil-affairs") == [
        "hardship_relief",
        "veteran_grant",
        "conscript_family_allowance",
        "funeral",
    ]
    assert programmes_of_department("health") == [
        "t1d_care",
        "family_planning_reward",
        "prepregnancy_check",
        "migrant_family_planning",
    ]
    assert programmes_of_department("education") == [
        "preschool_subsidy",
        "vocational_tuition",
    ]
    assert programmes_of_department("hr-social-security") == [
        "student_insurance",
        "employment_assistance",  # issue 15
        "community_employment_subsidy",
    ]
    assert programmes_of_department("culture") == []


def test_only_the_type_1_diabetes_programme_carries_health_details():
    assert [p.code for p in PROGRAMMES.values() if p.health] == ["t1d_care"]


def test_every_status_is_reached_and_refusals_say_what_is_possible():
    reached = {Status.SUBMITTED} | {
        target for moves in TRANSITIONS.values() for target in moves.values()
    }
    assert reached | {Status.AWAITING_SECOND, Status.FULFILLED} == set(Status.values)
    with translation.override("en"), pytest.raises(TransitionRefused) as refused:
        next_status("appeal", Status.SUBMITTED)
    assert refused.value.message == (
        "“Record an appeal” is not possible while the case is “Submitted”; it is "
        "possible only when the case is: Rejected, Approved, Fulfilled."
    )


@pytest.mark.parametrize(
    ("name", "raw", "stored"),
    [
        ("death_date", "2015-06-20", "2015-06-20"),
        ("death_storage_days", "3", 3),
        ("death_storage_days", 3.0, 3),
        ("requested_amount", "1500", "1500.00"),
        ("hardship_cause", "fire", "fire"),
        ("hardship_cause", "Fire", "fire"),
        ("t1d_hospital_grade", "3A", "3A"),
        ("death_date", "", None),
    ],
)
def test_facts_are_stored_in_one_form(name, raw, stored):
    with translation.override("en"):
        assert parse_fact(name, raw) == stored


def test_a_bad_fact_says_why():
    with translation.override("en"), pytest.raises(ValidationError) as bad:
        parse_fact("hardship_cause", "flood")
    assert bad.value.messages == [
        "“flood” is not one of: Accident, Sudden illness, Natural disaster, Fire, "
        "Crime, Other sudden cause"
    ]


@pytest.mark.django_db
def test_the_case_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/cases",
        "/api/v1/cases/{case_id}",
        "/api/v1/cases/{case_id}/assess",
        "/api/v1/cases/{case_id}/decide",
        "/api/v1/cases/{case_id}/deliveries",
        "/api/v1/cases/{case_id}/appeal",
    } <= set(paths)
    decide = paths["/api/v1/cases/{case_id}/decide"]["post"]
    assert {"200", "403", "404", "409", "422"} <= set(decide["responses"])
    assert decide["security"] == [{"BearerAuth": []}]


@pytest.mark.django_db
def test_the_queue_reads_in_a_fixed_number_of_queries(
    officers, make_case, login, django_assert_max_num_queries
):
    for _ in range(6):
        make_case("funeral")
    client = login("civil-affairs")
    # Session, user, profile, count, page of cases with applicants and towns, towns.
    with django_assert_max_num_queries(8):
        response = client.get("/cases/", HTTP_HX_REQUEST="true")
    assert response.content.decode().count("/cases/") >= 6


@pytest.mark.django_db
def test_opening_a_case_in_the_admin_is_logged(officers, make_case, login):
    from equiserve.audit.models import AuditEntry

    case = make_case("funeral")
    response = login("auditor").get(f"/admin/cases/case/{case.pk}/change/")
    assert response.status_code == 200
    entry = AuditEntry.objects.filter(action="view", object_id=str(case.pk)).get()
    assert entry.changes["channel"] == "admin"
    assert entry.actor_username == "auditor"
