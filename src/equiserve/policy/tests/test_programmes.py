"""programmes.yaml is read and checked with the plan (issue 11, deliverable 1)."""

import pytest

from equiserve.policy import PlanLoadError
from equiserve.policy.plan import Plan


def _line_of(path, text):
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def test_every_programme_is_read_once_with_its_clause_departments_and_costs(plan):
    programmes = plan.programmes
    assert list(programmes) == [
        "preschool_subsidy",
        "vocational_tuition",
        "t1d_care",
        "family_planning_reward",
        "prepregnancy_check",
        "migrant_family_planning",  # issue 12, point 8
        "hardship_relief",
        "student_insurance",
        "veteran_grant",
        "conscript_family_allowance",  # issue 12, point 3
        "funeral",
        "employment_assistance",  # issue 15
        "community_employment_subsidy",  # issue 15
        "public_rental_housing",
    ]
    funeral = programmes["funeral"]
    assert (funeral.clause, funeral.lead, funeral.towns_assist) == (
        "3.5",
        "civil-affairs",
        True,
    )
    # The label the catalogue gives clause 3.5, said once there.
    assert funeral.label == {
        "zh": "免费殡葬基本服务",
        "en": "Free basic funeral services",
    }
    assert [(i.code, i.limit, i.limit_output) for i in funeral.items] == [
        ("body_transport", 1, None),
        ("body_storage", None, "funeral_free_storage_days"),
        ("farewell_hall", 1, None),
        ("cremation", 1, None),
        ("ashes_storage", None, "funeral_free_ash_storage_years"),
    ]
    assert funeral.outputs == (
        "funeral_eligible",
        "funeral_free_storage_days",
        "funeral_free_ash_storage_years",
        "funeral_free_items",
    )
    assert funeral.budget.per == (
        ("funeral_free_storage_days", "costs.funeral_body_storage_per_day"),
        ("funeral_free_ash_storage_years", "costs.funeral_ash_storage_per_year"),
    )
    hardship = programmes["hardship_relief"]
    assert hardship.assisting == ("migrant-office",)
    assert hardship.budget.funding.sources == ("town",)  # 救助经费纳入镇级年度财政预算
    assert hardship.budget.funding.status == "plan"
    t1d = programmes["t1d_care"]
    assert t1d.eligible == "t1d_free_care_eligible" and t1d.casework.health
    assert programmes["public_rental_housing"].casework is None  # the housing app's
    # Unit costs stay the illustrative parameters their departments own.
    cost = plan.parameters[t1d.budget.unit_cost]
    assert (cost.status, cost.owner) == ("illustrative", "health")


@pytest.mark.parametrize(
    ("original", "changed", "message"),
    [
        (
            "eligible: funeral_eligible",
            "eligible: funeral_eligble",
            "unknown person output 'funeral_eligble'",
        ),
        ('clause: "3.5"', 'clause: "3.55"', "clause '3.55' is not in catalogue.yaml"),
        (
            "lead: hr-social-security",
            "lead: hr-social-securty",
            "unknown department 'hr-social-securty'",
        ),
        (
            "unit_cost: costs.hardship_relief_per_case",
            "unit_cost: costs.hardship_relief_per_cas",
            "unknown parameter 'costs.hardship_relief_per_cas'",
        ),
    ],
)
def test_a_misspelt_name_fails_at_load_naming_file_and_line(
    plan_copy, original, changed, message
):
    """Issue 11: an unknown output, clause or department is a load error with file:line."""
    folder = plan_copy
    path = folder / "programmes.yaml"
    line = _line_of(path, original)
    path.write_text(
        path.read_text(encoding="utf-8").replace(original, changed, 1), encoding="utf-8"
    )
    with pytest.raises(PlanLoadError) as failed:
        Plan.load(folder)
    assert str(failed.value) == f"{path}:{line}: {message}"


def test_a_plan_without_programmes_has_none(plan_copy):
    folder = plan_copy
    (folder / "programmes.yaml").unlink()
    assert Plan.load(folder).programmes == {}
