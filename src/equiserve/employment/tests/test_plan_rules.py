"""Clause 3.7's rules, run from their YAML cases beside the plan (issue 15)."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from equiserve.employment.rules import (
    interest_subsidy,
    loan_limit,
    repayment_schedule,
)
from equiserve.policy import load_plan
from equiserve.policy.plan import default_plan_dir

PLAN_DIR = default_plan_dir()
# Apart from tests/: these cases call employment/rules.py, not the engine (the
# employment-difficulty categories are the engine's, in tests/clause_3_7.yaml).
CASES = PLAN_DIR / "employment" / "cases"
PARAMETERS = load_plan(PLAN_DIR).parameters


def parameter(name: str, day: dt.date):
    return PARAMETERS[name].at(day).value


def _cases():
    for path in sorted(Path(CASES).glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            yield pytest.param(case, id=f"{path.stem}: {case['name']}")


@pytest.mark.parametrize("case", list(_cases()))
def test_clause_3_7_case(case):
    day = case["date"]
    if "limit" in case:
        assert loan_limit(day, parameter) == Decimal(case["limit"])
    elif "schedule" in case:
        terms = case["schedule"]
        schedule = repayment_schedule(
            principal=Decimal(terms["principal"]),
            annual_rate=Decimal(terms["annual_rate"]),
            months=terms["months"],
            method=terms["method"],
            granted_on=day,
            parameter=parameter,
        )
        assert len(schedule) == terms["months"]
        for number, expected in case["instalments"].items():
            found = schedule[number - 1]
            assert {
                "due_on": found.due_on,
                "principal": str(found.principal),
                "interest": str(found.interest),
                "subsidy": str(found.subsidy),
            } == expected, number
    else:
        loan = case["loan"]
        periods = interest_subsidy(
            principal=Decimal(loan["principal"]),
            annual_rate=Decimal(loan["annual_rate"]),
            granted_on=day,
            repayments=[(when, Decimal(paid)) for when, paid in loan["repayments"]],
            parameter=parameter,
        )
        got = [
            {
                "days": p.days,
                "subsidised_principal": str(p.subsidised_principal),
                "interest": str(p.interest),
                "subsidy": str(p.subsidy),
            }
            for p in periods
        ]
        assert got == case["periods"]
