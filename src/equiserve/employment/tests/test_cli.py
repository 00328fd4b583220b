"""`equiserve employment rate` prints the register's rate (issue 15, deliverable 7)."""

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from equiserve.cli import app
from equiserve.employment.tests.factories import make_employed, make_seeker
from equiserve.geography.models import Village
from equiserve.testkit import XIAOLAN, make_officer

pytestmark = pytest.mark.django_db


def test_rate_prints_the_city_and_towns_as_json(geography):
    officer = make_officer("town-x", "town", town=XIAOLAN)
    community = Village.objects.filter(town_id=XIAOLAN, kind="community").first()
    for _ in range(3):
        make_employed(XIAOLAN, village=community)
    make_seeker(XIAOLAN, officer, village=community, registered_on=dt.date(2015, 9, 1))
    result = CliRunner().invoke(
        app, ["employment", "rate", "--period", "2015H2", "--json"]
    )
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert found["city"] == {
        "rate": 25.0,
        "unemployed": 1,
        "employed": 3,
        "labour_force": 4,
    }
    assert found["towns"][XIAOLAN]["rate"] == 25.0


def test_an_unknown_period_is_refused():
    result = CliRunner().invoke(app, ["employment", "rate", "--period", "2013H1"])
    assert result.exit_code != 0
