"""The clause 4.3 estimate per programme × town × funding source, stored for pages.

Three parts join the estimate:

- **programmes**, from a whole-city run's cost and coverage table
  (`equiserve simulate` writes `costs.parquet`: programme × town × group, cost
  exact to the fen). With `scale` the run's figures are multiplied by it (the
  city's residents ÷ the persons in the file, as `simulation.budget` does) and
  rounded half up to the fen once per programme and town;
- **facility shortfalls**, from the facility standards checked on a day: each
  short finding's shortfall in m², courts, tables or stations, valued at the
  illustrative unit costs `costs.facility_per_<unit>`;
- **projects**, the budgets of the projects tracker (`equiserve.projects`,
  `selectors.project_budgets`), when that app is installed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

from django.apps import apps

from equiserve.budget.models import EstimateKind, Funding
from equiserve.rules import plan_gateway

FEN = Decimal("0.01")
# A standard's unit → the parameter that prices one unit of shortfall.
FACILITY_UNIT_COSTS = {
    "m²": "costs.facility_per_m2",
    "courts": "costs.facility_per_court",
    "tables": "costs.facility_per_table",
    "stations": "costs.facility_per_station",
}


def funding_of(programme_code: str) -> str:
    """Return who pays a programme, from the plan's programme data."""
    programme = plan_gateway.plan().programmes.get(programme_code)
    sources = (
        set(programme.budget.funding.sources)
        if programme and programme.budget
        else set()
    )
    if sources >= {"city", "town"}:
        return Funding.SHARED
    return Funding.TOWN if sources == {"town"} else Funding.CITY


def fen(value: Decimal | Fraction) -> Decimal:
    """Return `value` rounded half up to the fen."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def programme_rows(run_dir: Path | str, *, scale: Fraction | None = None) -> list[dict]:
    """Return estimate rows from a run's costs.parquet, summed over groups."""
    import polars as pl

    run_dir = Path(run_dir)
    table = pl.read_parquet(run_dir / "costs.parquet")
    summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    totals: dict[tuple[str, str], list] = defaultdict(lambda: [Decimal(0), 0])
    for programme, town, cost, eligible in table.select(
        "programme", "town", "cost", "eligible"
    ).iter_rows():
        cell = totals[(programme, town)]
        cell[0] += Decimal(cost or 0)
        cell[1] += eligible or 0
    factor = scale if scale is not None else Fraction(1)
    source = f"run {summary.get('date', '')} of {summary.get('population', run_dir)}"
    return [
        {
            "code": programme,
            "town": town,
            "funding": funding_of(programme),
            "amount": fen(Fraction(str(cost)) * factor),
            "units": fen(Fraction(eligible) * factor),
            "source": source,
        }
        for (programme, town), (cost, eligible) in sorted(totals.items())
    ]


def city_scale(run_dir: Path | str) -> Fraction:
    """Return the city's residents ÷ the persons of the run (as simulation.budget)."""
    from equiserve.simulation.budget import city_residents

    summary = json.loads((Path(run_dir) / "summary.json").read_text(encoding="utf-8"))
    return Fraction(city_residents(), int(summary["persons"]))


def facility_rows(day: dt.date) -> list[dict]:
    """Return per town and standard the cost of closing the shortfall on `day`."""
    from equiserve.facilities.findings import SHORT
    from equiserve.facilities.selectors import standards_check

    report = standards_check(date=day)
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for finding in report.findings:
        parameter = FACILITY_UNIT_COSTS.get(finding.unit)
        if finding.status != SHORT or not parameter or not finding.shortfall:
            continue
        totals[(finding.standard, finding.town)] += Decimal(finding.shortfall)
    rows = []
    for (standard, town), shortfall in sorted(totals.items()):
        unit = FACILITY_UNIT_COSTS[_unit_of(report, standard)]
        price = plan_gateway.parameter_on(unit, day)
        if price is None:
            continue
        rows.append(
            {
                "code": standard,
                "town": town,
                # The plan names no payer for facilities: the city's, like the
                # programmes' illustrative funding, until finance sets it.
                "funding": Funding.CITY,
                "amount": fen(shortfall * Decimal(price)),
                "units": fen(shortfall),
                "source": f"standards checked on {day.isoformat()}, {unit}",
            }
        )
    return rows


def _unit_of(report, standard: str) -> str:
    return next(f.unit for f in report.findings if f.standard == standard)


def projects_installed() -> bool:
    return apps.is_installed("equiserve.projects")


def project_budget_list(year: int, on: dt.date | None = None) -> list:
    """Return the projects tracker's budgets, or [] where the app is absent."""
    if not projects_installed():
        return []
    from equiserve.projects.selectors import project_budgets

    return project_budgets(year=year, on=on)


def project_rows(year: int) -> list[dict]:
    """Return one estimate row per project: its budget (clause 4.3)."""
    return [
        {
            "code": p.code,
            "town": p.town_code or None,
            "funding": Funding.TOWN if p.funding_source == "town" else Funding.CITY,
            "amount": fen(p.budget),
            "units": None,
            "source": "projects tracker",
        }
        for p in project_budget_list(year)
    ]


def estimates_refresh(
    *,
    year: int,
    run_dir: Path | str | None,
    scale: Fraction | None = None,
    facilities_on: dt.date | None = None,
    actor=None,
) -> dict[str, int]:
    """Store the year's estimate from a run, the facility shortfalls and projects."""
    from equiserve.budget.services import estimates_replace

    counts = {}
    if run_dir is not None:
        counts[EstimateKind.PROGRAMME] = estimates_replace(
            year=year,
            kind=EstimateKind.PROGRAMME,
            rows=programme_rows(run_dir, scale=scale),
            actor=actor,
        )
    day = facilities_on or dt.date(year, 12, 31)
    counts[EstimateKind.FACILITY] = estimates_replace(
        year=year, kind=EstimateKind.FACILITY, rows=facility_rows(day), actor=actor
    )
    counts[EstimateKind.PROJECT] = estimates_replace(
        year=year, kind=EstimateKind.PROJECT, rows=project_rows(year), actor=actor
    )
    return counts
