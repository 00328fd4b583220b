"""`equiserve monitoring …` on the command line."""

import json

import pytest
from typer.testing import CliRunner

from equiserve.cli import app

runner = CliRunner()


def test_check_reports_the_indicators_well_formed():
    result = runner.invoke(app, ["monitoring", "check"])
    assert result.exit_code == 0, result.output
    assert "indicators, all well-formed." in result.output


@pytest.mark.django_db
def test_values_prints_json_lines():
    result = runner.invoke(
        app,
        [
            "monitoring",
            "values",
            "--indicator",
            "social.veterans_rural_grant_share",
            "--period",
            "2014H2",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    (line,) = result.output.strip().splitlines()
    row = json.loads(line)
    # Issue 13: measured from grants paid, not the parameter's declared 80 %:
    # with no case paid, there is no data.
    assert (row["value"], row["target"], row["status"]) == (None, 100.0, "no_data")


def test_an_unknown_period_is_refused():
    result = runner.invoke(app, ["monitoring", "values", "--period", "2020H1"])
    assert result.exit_code == 2
    assert "is not a period of the plan" in result.output
