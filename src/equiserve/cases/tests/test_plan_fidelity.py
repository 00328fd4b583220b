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
