"""`/api/v1/monitoring/…`: indicators, their values and equality, and the reports.

Bearer token (`POST /api/v1/auth/token`). A town officer gets their own town's
values and report only; another town's report is a 404, like a missing one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import Http404
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from equiserve.accounts.api import BearerAuth
from equiserve.monitoring import permissions, selectors
from equiserve.monitoring.definitions import (
    CITY,
    DIMENSIONS,
    LEVELS,
    TOWN,
    VILLAGE,
    Indicator,
    load_definitions,
)
from equiserve.monitoring.measures import equality_report
from equiserve.monitoring.periods import (
    PERIOD_IDS,
    UnknownPeriod,
    current_period,
    period_get,
)

router = Router(tags=["monitoring"], auth=BearerAuth())

# A half-year of the plan ("2015H1"), or "" for the latest ended one.
PeriodId = Literal[("", *PERIOD_IDS)]


class TargetOut(Schema):
    value: float | None
    parameter: str
    direction: str
    by: dt.date | None
    start: dt.date | None
    path: str
    status: str
    reference: str


class TermOut(Schema):
    source: str
    options: dict[str, Any]


class IndicatorOut(Schema):
    code: str
    clause: str
    domain: str
    owner: str
    label: dict[str, str]
    definition: dict[str, str]
    unit: str
    factor: float
    decimals: int
    levels: list[str]
    disaggregations: list[str]
    programme: str
    numerator: TermOut
    denominator: TermOut | None
    targets: list[TargetOut]


class ValueOut(Schema):
    indicator: str
    period: str
    place: str
    group: str
    numerator: float | None
    denominator: float | None
    value: float | None
    target: float | None
    status: str
    # Persons or households the rules engine could not decide (a fact missing),
    # counted in neither term; null when the term counts no rule (issue 13).
    numerator_undetermined: float | None = None
    denominator_undetermined: float | None = None
    # When the stored value was computed, and whether the worker is updating
    # it (the value shown is then the previous one); null for a frozen figure.
    computed_at: dt.datetime | None = None
    updating: bool = False


class ValueFilters(Schema):
    indicator: str = ""
    period: PeriodId = ""
    # Enumerated so that `?by=xyz` is a 422, not a 500 (issue 10, finding 8).
    level: Literal[LEVELS] = CITY
    by: Literal[("", *DIMENSIONS)] = ""


class ItemOut(Schema):
    clause: str
    status: str
    progress: str
    problems: str
    next_steps: str


class ReportOut(Schema):
    id: int
    period: str
    kind: str
    department: str
    town: str | None
    status: str
    revision: int
    due_on: dt.date
    first_submitted_at: dt.datetime | None
    submitted_at: dt.datetime | None
    approved_at: dt.datetime | None
    timeliness: str
    days_late: int
    review_comment: str


class ReportDetailOut(ReportOut):
    figures_state: str
    items: list[ItemOut]
    figures: list[ValueOut]


class ReportFilters(Schema):
    period: PeriodId = ""
    status: str = ""


def _indicator_out(indicator: Indicator) -> dict:
    def term(t):
        return None if t is None else {"source": t.source, "options": t.options}

    return {
        "code": indicator.code,
        "clause": indicator.clause,
        "domain": indicator.domain,
        "owner": indicator.owner,
        "label": indicator.label,
        "definition": indicator.definition,
        "unit": indicator.unit,
        "factor": indicator.factor,
        "decimals": indicator.decimals,
        "levels": list(indicator.levels),
        "disaggregations": list(indicator.disaggregations),
        "programme": indicator.programme,
        "numerator": term(indicator.numerator),
        "denominator": term(indicator.denominator),
        "targets": [
            {
                "value": None if t.value is None else float(t.value),
                "parameter": t.parameter,
                "direction": t.direction,
                "by": t.by,
                "start": t.start,
                "path": t.path,
                "status": t.status,
                "reference": t.reference,
            }
            for t in indicator.targets
        ],
    }


def _indicator(code: str) -> Indicator:
    try:
        return load_definitions().get(code)
    except KeyError:
        raise HttpError(404, f"no indicator {code!r}") from None


def _period(text: str):
    try:
        return period_get(text) if text else current_period()
    except UnknownPeriod as error:
        raise HttpError(422, str(error)) from None


def _value_out(figure, period) -> dict:
    return {
        "indicator": figure.indicator.code,
        "period": period.id,
        "place": figure.place,
        "group": figure.group,
        "numerator": figure.numerator,
        "denominator": figure.denominator,
        "value": figure.value,
        "target": figure.judgement.target,
        "status": figure.status,
        "numerator_undetermined": figure.numerator_undetermined,
        "denominator_undetermined": figure.denominator_undetermined,
        "computed_at": figure.computed_at,
        "updating": figure.updating,
    }


@router.get("/indicators", response=list[IndicatorOut], summary="List indicators")
def indicator_list(request):
    """Return every indicator of the plan: terms, levels, splits and dated targets."""
    return [_indicator_out(i) for i in load_definitions().indicators]


@router.get("/indicators/{code}", response=IndicatorOut, summary="One indicator")
def indicator_detail(request, code: str):
    """Return one indicator's definition."""
    return _indicator_out(_indicator(code))


@router.get("/values", response=list[ValueOut], summary="Indicator values")
def value_list(request, filters: Query[ValueFilters]):
    """Return the stored values of one indicator (or all) for a period and level,
    judged, each with when it was computed and whether it is being updated.

    `level` is city, town or village; `by` splits by hukou, urban_rural, sex or
    age_band where the indicator supports it. Town officers get their own town
    (level town) only.
    """
    period = _period(filters.period)
    towns = permissions.visible_towns(request.auth)
    if towns is not None and filters.level != TOWN:
        raise HttpError(403, "town officers see their own town's values (level=town)")
    indicators = None if not filters.indicator else [_indicator(filters.indicator)]
    figures = selectors.judged(
        indicators,
        period,
        levels=[filters.level],
        towns=towns,
        by=filters.by,
    )
    return [_value_out(f, period) for f in figures]


@router.get("/indicators/{code}/equality", summary="Equality measures of an indicator")
def indicator_equality(request, code: str, period: PeriodId = ""):
    """Return Theil T/L (with the city → towns decomposition), Gini, CV, the
    registered–migrant and urban–rural gaps and sigma convergence, for the city."""
    if permissions.visible_towns(request.auth) is not None:
        raise HttpError(403, "equality across towns is for city-wide roles")
    indicator = _indicator(code)
    if TOWN not in indicator.levels and VILLAGE not in indicator.levels:
        raise HttpError(422, "the indicator is not counted by town")
    return equality_report(indicator, _period(period))


def _report_out(report) -> dict:
    timeliness = selectors.timeliness(report, report.due_on)
    return {
        "id": report.pk,
        "period": report.period,
        "kind": report.kind,
        "department": report.department,
        "town": report.town_id,
        "status": report.status,
        "revision": report.revision,
        "due_on": report.due_on,
        "first_submitted_at": report.first_submitted_at,
        "submitted_at": report.submitted_at,
        "approved_at": report.approved_at,
        "timeliness": timeliness.code,
        "days_late": timeliness.days_late,
        "review_comment": report.review_comment,
    }


@router.get("/reports", response=list[ReportOut], summary="List reports")
def report_list(request, filters: Query[ReportFilters]):
    """Return the reports the caller may read, by period and status if given."""
    reports = permissions.report_list_for(request.auth)
    if filters.period:
        reports = reports.filter(period=_period(filters.period).id)
    if filters.status:
        reports = reports.filter(status=filters.status)
    return [_report_out(report) for report in reports]


@router.get("/reports/{report_id}", response=ReportDetailOut, summary="One report")
def report_detail(request, report_id: int):
    """Return a report with its narrative and its figures (frozen once submitted)."""
    try:
        report = permissions.access_report(request.auth, report_id)
    except Http404:
        raise HttpError(404, "no such report") from None
    period = period_get(report.period)
    figures = selectors.report_figures(report)
    return {
        **_report_out(report),
        "figures_state": "frozen" if report.frozen else "live",
        "items": [
            {
                "clause": item.clause,
                "status": item.status,
                "progress": item.progress,
                "problems": item.problems,
                "next_steps": item.next_steps,
            }
            for item in report.items.all()
        ],
        "figures": [_value_out(f, period) for f in figures],
    }
