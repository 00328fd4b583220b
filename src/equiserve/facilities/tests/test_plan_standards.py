"""The plan's facility standards, run from their YAML cases (issue 11, deliverable 3).

Cases live beside the rules in `plans/zhongshan_2014/tests/standards/`; each
builds facilities in the two-town test city, runs the check the pages and
commands use, and compares the findings it names.
"""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.utils import translation

from equiserve.facilities.plan_standards import (
    STANDARDS_BY_ID,
    StandardFileError,
    load_standards,
)
from equiserve.facilities.selectors import standards_check
from equiserve.facilities.tests.factories import make_facility

CASES_DIR = Path(settings.EQUISERVE_PLAN_DIR) / "tests" / "standards"


def _cases():
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            yield pytest.param(case, id=f"{path.stem}: {case['name']}")


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(_cases()))
def test_plan_standard_case(case, two_towns):
    places = {name: place for name, place in two_towns.items()}
    for item in case["facilities"]:
        fields = dict(item)
        kind = fields.pop("kind")
        if "natural_village" in fields:
            hamlet = places[fields["natural_village"]]
            fields["natural_village"] = hamlet
            fields["village"] = hamlet.village
        make_facility(kind, two_towns["a"], **fields)
    report = standards_check(date=case["date"])
    for expected in case["findings"]:
        subject = places.get(expected["subject"])
        code = subject.code if subject is not None else expected["subject"]
        found = [
            f
            for f in report.findings
            if f.standard == expected["standard"] and f.subject == code
        ]
        assert len(found) == 1, (expected, found)
        finding = found[0]
        assert finding.clause == STANDARDS_BY_ID[expected["standard"]].clause
        if "status" in expected:
            assert finding.status == expected["status"], (expected, finding)
        for key in ("actual", "shortfall"):
            if key in expected:
                got = Decimal(str(getattr(finding, key)))
                assert got == Decimal(str(expected[key])), (key, expected, finding)


def test_every_standard_cites_a_clause_and_reads_the_plans_parameters():
    from equiserve.facilities.standards import facility_parameters

    known = set(facility_parameters())
    for standard in STANDARDS_BY_ID.values():
        assert standard.clause.startswith("3."), standard.id
        assert set(standard.parameters) <= known, standard.id
        assert standard.required_by in standard.parameters
        with translation.override("zh-hans"):
            chinese = str(standard.label)
        with translation.override("en"):
            english = str(standard.label)
        assert chinese != english and chinese.strip() and english.strip()


def test_the_3_6_1_standards_are_the_plans():
    courts = STANDARDS_BY_ID["sports.natural_village_courts"]
    assert (courts.clause, courts.level, courts.rule) == (
        "3.6.1",
        "natural_village",
        {
            "kind": "at_least",
            "count": "basketball_courts",
            "of": "facilities.sports.natural_village_courts",
        },
    )


def test_a_standard_comparing_with_a_parameter_it_does_not_read_is_refused(tmp_path):
    (tmp_path / "standards").mkdir()
    (tmp_path / "standards" / "bad.yaml").write_text(
        "- id: sports.x\n  clause: '3.6.1'\n  level: natural_village\n  unit: courts\n"
        "  label: {zh: 球场, en: courts}\n  parameters: [facilities.sports.a]\n"
        "  rule: {kind: at_least, count: basketball_courts, of: facilities.sports.b}\n"
        "  text: {zh: 球场, en: courts}\n",
        encoding="utf-8",
    )
    with pytest.raises(StandardFileError, match="compares with one of its parameters"):
        load_standards(tmp_path)


def test_cases_dates_are_dates():
    # YAML reads 2015-06-01 as a date; a quoted one would silently be text.
    for param in _cases():
        assert isinstance(param.values[0]["date"], dt.date)
