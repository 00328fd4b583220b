"""Every programme's path through the API: application → assessment → decision →
entitlement → payments or services → appeal, with maker–checker (issue 4)."""

import datetime as dt

import pytest

from equiserve.audit.models import AuditEntry
from equiserve.cases.models import Case, Delivery, Entitlement
from equiserve.cases.programmes import PROGRAMMES
from equiserve.cases.tests.factories import APPLIED_ON, eligible_applicant

pytestmark = pytest.mark.django_db

# What each programme's approval grants to the factories' eligible applicant.
GRANTS = {
    "hardship_relief": {"amount": "2000.00", "items": {}},
    "funeral": {
        "amount": None,
        "items": {
            "body_transport": 1,
            "body_storage": 3,
            "farewell_hall": 1,
            "cremation": 1,
            "ashes_storage": 10,
        },
    },
    # 3 × the 2014 average wage (56,322) + 8 NCO years × one month's wage (4,693.50).
    "veteran_grant": {"amount": "206514.00", "items": {}},
    # The year's allowance, 12,000 CNY (illustrative, issue 12 point 3).
    "conscript_family_allowance": {"amount": "12000.00", "items": {}},
    "student_insurance": {"amount": None, "items": {"insurance_enrolment": None}},
    "t1d_care": {
        "amount": None,
        "items": {"glucose_drugs": None, "glucose_tests": None},
    },
    "prepregnancy_check": {"amount": None, "items": {"prepregnancy_check": 1}},
    # Issue 12, point 8: every free service of 3.3.4, the reward once.
    "migrant_family_planning": {
        "amount": None,
        "items": {
            "contraceptives": None,
            "iud_insertion": None,
            "iud_removal": None,
            "sterilization": None,
            "pregnancy_termination": None,
            "iud_pregnancy_check": None,
            "birth_control_reward": 1,
            "quarterly_insurance": None,
        },
    },
    # The reward on one standard, 3,000 CNY (illustrative, issue 12 point 7).
    "family_planning_reward": {"amount": "3000.00", "items": {}},
    "preschool_subsidy": {"amount": "1500.00", "items": {}},
    "vocational_tuition": {"amount": None, "items": {"tuition_waiver": None}},
    # Issue 15: the assistance's services; six months of a community post at the
    # illustrative 380.50 CNY a month.
    "employment_assistance": {
        "amount": None,
        "items": {"assistance_plan": 1, "job_referral": None, "public_welfare_post": 1},
    },
    "community_employment_subsidy": {"amount": "2283.00", "items": {}},
}

# Programmes whose grant passes the 10,000 CNY maker–checker threshold.
CHECKED_TWICE = {"veteran_grant", "conscript_family_allowance"}


def _register(api, user, programme, applicant, **extra):
    body = {
        "programme": programme,
        # A department names a new applicant by ID number and name (issue 10).
        "applicant": applicant.id_number,
        "applicant_name": applicant.name,
        "applied_on": APPLIED_ON[programme].isoformat(),
        "documents": [d.code for d in PROGRAMMES[programme].documents],
        **extra,
    }
    response = api(user, "post", "/api/v1/cases", body)
    assert response.status_code == 201, response.content
    return response.json()


@pytest.mark.parametrize("programme", list(PROGRAMMES))
def test_every_programme_goes_from_application_to_entitlement_and_appeal(
    programme, officers, api
):
    chosen = PROGRAMMES[programme]
    lead = chosen.department
    applicant = eligible_applicant(programme)
    amount = GRANTS[programme]["amount"]
    facts = {"requested_amount": amount} if chosen.officer_sets_amount else {}
    if programme == "community_employment_subsidy":
        facts = {"community_post_months": 6}  # stated: the register does not hold it
    case = _register(api, lead, programme, applicant, facts=facts)
    assert (case["status"], case["version"], case["clause"]) == (
        "submitted",
        1,
        chosen.clause,
    )
    url = f"/api/v1/cases/{case['id']}"

    assessed = api(lead, "post", f"{url}/assess", {"version": 1}).json()
    assert assessed["status"] == "assessed"
    assessment = assessed["assessment"]
    assert assessment["eligible"] is True
    assert assessment["evaluated_on"] == APPLIED_ON[programme].isoformat()
    explanation = assessment["explanations"][chosen.eligibility]
    assert explanation["clause"] == chosen.clause
    assert explanation["text"].startswith("Eligible")

    decided = api(
        lead,
        "post",
        f"{url}/decide",
        {
            "version": 2,
            "decision": "approve",
            "reason": "documents complete",
            "amount": amount if chosen.officer_sets_amount else None,
        },
    ).json()
    if programme in CHECKED_TWICE:
        # Above the 10,000 CNY threshold: a second officer approves.
        assert decided["status"] == "awaiting_second"
        assert decided["entitlement"] is None
        decided = api(
            "civil-affairs-2",
            "post",
            f"{url}/decide",
            {"version": 3, "decision": "approve", "reason": "checked"},
        ).json()
    assert decided["status"] == "approved", decided
    entitlement = decided["entitlement"]
    expected = GRANTS[programme]
    assert entitlement["amount"] == expected["amount"]
    assert entitlement["items"] == expected["items"]

    version = decided["version"]
    if expected["amount"] is not None:
        item, body = "payment", {"amount": expected["amount"]}
        if chosen.payees:  # issue 15: the subsidy's payment names its payee
            body["payee_kind"] = "person"
    else:
        item, body = next(iter(expected["items"])), {"quantity": 1}
    delivered = api(
        lead,
        "post",
        f"{url}/deliveries",
        {"version": version, "item": item, "delivered_on": "2015-10-01", **body},
    ).json()
    finished = all(limit == 1 for limit in expected["items"].values()) and (
        expected["amount"] is not None or len(expected["items"]) == 1
    )
    assert delivered["status"] == ("fulfilled" if finished else "approved"), delivered
    assert len(delivered["deliveries"]) == 1

    appealed = api(
        lead,
        "post",
        f"{url}/appeal",
        {
            "version": delivered["version"],
            "reason": "more is due",
            "lodged_on": "2015-10-05",
        },
    ).json()
    assert appealed["status"] == "appealed"
    assert appealed["appeals"] == [
        {
            "reason": "more is due",
            "lodged_on": "2015-10-05",
            "previous_status": delivered["status"],
        }
    ]
    reassessed = api(
        lead, "post", f"{url}/assess", {"version": appealed["version"]}
    ).json()
    assert reassessed["status"] == "assessed"
    # The whole path left one audit entry per change, each naming the case.
    actions = list(
        AuditEntry.objects.filter(object_type="cases.case", object_id=str(case["id"]))
        .exclude(action="view")
        .values_list("action", flat=True)
    )
    decisions = 2 if programme in CHECKED_TWICE else 1
    assert actions == [
        "create",
        "update",
        *["decide"] * decisions,
        "update",
        "update",
        "update",
    ]


def test_funeral_services_are_delivered_item_by_item_within_the_free_limits(
    make_case, officers, api
):
    case = make_case("funeral", assess=True)
    url = f"/api/v1/cases/{case.pk}"
    version = api(
        "civil-affairs",
        "post",
        f"{url}/decide",
        {"version": 2, "decision": "approve", "reason": "eligible"},
    ).json()["version"]

    def deliver(item, quantity):
        return api(
            "civil-affairs",
            "post",
            f"{url}/deliveries",
            {
                "version": version,
                "item": item,
                "quantity": quantity,
                "delivered_on": "2015-06-25",
            },
        )

    # The family used 5 days of storage: 3 are free (“三天以内”).
    refused = deliver("body_storage", 4)
    assert refused.status_code == 422
    assert refused.json()["detail"] == (
        "body storage: 4 days more would pass the free limit of 3 days "
        "(0 already delivered)."
    )
    for item, quantity in [
        ("body_transport", 1),
        ("body_storage", 2),
        ("body_storage", 1),
        ("farewell_hall", 1),
        ("cremation", 1),
    ]:
        response = deliver(item, quantity)
        assert response.status_code == 200, response.content
        version = response.json()["version"]
    again = deliver("cremation", 1)
    assert again.json()["detail"] == (
        "cremation in an ordinary furnace: 1 times more would pass the free limit "
        "of 1 times (1 already delivered)."
    )
    unknown = deliver("embalming", 1)
    assert unknown.json()["detail"] == (
        "“embalming” is not among the services granted: body transport by ordinary "
        "hearse, body storage, small farewell hall, cremation in an ordinary furnace, "
        "ashes storage in the funeral home's Siqin Building."
    )
    assert deliver("ashes_storage", 11).status_code == 422
    done = deliver("ashes_storage", 10).json()
    assert done["status"] == "fulfilled"
    assert done["entitlement"]["delivered"] == {
        "body_transport": 1,
        "body_storage": 3,
        "farewell_hall": 1,
        "cremation": 1,
        "ashes_storage": 10,
    }
    assert Delivery.objects.filter(case=case).count() == 6


def test_a_second_different_officer_approves_an_amount_above_the_threshold(
    make_case, officers, api
):
    case = make_case("veteran_grant", assess=True)
    url = f"/api/v1/cases/{case.pk}"
    first = api(
        "civil-affairs",
        "post",
        f"{url}/decide",
        {"version": 2, "decision": "approve", "reason": "discharge papers checked"},
    ).json()
    assert first["status"] == "awaiting_second"
    assert first["decisions"][0]["kind"] == "first_approval"
    assert first["decisions"][0]["amount"] == "206514.00"

    same = api(
        "civil-affairs",
        "post",
        f"{url}/decide",
        {"version": 3, "decision": "approve", "reason": "again"},
    )
    assert same.status_code == 403
    assert same.json()["detail"] == (
        "An approval above ¥10,000.00 needs a second officer: you made the first "
        "approval, so another officer must confirm it."
    )
    other_amount = api(
        "civil-affairs-2",
        "post",
        f"{url}/decide",
        {"version": 3, "decision": "approve", "reason": "ok", "amount": "1000"},
    )
    assert other_amount.status_code == 422
    confirmed = api(
        "civil-affairs-2",
        "post",
        f"{url}/decide",
        {"version": 3, "decision": "approve", "reason": "confirmed"},
    ).json()
    assert confirmed["status"] == "approved"
    assert confirmed["entitlement"]["approved_by"] == "civil-affairs"
    assert confirmed["entitlement"]["second_approved_by"] == "civil-affairs-2"
    overpaid = api(
        "civil-affairs",
        "post",
        f"{url}/deliveries",
        {
            "version": 4,
            "item": "payment",
            "amount": "206514.01",
            "delivered_on": "2015-05-01",
        },
    )
    assert overpaid.json()["detail"] == (
        "Paying ¥206,514.01 would bring the total paid to ¥206,514.01, above "
        "the ¥206,514.00 granted."
    )
    paid = api(
        "civil-affairs",
        "post",
        f"{url}/deliveries",
        {
            "version": 4,
            "item": "payment",
            "amount": "206514.00",
            "delivered_on": "2015-05-01",
        },
    ).json()
    assert paid["status"] == "fulfilled"


def test_the_threshold_is_a_setting(make_case, officers, api, settings):
    settings.EQUISERVE_CASES_SECOND_APPROVAL_ABOVE = 300000
    case = make_case("veteran_grant", assess=True)
    decided = api(
        "civil-affairs",
        "post",
        f"/api/v1/cases/{case.pk}/decide",
        {"version": 2, "decision": "approve", "reason": "ok"},
    ).json()
    assert decided["status"] == "approved"
    assert decided["entitlement"]["second_approved_by"] is None


def test_an_officer_set_amount_is_required_and_paid_in_parts(make_case, officers, api):
    case = make_case("hardship_relief", assess=True)
    url = f"/api/v1/cases/{case.pk}"
    missing = api(
        "civil-affairs",
        "post",
        f"{url}/decide",
        {"version": 2, "decision": "approve", "reason": "fire at home"},
    )
    assert missing.status_code == 422
    assert (
        missing.json()["detail"] == "Set the amount to grant, in yuan (more than ¥0)."
    )
    approved = api(
        "civil-affairs",
        "post",
        f"{url}/decide",
        {
            "version": 2,
            "decision": "approve",
            "reason": "fire at home",
            "amount": "3000",
        },
    ).json()
    assert approved["entitlement"]["amount"] == "3000.00"
    part = api(
        "civil-affairs",
        "post",
        f"{url}/deliveries",
        {
            "version": 3,
            "item": "payment",
            "amount": "1000",
            "delivered_on": "2015-06-12",
        },
    ).json()
    assert (part["status"], part["entitlement"]["paid"]) == ("approved", "1000.00")

    # The applicant appeals for more; the case reopens; the new amount counts what was paid.
    appealed = api(
        "civil-affairs",
        "post",
        f"{url}/appeal",
        {"version": 4, "reason": "the damage was larger", "lodged_on": "2015-06-20"},
    ).json()
    refused = api(
        "civil-affairs",
        "post",
        f"{url}/deliveries",
        {"version": 5, "item": "payment", "amount": "1", "delivered_on": "2015-06-21"},
    )
    assert refused.json()["detail"] == (
        "“Record a payment or service” is not possible while the case is “Under "
        "appeal”; it is possible only when the case is: Approved."
    )
    assert appealed["status"] == "appealed"
    api("civil-affairs", "post", f"{url}/assess", {"version": 5})
    too_low = api(
        "civil-affairs",
        "post",
        f"{url}/decide",
        {"version": 6, "decision": "approve", "reason": "less", "amount": "500"},
    )
    assert (
        too_low.json()["detail"] == "¥500.00 is less than the ¥1,000.00 already paid."
    )
    again = api(
        "civil-affairs",
        "post",
        f"{url}/decide",
        {
            "version": 6,
            "decision": "approve",
            "reason": "larger damage",
            "amount": "5000",
        },
    ).json()
    assert (again["entitlement"]["amount"], again["entitlement"]["paid"]) == (
        "5000.00",
        "1000.00",
    )
    assert Entitlement.objects.filter(case=case).count() == 2
    assert Entitlement.objects.filter(case=case, active=True).get().amount == 5000
    rest = api(
        "civil-affairs",
        "post",
        f"{url}/deliveries",
        {
            "version": 7,
            "item": "payment",
            "amount": "4000",
            "delivered_on": "2015-06-25",
        },
    ).json()
    assert rest["status"] == "fulfilled"


def test_a_rejection_is_appealed_and_decided_again(make_case, officers, api):
    case = make_case("prepregnancy_check", assess=True)
    url = f"/api/v1/cases/{case.pk}"
    rejected = api(
        "health",
        "post",
        f"{url}/decide",
        {"version": 2, "decision": "reject", "reason": "residence permit not genuine"},
    ).json()
    assert rejected["status"] == "rejected"
    early = api(
        "health",
        "post",
        f"{url}/decide",
        {"version": 3, "decision": "approve", "reason": "x"},
    )
    assert early.json()["detail"] == (
        "“Approve” is not possible while the case is “Rejected”; it is possible "
        "only when the case is: Assessed, Awaiting second approval."
    )
    appealed = api(
        "town-xiaolan",
        "post",
        f"{url}/appeal",
        {"version": 3, "reason": "a new residence permit", "lodged_on": "2015-09-20"},
    ).json()
    assert appealed["status"] == "appealed"
    assert (
        api(
            "health",
            "post",
            f"{url}/decide",
            {"version": 4, "decision": "approve", "reason": "x"},
        ).status_code
        == 422
    )
    api("health", "post", f"{url}/assess", {"version": 4})
    approved = api(
        "health",
        "post",
        f"{url}/decide",
        {"version": 5, "decision": "approve", "reason": "permit verified"},
    ).json()
    assert approved["status"] == "approved"
    kinds = [d["kind"] for d in approved["decisions"]]
    assert kinds == ["reject", "approve"]


def _migrant_pupil_case(make_case, guardian_points):
    """Return an assessed 3.4.2 case of a migrant pupil whose guardian has these points."""
    from equiserve.cases.tests.factories import make_person

    guardian = make_person(hukou="elsewhere", points=guardian_points)
    pupil = make_person(
        hukou="elsewhere",
        school_stage="primary",
        guardian=guardian,
        birth_date=dt.date(2007, 1, 1),
    )
    return make_case("student_insurance", applicant=pupil, assess=True)


def _approve(api, case):
    return api(
        "hr-social-security",
        "post",
        f"/api/v1/cases/{case.pk}/decide",
        {"version": 2, "decision": "approve", "reason": "x"},
    )


def test_a_case_the_rules_find_not_eligible_cannot_be_approved(
    officers, make_case, api
):
    case = _migrant_pupil_case(make_case, 50)
    detail = api("hr-social-security", "get", f"/api/v1/cases/{case.pk}").json()
    assert detail["assessment"]["eligible"] is False
    assert (
        "guardian's points: 50 points"
        in detail["assessment"]["explanations"]["student_insurance_eligible"]["text"]
    )
    refused = _approve(api, case)
    assert refused.status_code == 422
    assert refused.json()["detail"] == (
        "The assessment found the applicant not eligible (clause 3.4.2): approve only "
        "on an assessment that finds them eligible. Reject the case or return it for "
        "more information."
    )


def test_an_undetermined_case_cannot_be_approved_and_its_page_says_what_is_missing(
    officers, make_case, api, login
):
    """Issue 12, point 4: a missing fact never counts in the applicant's favour."""
    case = _migrant_pupil_case(make_case, None)
    detail = api("hr-social-security", "get", f"/api/v1/cases/{case.pk}").json()
    assessment = detail["assessment"]
    assert assessment["eligible"] is False
    assert assessment["answer"]["student_insurance_eligible"] is None
    assert assessment["answer"]["undetermined"] == {
        "student_insurance_eligible": ["persons[1].points"]
    }
    refused = _approve(api, case)
    assert refused.status_code == 422
    assert refused.json()["detail"] == (
        "The assessment could not decide eligibility (clause 3.4.2): the plan's rules "
        "still need the guardian's points in the migrants' points system. Record these "
        "facts and assess again, or return the case for more information."
    )
    assert Case.objects.get(pk=case.pk).status == "assessed"
    page = login("hr-social-security").get(f"/cases/{case.pk}/?lang=en")
    text = page.content.decode()
    assert "Undetermined: the plan's rules cannot decide without more facts" in text
    assert (
        "<li>the guardian&#x27;s points in the migrants&#x27; points system</li>"
        in text
    )
    chinese = login("hr-social-security").get(f"/cases/{case.pk}/?lang=zh-hans")
    assert "<li>监护人的流动人员积分</li>" in chinese.content.decode()


def test_return_for_more_information_then_the_town_resubmits(
    officers, make_case, login
):
    case = make_case("hardship_relief", documents=["id_card"], assess=True)
    missing = login("civil-affairs").post(
        f"/cases/{case.pk}/decide/",
        {"version": 2, "decision": "approve", "reason": "x", "amount": "100"},
    )
    assert missing.status_code == 422
    assert "Documents missing: proof of the sudden event." in missing.content.decode()
    returned = login("civil-affairs").post(
        f"/cases/{case.pk}/decide/",
        {"version": 2, "decision": "return", "reason": "bring the police report"},
    )
    assert returned.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.version) == ("returned", 3)
    town = login("town-xiaolan")
    saved = town.post(
        f"/cases/{case.pk}/facts/",
        {
            "version": 3,
            "fact_hardship_cause": "fire",
            "fact_hardship_date": "2015-06-01",
            "fact_requested_amount": "800",
            "documents": ["id_card", "incident_proof"],
        },
    )
    assert saved.status_code == 302
    case.refresh_from_db()
    assert case.status == "submitted"
    assert case.facts == {
        "hardship_cause": "fire",
        "hardship_date": "2015-06-01",
        "requested_amount": "800.00",
    }
    assert case.documents == ["id_card", "incident_proof"]


def test_a_second_open_case_for_the_same_person_and_programme_is_refused(
    officers, make_case, api
):
    case = make_case("funeral")
    again = api(
        "civil-affairs",
        "post",
        "/api/v1/cases",
        {
            "programme": "funeral",
            "applicant": case.applicant.key,
            "applied_on": "2015-06-23",
        },
    )
    assert again.status_code == 422
    assert again.json()["detail"] == (
        f"{case.applicant.key} already has an open case under this programme: "
        f"{case.reference}."
    )
    assert Case.objects.count() == 1


def test_invalid_facts_are_listed_field_by_field(officers, api):
    applicant = eligible_applicant("funeral")
    response = api(
        "civil-affairs",
        "post",
        "/api/v1/cases",
        {
            "programme": "funeral",
            "applicant": applicant.id_number,
            "applicant_name": applicant.name,
            "applied_on": "2015-06-22",
            "facts": {
                "death_date": "2015-13-01",
                "death_storage_days": "-1",
                "veteran_kind": "conscript",
            },
        },
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "path": "death_date",
            "code": "invalid",
            "message": "“2015-13-01” is not a date (write it as 2015-07-01)",
        },
        {
            "path": "death_storage_days",
            "code": "invalid",
            "message": "“-1” is not a whole number of 0 or more",
        },
        {
            "path": "veteran_kind",
            "code": "invalid",
            "message": "this programme does not use the fact “veteran_kind”",
        },
    ]
    assert not Case.objects.exists()
