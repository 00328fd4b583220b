"""Run the plan's YAML rule cases (plans/zhongshan_2014/tests/*.yaml) under pytest."""

import pytest

from equiserve.policy.testing import collect_cases, run_case

from .conftest import PLAN_DIR

CASES = collect_cases(PLAN_DIR / "tests")


def test_every_clause_has_cases():
    files = {case.file.stem for case in CASES}
    assert {
        "clause_3_1",
        "clause_3_3_2",
        "clause_3_3_3",
        "clause_3_3_4",
        "clause_3_4_1",
        "clause_3_4_2",
        "clause_3_4_3",
        "clause_3_5",
        "clause_3_8",
    } <= files
    assert len(CASES) >= 100


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_rule_case(case, plan):
    result = run_case(case, plan)
    assert result.ok, "\n".join(result.failures)
