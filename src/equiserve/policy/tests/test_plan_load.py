"""A plan with a defect fails at load, with a message naming the file and line."""

import re

import pytest

from equiserve.policy import Plan, PlanLoadError

RULE = """\
import polars as pl

from equiserve.policy.model import variable


@variable(entity="person", type="{type}", clause="3.5", label={{"zh": "测试", "en": "test"}})
def probe(p):
    \"\"\"A test variable.\"\"\"
    return {body}
"""


def add_rule(plan_dir, body, type="bool"):
    path = plan_dir / "rules" / "clause_test.py"
    path.write_text(RULE.format(body=body, type=type), encoding="utf-8")
    return path


def test_the_shipped_plan_loads(plan):
    assert "veteran_grant" in plan.variables
    assert plan.variables["veteran_grant"].clause == "3.4.3"
    assert len(plan.parameters) >= 25


def test_a_misspelt_variable_fails_at_load_naming_file_and_line(plan_copy):
    path = add_rule(plan_copy, '(pl.col("hukuo") == "zhongshan").alias("probe")')
    with pytest.raises(PlanLoadError) as error:
        Plan.load(plan_copy)
    assert str(error.value) == (
        f"{path}:6: probe reads unknown person variable 'hukuo' (did you mean 'hukou'?)"
    )


def test_a_misspelt_variable_in_a_shipped_rule_fails_naming_that_file(plan_copy):
    path = plan_copy / "rules" / "clause_3_5.py"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            'p, "funeral.free_storage_days", "death_storage_days"',
            'p, "funeral.free_storage_days", "death_storage_dayz"',
        ),
        encoding="utf-8",
    )
    with pytest.raises(
        PlanLoadError,
        match=rf"^{re.escape(str(path))}:\d+: funeral_free_storage_days reads unknown person variable 'death_storage_dayz'",
    ):
        Plan.load(plan_copy)


def test_an_unknown_parameter_fails_at_load(plan_copy):
    path = add_rule(
        plan_copy,
        '(pl.col("points") >= p.lit("student_insurance.minimum_guardian_point")).alias("probe")',
    )
    with pytest.raises(PlanLoadError) as error:
        Plan.load(plan_copy)
    assert str(error.value) == (
        f"{path}:6: formula of probe reads an unknown parameter "
        "'student_insurance.minimum_guardian_point' (did you mean 'student_insurance.minimum_guardian_points'?)"
    )


def test_a_type_mismatch_fails_at_load(plan_copy):
    path = add_rule(plan_copy, 'pl.col("points").alias("probe")', type="money")
    with pytest.raises(
        PlanLoadError,
        match=rf"^{re.escape(str(path))}:6: probe is declared money \(Int64\) but its formula gives Float64",
    ):
        Plan.load(plan_copy)


def test_a_formula_without_its_alias_fails_at_load(plan_copy):
    path = add_rule(plan_copy, 'pl.col("hukou") == "zhongshan"')
    with pytest.raises(
        PlanLoadError,
        match=rf"^{re.escape(str(path))}:6: formula of probe must end in .alias\('probe'\), not 'hukou'",
    ):
        Plan.load(plan_copy)


def test_a_household_variable_read_directly_by_a_person_formula_fails(plan_copy):
    add_rule(plan_copy, 'pl.col("household_registered").alias("probe")')
    with pytest.raises(
        PlanLoadError,
        match="reads 'household_registered', a household variable; read it with household",
    ):
        Plan.load(plan_copy)


def test_a_dependency_cycle_fails_at_load(plan_copy):
    path = plan_copy / "rules" / "clause_test.py"
    path.write_text(
        RULE.format(body='pl.col("probe_b").alias("probe")', type="bool")
        + '\n\n@variable(entity="person", type="bool", clause="3.5", label={"zh": "测试", "en": "test"})\n'
        "def probe_b(p):\n"
        '    """Another."""\n'
        '    return pl.col("probe").alias("probe_b")\n',
        encoding="utf-8",
    )
    with pytest.raises(
        PlanLoadError,
        match=r"dependency cycle: (probe → probe_b → probe|probe_b → probe → probe_b)",
    ):
        Plan.load(plan_copy)


def test_a_parameter_file_with_a_misspelt_key_fails_the_plan_naming_the_file(plan_copy):
    path = plan_copy / "parameters" / "funeral" / "free_storage_days.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("clause:", "clase:"), encoding="utf-8"
    )
    with pytest.raises(
        PlanLoadError, match=rf"^{re.escape(str(path))}:7: unknown key 'clase'"
    ):
        Plan.load(plan_copy)


def test_a_clause_not_in_the_catalogue_fails(plan_copy):
    path = plan_copy / "parameters" / "funeral" / "free_storage_days.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('clause: "3.5"', 'clause: "3.55"'),
        encoding="utf-8",
    )
    with pytest.raises(PlanLoadError, match="clause '3.55' is not in catalogue.yaml"):
        Plan.load(plan_copy)


def test_a_formula_in_force_before_its_parameter_fails(plan_copy):
    path = plan_copy / "parameters" / "funeral" / "free_storage_days.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("2014-01-01:", "2014-06-01:"),
        encoding="utf-8",
    )
    with pytest.raises(
        PlanLoadError,
        match=r"funeral_free_storage_days is in force on 2014-01-01 but its parameter 'funeral.free_storage_days' has no value",
    ):
        Plan.load(plan_copy)


def test_every_output_cites_a_clause_and_has_both_labels(plan):
    for variable in plan.variables.values():
        assert set(variable.label) == {"zh", "en"}
        if variable.output:
            assert variable.clause, variable.name
        assert variable.description, variable.name
