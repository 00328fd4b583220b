"""The case facts offer the plan's vocabulary, not a copy (issue 11, deliverable 2)."""

import pytest

from equiserve.cases.facts import FACTS
from equiserve.policy.vocabulary import vocabulary


@pytest.mark.parametrize(
    "column", ["hardship_cause", "veteran_kind", "school_stage", "t1d_hospital_grade"]
)
def test_case_facts_offer_the_plans_codes(column):
    codes = [code for code, _label in FACTS[column].choices if code != ""]
    assert codes == list(vocabulary(column).values)
