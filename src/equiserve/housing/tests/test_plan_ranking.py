"""The plan's waiting-list ranking, run from its YAML cases (issue 11, deliverable 3).

Cases sit beside the plan in `plans/zhongshan_2014/tests/housing/`; the ranking
is the plan's `housing/ranking-v<N>.yaml`, read by `equiserve.housing.ranking`.
"""

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from equiserve.housing.ranking import HouseholdFacts, ScoreLimits, rankings
from equiserve.policy import load_plan
from equiserve.policy.plan import default_plan_dir

PLAN_DIR = default_plan_dir()
CASES = PLAN_DIR / "tests" / "housing"
NO_FACTS = {
    "disability": False,
    "oldest_age": None,
    "low_income": False,
    "best_points": None,
    "migrant": False,
    "floor_area_per_person": None,
}


def _cases():
    for path in sorted(Path(CASES).glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            yield pytest.param(case, id=f"{path.stem}: {case['name']}")


def _limits(day) -> ScoreLimits:
    parameters = load_plan(PLAN_DIR).parameters
    return ScoreLimits(
        floor_area_limit_per_person=Decimal(
            str(parameters["housing.floor_area_limit_per_person"].at(day).value)
        ),
        migrant_minimum_points=Decimal(
            str(parameters["housing.migrant_minimum_points"].at(day).value)
        ),
    )


@pytest.mark.parametrize("case", list(_cases()))
def test_plan_ranking_case(case):
    ranking = rankings(PLAN_DIR / "housing")[case["ranking"]]
    given = {**NO_FACTS, **case["facts"]}
    if given["floor_area_per_person"] is not None:
        given["floor_area_per_person"] = Decimal(given["floor_area_per_person"])
    facts = HouseholdFacts(**given)
    if "priority" in case:
        assert ranking.priority(facts) == case["priority"]
    if "score" in case:
        assert ranking.score(facts, _limits(case["date"])) == case["score"]


def test_the_ranking_cites_clause_3_8_and_is_the_only_one_shipped():
    ranking = rankings(PLAN_DIR / "housing")["1"]
    assert ranking.config.clause == "3.8"
    shipped = Path(__file__).resolve().parents[2] / "allocation"
    assert not list(shipped.glob("ranking*.yaml"))
