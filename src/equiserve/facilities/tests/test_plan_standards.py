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
from equiserve.facilities.tests.factories import make_facility, make_person

CASES_DIR = Path(settings.EQUISERVE_PLAN_DIR) / "tests" / "standards"


def _cases():
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            yield pytest.param(case, id=f"{path.stem}: {case['name']}")


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(_cases()))
def test_plan_standard_case(case, two_towns, override):
    """Run one case: `facilities` (in town `a` unless `town` says, placed in
    `village` or `natural_village` by name), `residents` per town, what-if
    `parameters`, then the `findings` expected (`towns` limits the check)."""
    places = {name: place for name, place in two_towns.items()}
    for name, values in case.get("parameters", {}).items():
        override(name, {str(period): value for period, value in values.items()})
    for town, count in case.get("residents", {}).items():
        for _ in range(count):
            make_person(places[town])
    for item in case["facilities"]:
        fields = dict(item)
        kind = fields.pop("kind")
        town = places[fields.pop("town", "a")]
        if "natural_village" in fields:
            hamlet = places[fields["natural_village"]]
            fields["natural_village"] = hamlet
            fields["village"] = hamlet.village
        elif "village" in fields:
            fields["village"] = places[fields["village"]]
        make_facility(kind, town, **fields)
    towns = case.get("towns")
    report = standards_check(
        date=case["date"],
        town_codes=None if towns is None else [places[town].code for town in towns],
    )
    for absent in case.get("no_findings", []):
        assert not [f for f in report.findings if f.standard == absent], absent
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
        for key in ("actual", "shortfall", "required"):
            if key in expected:
                got = Decimal(str(getattr(finding, key)))
                assert got == Decimal(str(expected[key])), (key, expected, finding)
        if "missing" in expected:
            assert finding.missing == tuple(expected["missing"]), (expected, finding)
        if "level" in expected:
            assert finding.level == expected["level"], (expected, finding)


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


def test_the_indoor_culture_kinds_are_the_per_10000_rules():
    # Monitoring sums the same floor area from models.CULTURE_INDOOR_KINDS; the
    # plan's rule and that tuple must name the same kinds (issue 11, deliverable 3).
    from equiserve.facilities.models import CULTURE_INDOOR_KINDS

    rule = STANDARDS_BY_ID["culture.indoor_area_per_10000"].rule
    assert set(rule["facilities"]) == set(CULTURE_INDOOR_KINDS)


def test_every_rule_names_kinds_the_facilities_have():
    from equiserve.facilities.models import Kind

    for standard in STANDARDS_BY_ID.values():
        for key in ("facilities", "with"):
            named = standard.rule.get(key)
            if named is None or str(named).startswith("facilities."):
                continue  # none, or a parameter listing kinds
            kinds = [named] if isinstance(named, str) else named
            assert set(kinds) <= set(Kind.values), (standard.id, kinds)


def _refused(tmp_path, rule: str, message: str):
    """Assert that a 3.6.2-like standard with this rule is refused with `message`."""
    (tmp_path / "standards").mkdir()
    (tmp_path / "standards" / "bad.yaml").write_text(
        "- id: sports.x\n  clause: '3.6.2'\n  level: facility\n  unit: items\n"
        "  label: {zh: 站, en: station}\n  parameters: [facilities.sports.a]\n"
        f"  rule: {rule}\n  text: {{zh: 站, en: station}}\n",
        encoding="utf-8",
    )
    with pytest.raises(StandardFileError, match=message):
        load_standards(tmp_path)


def test_a_rule_with_a_key_its_kind_does_not_take_is_refused(tmp_path):
    _refused(
        tmp_path,
        "{kind: checklist, facilities: guidance_station, count: instructors,"
        " of: facilities.sports.a}",
        r"a checklist rule takes no \['count'\]",
    )


def test_a_rule_naming_a_standard_not_in_the_plan_is_refused(tmp_path):
    _refused(
        tmp_path,
        "{kind: paired, facilities: fitness_ground, with: guidance_station,"
        " meeting: [sports.nowhere], missing: station_standard,"
        " of: facilities.sports.a}",
        "meeting names a standard",
    )
