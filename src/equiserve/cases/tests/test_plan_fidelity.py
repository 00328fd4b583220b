"""Issue 12 (fidelity to the plan), points 3, 7 and 8: the programmes casework gained."""

import pytest

from equiserve.cases.permissions import is_health_programme
from equiserve.cases.programmes import PROGRAMMES


def test_the_reward_and_the_allowance_are_case_types_and_only_3_3_is_masked():
    assert {"family_planning_reward", "conscript_family_allowance"} <= set(PROGRAMMES)
    # 3.3.3 is the health department's: named to health officers only.
    assert is_health_programme("family_planning_reward")
    assert not is_health_programme("conscript_family_allowance")
    assert [d.code for d in PROGRAMMES["family_planning_reward"].documents] == [
        "hukou_booklet",
        "one_child_certificate",
    ]


@pytest.mark.django_db
def test_the_reward_is_undetermined_while_the_certificate_is_not_recorded(officers):
    from equiserve.cases import services
    from equiserve.cases.tests.factories import APPLIED_ON, eligible_applicant

    applicant = eligible_applicant("family_planning_reward")
    applicant.one_child_parent = None
    applicant.save(update_fields=["one_child_parent"])
    case = services.case_register(
        programme="family_planning_reward",
        applicant=applicant,
        applied_on=APPLIED_ON["family_planning_reward"],
        facts={},
        documents=["hukou_booklet", "one_child_certificate"],
        actor=officers["health"],
    )
    assessment = services.case_assess(
        case=case, version=case.version, actor=officers["health"]
    )
    assert assessment.eligible is False
    assert assessment.answer["family_planning_reward_eligible"] is None


def test_each_free_service_of_3_3_4_is_an_item_of_a_masked_programme():
    # Issue 12, point 8: the four operations, the checks, contraceptives and the
    # explored reward and insurance, delivered and recorded one by one.
    services = PROGRAMMES["migrant_family_planning"]
    assert [item.code for item in services.items] == [
        "contraceptives",
        "iud_insertion",
        "iud_removal",
        "sterilization",
        "pregnancy_termination",
        "iud_pregnancy_check",
        "birth_control_reward",
        "quarterly_insurance",
    ]
    assert services.item("birth_control_reward").limit == 1
    assert is_health_programme("migrant_family_planning")


@pytest.mark.django_db
def test_the_free_services_delivered_to_a_migrant_are_recorded_item_by_item(
    make_case, api
):
    case = make_case("migrant_family_planning", assess=True)
    url = f"/api/v1/cases/{case.pk}"
    version = api(
        "health",
        "post",
        f"{url}/decide",
        {"version": 2, "decision": "approve", "reason": "a migrant living here"},
    ).json()["version"]

    def deliver(item, quantity, version):
        body = {"version": version, "item": item, "quantity": quantity}
        return api(
            "health",
            "post",
            f"{url}/deliveries",
            {**body, "delivered_on": "2015-10-01"},
        )

    answer = deliver("iud_pregnancy_check", 1, version).json()
    answer = deliver("sterilization", 1, answer["version"]).json()
    answer = deliver("birth_control_reward", 1, answer["version"]).json()
    assert [(d["item"], d["quantity"]) for d in answer["deliveries"]] == [
        ("iud_pregnancy_check", 1),
        ("sterilization", 1),
        ("birth_control_reward", 1),
    ]
    # The birth-control reward is one-time (一次性): a second is refused.
    again = deliver("birth_control_reward", 1, answer["version"])
    assert again.status_code == 422
    assert "free limit of 1" in again.json()["detail"]
