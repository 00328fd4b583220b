"""The indicator files: every one loads, and a defect is refused by name."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings

from equiserve.monitoring.definitions import (
    DefinitionError,
    _load,
    load_definitions,
)
from equiserve.portal.catalogue import load_catalogue

GOOD = """
domain: "3.7"
indicators:
  - code: employment.test
    clause: "3.7"
    owner: hr-social-security
    label: {zh: 测试, en: Test}
    definition: {zh: 测试, en: Test}
    numerator: {source: entry, label: {zh: 数, en: count}}
"""


def test_every_indicator_cites_a_clause_of_the_catalogue():
    clauses = {item.clause for item in load_catalogue().items()}
    definitions = load_definitions()
    assert len(definitions.indicators) >= 20
    for indicator in definitions.indicators:
        assert indicator.clause in clauses
        for target in indicator.targets:
            assert target.reference


def test_every_domain_of_the_plan_has_an_indicator():
    domains = {domain.id for domain in load_catalogue().domains}
    assert {i.domain for i in load_definitions().indicators} == domains


@pytest.fixture
def plan(tmp_path):
    """A copy of the shipped plan with its indicator settings and no indicators.

    Whole: the clauses and programmes an indicator names are checked against the
    plan the engine loads (issue 11).
    """
    source = Path(settings.EQUISERVE_PLAN_DIR)
    tmp_path = tmp_path / "plan"
    shutil.copytree(
        source,
        tmp_path,
        ignore=shutil.ignore_patterns("indicators", "tests", "__pycache__"),
    )
    (tmp_path / "indicators").mkdir()
    shutil.copy(
        source / "indicators" / "settings.yaml",
        tmp_path / "indicators" / "settings.yaml",
    )
    return tmp_path


def _write(plan, text):
    (plan / "indicators" / "3.7_test.yaml").write_text(text, encoding="utf-8")
    _load.cache_clear()
    try:
        return _load(plan.resolve())
    finally:
        _load.cache_clear()


def test_a_well_formed_file_loads(plan):
    (indicator,) = _write(plan, GOOD).indicators
    assert indicator.code == "employment.test"
    assert indicator.numerator.entered


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ('clause: "3.7"', 'clause: "3.9.9"'),
            "clause '3.9.9' is not in catalogue.yaml",
        ),
        (
            ("owner: hr-social-security", "owner: nobody"),
            "owner 'nobody' is not a lead",
        ),
        (  # issue 11: a programme counted from cases is one of programmes.yaml
            ("    numerator:", "    programme: funerall\n    numerator:"),
            "programme 'funerall' is not a case programme of the plan",
        ),
        (("source: entry", "source: rumours"), "source 'rumours' is not one of"),
        (
            ("label: {zh: 测试, en: Test}", "label: {zh: 测试, en: Test, 2}"),
            "keys other than zh and en",
        ),
        (
            ("    numerator:", "    levels: [city, village]\n    numerator:"),
            "numerator (entry) cannot be counted by village",
        ),
        (
            ("    numerator:", "    disaggregations: [sex]\n    numerator:"),
            "numerator (entry) cannot be split by sex",
        ),
        (
            (
                "    numerator:",
                "    targets: [{value: 1, direction: at_least, by: 2015-01-01, path: linear, status: plan}]\n    numerator:",
            ),
            "a target without a reference is a defect",
        ),
        (
            (
                "    numerator:",
                "    targets: [{value: 1, direction: up, from: 2015-01-01, status: plan, reference: x}]\n    numerator:",
            ),
            "direction must be at_least or at_most",
        ),
    ],
)
def test_a_defect_is_refused_naming_the_file_and_indicator(plan, change, message):
    with pytest.raises(DefinitionError) as error:
        _write(plan, GOOD.replace(*change))
    assert "3.7_test.yaml [employment.test]" in str(error.value)
    assert message in str(error.value)


def test_a_persons_term_may_only_filter_on_known_fields(plan):
    text = GOOD.replace(
        "{source: entry, label: {zh: 数, en: count}}",
        "{source: persons, where: {id_number: '4420'}}",
    )
    with pytest.raises(DefinitionError, match="cannot filter persons on 'id_number'"):
        _write(plan, text)
