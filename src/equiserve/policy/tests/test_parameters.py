"""Parameter files: the format, its load errors (naming file and line), dated lookups."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from equiserve.policy.parameters import (
    ParameterError,
    load_parameter,
    load_parameters,
    override_values,
)

GOOD = """\
description: A test threshold.
label: {zh: 测试阈值, en: test threshold}
unit: points
type: number
clause: "3.4.2"
status: illustrative
owner: hr-social-security
metadata:
  reference: a test
values:
  2014-01-01:
    value: 100
    reference: first
  2015-01-01:
    value: 120.5
    status: plan
    reference: second
  2016-01-01:
    value: null
    reference: repealed
"""


def write(tmp_path: Path, text: str, name: str = "threshold.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_values_are_read_by_effective_date_and_a_null_repeals(tmp_path):
    parameter = load_parameter(write(tmp_path, GOOD), "x.threshold")
    assert parameter.at(dt.date(2013, 12, 31)) is None
    assert parameter.at(dt.date(2014, 1, 1)).value == 100
    assert parameter.at(dt.date(2014, 12, 31)).status == "illustrative"
    found = parameter.at(dt.date(2015, 1, 1))
    assert (
        found.value == Decimal("120.5")
        and found.status == "plan"
        and found.reference == "second"
    )
    assert parameter.at(dt.date(2016, 1, 1)) is None


def test_the_file_path_is_the_parameter_name(tmp_path):
    (tmp_path / "student_insurance").mkdir()
    write(tmp_path / "student_insurance", GOOD, "minimum_points.yaml")
    assert list(load_parameters(tmp_path)) == ["student_insurance.minimum_points"]


def test_a_misspelt_key_fails_naming_file_and_line(tmp_path):
    path = write(tmp_path, GOOD.replace("owner:", "ownr:"))
    with pytest.raises(ParameterError) as error:
        load_parameter(path, "x.threshold")
    assert str(error.value) == (
        f"{path}:7: unknown key 'ownr' (allowed: clause, description, documentation, label, "
        "metadata, owner, period, status, type, unit, values)"
    )


def test_a_misspelt_key_inside_a_value_fails_naming_its_line(tmp_path):
    path = write(tmp_path, GOOD.replace("    reference: first", "    refrence: first"))
    with pytest.raises(
        ParameterError, match=rf"^{path}:13: unknown key 'refrence' in value 2014-01-01"
    ):
        load_parameter(path, "x.threshold")


def test_a_value_without_a_reference_fails(tmp_path):
    path = write(tmp_path, GOOD.replace("    reference: second\n", ""))
    with pytest.raises(
        ParameterError, match=rf"^{path}:14: value 2015-01-01 has no reference"
    ):
        load_parameter(path, "x.threshold")


def test_a_parameter_without_metadata_reference_fails(tmp_path):
    path = write(tmp_path, GOOD.replace("  reference: a test\n", "  note: none\n"))
    with pytest.raises(ParameterError, match="metadata.reference is missing"):
        load_parameter(path, "x.threshold")


def test_a_bad_status_fails(tmp_path):
    path = write(tmp_path, GOOD.replace("status: illustrative", "status: guess"))
    with pytest.raises(
        ParameterError,
        match=rf"^{path}:6: status 'guess' is not one of plan, statistic, illustrative",
    ):
        load_parameter(path, "x.threshold")


def test_an_impossible_date_fails(tmp_path):
    path = write(tmp_path, GOOD.replace("2015-01-01:", "2015-02-30:"))
    with pytest.raises(ParameterError, match=rf"^{path}:14: impossible date"):
        load_parameter(path, "x.threshold")


def test_an_unknown_owner_fails_when_departments_are_given(tmp_path):
    path = write(tmp_path, GOOD.replace("owner: hr-social-security", "owner: nobody"))
    with pytest.raises(
        ParameterError, match="owner 'nobody' is not a known department"
    ):
        load_parameter(path, "x.threshold", {"hr-social-security"})


def test_a_duplicate_key_fails(tmp_path):
    path = write(tmp_path, GOOD.replace("unit: points\n", "unit: points\nunit: days\n"))
    with pytest.raises(ParameterError, match=rf"^{path}:4: duplicate key 'unit'"):
        load_parameter(path, "x.threshold")


def test_money_must_be_whole_fen(tmp_path):
    text = GOOD.replace("unit: points\ntype: number\n", "unit: CNY\n").replace(
        "120.5", "120.505"
    )
    with pytest.raises(ParameterError, match="not a whole number of fen"):
        load_parameter(write(tmp_path, text), "x.threshold")


def test_a_yearly_series_is_keyed_by_year(plan):
    wage = plan.parameters["statistics.average_annual_wage"]
    assert wage.period == "year"
    assert (
        wage.for_year(2017).value == 68034 and wage.for_year(2017).status == "statistic"
    )
    assert wage.for_year(2014).status == "illustrative"
    assert wage.for_year(2030) is None
    # A series reads the value describing the date's year.
    assert wage.at(dt.date(2016, 7, 1)).value == 63882


def test_an_override_replaces_every_shipped_value(plan):
    wage = plan.parameters["statistics.average_annual_wage"]
    replaced, errors = override_values(wage, {"2014": 60000})
    assert errors == []
    assert (
        replaced.for_year(2014).value == 60000
        and replaced.for_year(2014).status == "override"
    )
    assert replaced.for_year(2015) is None


def test_override_errors_name_the_period(plan):
    wage = plan.parameters["statistics.average_annual_wage"]
    _, errors = override_values(wage, {"2014-01-01": 1, "2015": "much", "2016": -5})
    assert errors == [
        ("2014-01-01", "bad_period_year", {"value": "2014-01-01"}),
        ("2015", "bad_parameter_value", {"type": "money", "value": "much"}),
        ("2016", "negative", {"value": -5}),
    ]


def test_every_shipped_parameter_has_a_reference_status_and_owner(plan):
    for parameter in plan.parameters.values():
        assert parameter.reference.strip(), parameter.name
        assert parameter.owner, parameter.name
        for value in parameter.values:
            assert value.reference.strip(), parameter.name
            assert value.status in (
                "plan",
                "statistic",
                "illustrative",
                "interpretation",
            ), parameter.name


def test_figures_the_plan_states_are_marked_plan(plan):
    for name in (
        "funeral.free_storage_days",
        "funeral.free_ash_storage_years",
        "health.t1d_minimum_hospital_grade",
        "family_planning.prepregnancy_minimum_residence_months",
        "housing.floor_area_limit_per_person",
    ):
        assert plan.parameters[name].status == "plan", name
    assert (
        plan.parameters["veteran.grant_multiple_transferred_nco"]
        .at(dt.date(2015, 1, 1))
        .status
        == "plan"
    )
    assert (
        plan.parameters["student_insurance.minimum_guardian_points"].status
        == "illustrative"
    )


def test_the_projects_readings_of_the_plan_are_marked_interpretation_with_reasons(
    plan,
):
    """Issue 12, point 10: "from 2014, gradually" is not a date the plan states."""
    for name in (
        "veteran.discharged_from",
        "funeral.deaths_from",
        "employment.unified_assistance_system_due",
    ):
        parameter = plan.parameters[name]
        assert parameter.status == "interpretation", name
        assert all(v.status == "interpretation" for v in parameter.values), name
        assert "interpretation" in parameter.values[0].reference, name
