"""The estimate joins a run's cost table, facility shortfalls and projects (issue 18)."""

import datetime as dt
import json
from decimal import Decimal
from fractions import Fraction

import polars as pl
import pytest

from equiserve.budget import estimate
from equiserve.budget.models import Estimate, EstimateKind, Funding
from equiserve.budget.selectors import execution
from equiserve.testkit import GUZHEN, XIAOLAN

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("geography")]


def _run(tmp_path):
    rows = [
        ("hardship_relief", XIAOLAN, "registered", 3, Decimal("6000.00")),
        ("hardship_relief", XIAOLAN, "migrant", 2, Decimal("4000.00")),
        ("public_rental_housing", GUZHEN, "migrant", 1, Decimal("6000.00")),
        ("preschool_subsidy", GUZHEN, "registered", 7, Decimal("7000.01")),
    ]
    pl.DataFrame(
        rows,
        schema={
            "programme": pl.String,
            "town": pl.String,
            "group": pl.String,
            "eligible": pl.Int64,
            "cost": pl.Decimal(20, 2),
        },
        orient="row",
    ).write_parquet(tmp_path / "costs.parquet")
    summary = {"date": "2015-07-01", "population": "pop", "persons": 3}
    (tmp_path / "summary.json").write_text(json.dumps(summary))
    return tmp_path


def test_a_runs_costs_become_estimates_per_programme_town_and_funding(tmp_path):
    rows = estimate.programme_rows(_run(tmp_path), scale=Fraction(1, 3))
    found = {(r["code"], r["town"]): r for r in rows}
    hardship = found[("hardship_relief", XIAOLAN)]
    # Registered and migrant add up; money is scaled and rounded half up once.
    assert hardship["amount"] == Decimal("3333.33")
    assert hardship["funding"] == Funding.TOWN  # 3.4.1: town budgets
    assert found[("public_rental_housing", GUZHEN)]["funding"] == Funding.SHARED
    assert found[("preschool_subsidy", GUZHEN)]["amount"] == Decimal("2333.34")
    assert found[("preschool_subsidy", GUZHEN)]["funding"] == Funding.CITY


def test_refresh_stores_programmes_and_the_projects_seam(tmp_path):
    counts = estimate.estimates_refresh(
        year=2015, run_dir=_run(tmp_path), facilities_on=dt.date(2015, 12, 31)
    )
    assert counts[EstimateKind.PROGRAMME] == 3  # programme × town cells
    assert Estimate.objects.filter(kind=EstimateKind.PROGRAMME).count() == 3
    result = execution(2015, on=dt.date(2015, 12, 31))
    row = next(r for r in result.rows if r.programme == "hardship_relief")
    assert row.estimate == Decimal("10000.00")
    assert result.projects_installed == estimate.projects_installed()


def test_facility_shortfalls_are_valued_at_the_illustrative_unit_costs(monkeypatch):
    from types import SimpleNamespace

    from equiserve.facilities import selectors
    from equiserve.facilities.findings import Finding

    def short(town, shortfall, unit, status="short", standard="s"):
        return Finding(
            standard,
            "3.6.1",
            "town",
            town,
            "x",
            "x",
            status,
            shortfall=shortfall,
            unit=unit,
        )

    findings = [
        short(XIAOLAN, 2, "courts", standard="courts"),
        short(XIAOLAN, 1, "courts", standard="courts"),
        short(GUZHEN, Decimal("10.5"), "m²", standard="area"),
        short(GUZHEN, 3, "items", standard="checklist"),  # not costed
        short(GUZHEN, 0, "courts", "met", standard="courts"),
    ]
    monkeypatch.setattr(
        selectors, "standards_check", lambda date: SimpleNamespace(findings=findings)
    )
    rows = {
        (r["code"], r["town"]): r for r in estimate.facility_rows(dt.date(2015, 12, 31))
    }
    assert set(rows) == {("courts", XIAOLAN), ("area", GUZHEN)}
    assert rows[("courts", XIAOLAN)]["amount"] == Decimal("450000.00")  # 3 × 150,000
    assert rows[("area", GUZHEN)]["amount"] == Decimal("29400.00")  # 10.5 m² × 2,800
