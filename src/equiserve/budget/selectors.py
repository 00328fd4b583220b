"""Reads of budget execution: programme × town × funding source × year (clause 4.3).

- **estimate**: the stored estimate (`estimate.py`);
- **budget**: the latest version finance entered;
- **committed**: the amounts of the decided entitlements in force, of cases
  applied for in the year (the decision's own timestamp is when it was
  recorded, not the service year);
- **paid**: payments made in the year, and services delivered in the year
  valued at their unit costs: an item counted per unit (`budget.per`, e.g. a
  day of body storage) at its parameter, any other item at the programme's
  unit cost once per entitlement and year;
- **variances**: budget − committed, budget − paid, budget − forecast;
- **forecast** of the year's end from the run rate: paid ÷ days elapsed ×
  days in the year; a closed year's forecast is what was paid.

Money is Decimal, exact to the fen; a rate is rounded half up to the fen once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from equiserve.budget.estimate import (
    fen,
    funding_of,
    project_budget_list,
    projects_installed,
)
from equiserve.budget.models import BudgetLine, Estimate, EstimateKind
from equiserve.cases.models import PAYMENT, Delivery, Entitlement
from equiserve.rules import plan_gateway

ZERO = Decimal("0.00")


@dataclass
class ExecutionRow:
    """One programme × town × funding source line of a year."""

    programme: str
    town: str | None  # None: city-wide, not split by town
    funding: str
    estimate: Decimal | None = None
    budget: Decimal | None = None
    budget_version: int | None = None
    committed: Decimal = ZERO
    paid: Decimal = ZERO
    forecast: Decimal | None = None
    unvalued: int = 0  # deliveries with no unit cost to value them at
    clause: str = ""

    @property
    def programme_label(self) -> str:
        from equiserve.budget.presentation import programme_label

        return programme_label(self.programme)

    @property
    def domain(self) -> str:
        return ".".join(self.clause.split(".")[:2])

    def _less(self, other: Decimal | None) -> Decimal | None:
        return None if self.budget is None or other is None else self.budget - other

    @property
    def uncommitted(self) -> Decimal | None:
        return self._less(self.committed)

    @property
    def unpaid(self) -> Decimal | None:
        return self._less(self.paid)

    @property
    def forecast_variance(self) -> Decimal | None:
        return self._less(self.forecast)


@dataclass
class Execution:
    year: int
    on: dt.date
    elapsed_days: int
    year_days: int
    rows: list[ExecutionRow] = field(default_factory=list)
    facilities: list[Estimate] = field(default_factory=list)
    projects: list = field(default_factory=list)
    projects_installed: bool = True

    def total(self, name: str) -> Decimal:
        return sum((getattr(r, name) or ZERO for r in self.rows), ZERO)

    @property
    def facilities_total(self) -> Decimal:
        return sum((e.amount for e in self.facilities), ZERO)


def _year_days(year: int) -> int:
    return (dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days


def forecast(paid: Decimal, year: int, on: dt.date) -> Decimal | None:
    """Return the year's end from the run rate to `on` (None before the year)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if on < start:
        return None
    if on >= end:
        return paid
    elapsed = (on - start).days + 1
    return fen(paid * _year_days(year) / Decimal(elapsed))


def committed_by(year: int) -> dict[tuple[str, str], Decimal]:
    """Return the decided entitlements' amounts per (programme, town) for `year`."""
    rows = (
        Entitlement.objects.filter(active=True, case__applied_on__year=year)
        .values_list("case__programme", "case__town_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {(p, t): total or ZERO for p, t, total in rows}


def _item_parameter(programme_code: str, item_code: str) -> tuple[str | None, bool]:
    """Return (cost parameter, per unit) for a delivered item of a programme."""
    programme = plan_gateway.plan().programmes.get(programme_code)
    if programme is None or programme.budget is None:
        return None, False
    item = programme.item(item_code)
    per = dict(programme.budget.per)
    if item is not None and item.limit_output in per:
        return per[item.limit_output], True
    return programme.budget.unit_cost, False


def paid_by(year: int, on: dt.date) -> tuple[dict, dict]:
    """Return paid per (programme, town) in `year` up to `on`, and unvalued counts."""
    deliveries = Delivery.objects.filter(delivered_on__year=year, delivered_on__lte=on)
    paid: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    unvalued: dict[tuple[str, str], int] = defaultdict(int)
    for programme, town, total in (
        deliveries.filter(item=PAYMENT)
        .values_list("case__programme", "case__town_id")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        paid[(programme, town)] += total
    counted_once: set[tuple[int, str]] = set()
    for programme, town, entitlement, item, quantity, day in (
        deliveries.exclude(item=PAYMENT)
        .values_list(
            "case__programme",
            "case__town_id",
            "entitlement_id",
            "item",
            "quantity",
            "delivered_on",
        )
        .order_by("delivered_on", "pk")
    ):
        parameter, per_unit = _item_parameter(programme, item)
        if not per_unit:
            if (entitlement, parameter) in counted_once:
                continue
            counted_once.add((entitlement, parameter))
        price = plan_gateway.parameter_on(parameter, day) if parameter else None
        if price is None:
            unvalued[(programme, town)] += 1
            continue
        paid[(programme, town)] += fen(Decimal(price) * (quantity if per_unit else 1))
    return dict(paid), dict(unvalued)


def latest_budgets(year: int) -> list[BudgetLine]:
    """Return the latest version of each budget line of `year`."""
    latest: dict[tuple, BudgetLine] = {}
    for line in BudgetLine.objects.filter(year=year).order_by("version"):
        latest[(line.programme, line.town_id, line.funding)] = line
    return sorted(
        latest.values(), key=lambda b: (b.programme, b.town_id or "", b.funding)
    )


def execution(
    year: int,
    *,
    on: dt.date | None = None,
    towns: list[str] | None = None,
    programmes: set[str] | None = None,
) -> Execution:
    """Return the year's budget execution, for some towns and programmes (None: all)."""
    on = on or dt.date.today()
    result = Execution(
        year=year,
        on=on,
        elapsed_days=max(0, min((on - dt.date(year, 1, 1)).days + 1, _year_days(year))),
        year_days=_year_days(year),
    )
    rows: dict[tuple, ExecutionRow] = {}
    plan = plan_gateway.plan()

    def row(programme: str, town: str | None, funding: str | None = None):
        key = (programme, town, funding or funding_of(programme))
        if key not in rows:
            found = plan.programmes.get(programme)
            rows[key] = ExecutionRow(
                programme, town, key[2], clause=found.clause if found else ""
            )
        return rows[key]

    estimates = Estimate.objects.filter(year=year)
    for e in estimates.filter(kind=EstimateKind.PROGRAMME):
        target = row(e.code, e.town_id, e.funding)
        target.estimate = (target.estimate or ZERO) + e.amount
    for line in latest_budgets(year):
        target = row(line.programme, line.town_id, line.funding)
        target.budget, target.budget_version = line.amount, line.version
    for (programme, town), amount in committed_by(year).items():
        row(programme, town).committed += amount
    paid, unvalued = paid_by(year, on)
    for (programme, town), amount in paid.items():
        row(programme, town).paid += amount
    for (programme, town), count in unvalued.items():
        row(programme, town).unvalued += count
    order = list(plan.programmes)
    for item in rows.values():
        item.forecast = forecast(item.paid, year, on)
    result.rows = sorted(
        (
            r
            for r in rows.values()
            if (towns is None or r.town in towns)
            and (programmes is None or r.programme in programmes)
        ),
        key=lambda r: (
            order.index(r.programme) if r.programme in order else len(order),
            r.town or "",
            r.funding,
        ),
    )
    facilities = estimates.filter(kind=EstimateKind.FACILITY).order_by("code", "town")
    if towns is not None:
        facilities = facilities.filter(town_id__in=towns)
    result.facilities = list(facilities) if programmes is None else []
    result.projects_installed = projects_installed()
    if programmes is None:
        result.projects = [
            p
            for p in project_budget_list(year, on)
            if towns is None or p.town_code in towns
        ]
    return result


def budget_history(year: int, programme: str, town: str | None, funding: str):
    """Return every version of one budget line, newest first."""
    return (
        BudgetLine.objects.filter(
            year=year, programme=programme, town_id=town, funding=funding
        )
        .select_related("entered_by")
        .order_by("-version")
    )


def finance_queue(year: int = 2015) -> dict:
    """Return the Finance Bureau's start queue: lines forecast above their budget."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from equiserve.formatting import money, town_name

    over = [
        row
        for row in execution(year, on=dt.date(year, 12, 31)).rows
        if row.forecast_variance is not None and row.forecast_variance < 0
    ]
    url = f"{reverse('budget:overview')}?year={year}"
    return {
        "title": _("Budget lines forecast above their budget (%(year)s)")
        % {"year": year},
        "count": len(over),
        "url": url,
        "items": [
            (
                f"{row.programme_label} · {town_name(row.town) if row.town else '—'} · "
                f"{money(-row.forecast_variance)}",
                url,
            )
            for row in over[:10]
        ],
    }
