"""Read figures and reports: judged values, a report's figures, the city report.

A report's figures are computed live while it is a draft (or returned), and
read from the frozen copy once submitted. The city report takes each town's
and department's figures from its report, marked by how far that report got.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from equiserve.accounts.models import Department
from equiserve.geography.models import Town, Village
from equiserve.monitoring.definitions import (
    CITY,
    HUKOU,
    TOWN,
    Definitions,
    Indicator,
    load_definitions,
)
from equiserve.monitoring.models import Report, ReportFigure, ReportItem
from equiserve.monitoring.periods import BASELINE, Period, period_get
from equiserve.monitoring.sources import CITY_PLACE
from equiserve.monitoring.stored import StoredValues, stored_values
from equiserve.monitoring.targets import Judgement, judge
from equiserve.monitoring.values import Values

# How a figure came to be shown (the office sees unapproved figures, marked).
LIVE, SUBMITTED, APPROVED = "live", "submitted", "approved"
STATE_LABELS = {
    LIVE: _("live, not submitted"),
    SUBMITTED: _("submitted, not approved"),
    APPROVED: _("approved"),
}


@dataclass(frozen=True)
class Figure:
    """An indicator's value for one place (and group), with its target status."""

    indicator: Indicator
    place: str
    group: str
    numerator: float | None
    denominator: float | None
    value: float | None
    judgement: Judgement
    state: str = LIVE
    # When a stored value was computed, and whether the worker is updating it.
    computed_at: dt.datetime | None = None
    updating: bool = False
    # Persons or households whose facts are missing, so the engine cannot
    # decide the term's rule: never counted in their favour (issue 13).
    numerator_undetermined: float | None = None
    denominator_undetermined: float | None = None

    @property
    def status(self) -> str:
        return self.judgement.status

    @property
    def undetermined(self) -> float | None:
        """Return how many the engine could not decide (None: no rule counted)."""
        return undetermined_of(self)

    @property
    def state_label(self):
        return STATE_LABELS[self.state]


def _figure(value, judgement, state=LIVE, freshness=None) -> Figure:
    return Figure(
        indicator=value.indicator,
        place=value.place,
        group=value.group,
        numerator=value.numerator,
        denominator=value.denominator,
        value=value.shown,
        judgement=judgement,
        state=state,
        computed_at=freshness.computed_at if freshness else None,
        updating=freshness.updating if freshness else False,
        numerator_undetermined=getattr(value, "numerator_undetermined", None),
        denominator_undetermined=getattr(value, "denominator_undetermined", None),
    )


def undetermined_of(value) -> float | None:
    """Return the undetermined count of a value or figure, None if no rule counts.

    When both terms count a rule, the numerator's people are among the
    denominator's, so the larger of the two is shown, never their sum.
    """
    found = [
        n
        for n in (value.numerator_undetermined, value.denominator_undetermined)
        if n is not None
    ]
    return max(found) if found else None


def counts_rule(indicator: Indicator) -> bool:
    """Return whether a term of `indicator` counts an engine output (`rule:`)."""
    return any(term.options.get("rule") for _role, term in indicator.terms())


def judged(
    indicators: list[Indicator] | None,
    period: Period,
    *,
    levels,
    towns: list[str] | None = None,
    by: str = "",
    definitions: Definitions | None = None,
    read=stored_values,
) -> list[Figure]:
    """Return figures for `period`, each judged against its target.

    Pages read stored values (`stored_values`); `read=values.compute` computes
    them now instead (the command line).

    The baseline is the value in the plan's first period for the same place
    (and group); without one, the whole target is expected already.
    """
    definitions = definitions or load_definitions()
    chosen = list(definitions.indicators if indicators is None else indicators)
    # Only targets need the baseline: the rest (e.g. the circle) is counted once.
    values = read(
        chosen,
        periods=[period],
        levels=levels,
        towns=towns,
        by=by,
        extra={i.code: [BASELINE] for i in chosen if i.targets},
        definitions=definitions,
    )
    return judge_values(values, period, definitions)


def judge_values(values: Values, period: Period, definitions: Definitions):
    figures = []
    for value in values.select(period=period, group=None):
        base = values.get(value.indicator.code, BASELINE, value.place, value.group)
        baseline = (
            (BASELINE, base.shown)
            if base is not None and base.value is not None
            else None
        )
        judgement = judge(
            value.indicator,
            value.value,
            period,
            baseline=baseline,
            tolerance=definitions.tolerance,
        )
        freshness = (
            values.freshness(value) if isinstance(values, StoredValues) else None
        )
        figures.append(_figure(value, judgement, freshness=freshness))
    return figures


# -- places ---------------------------------------------------------------------


def place_names(lang: str) -> dict[str, str]:
    """Return the display name of the city, every town and every village."""
    english = not (lang or "").lower().startswith("zh")
    names = {CITY_PLACE: str(_("Whole city"))}
    for code, zh, en in Town.objects.values_list("code", "short_name_zh", "name_en"):
        names[code] = en if english else zh
    for code, zh, en in Village.objects.values_list("code", "name_zh", "name_en"):
        names[code] = en if english and en else zh
    return names


def town_list(towns: list[str] | None = None) -> QuerySet[Town]:
    found = Town.objects.order_by("code")
    return found if towns is None else found.filter(code__in=towns)


# -- reports ---------------------------------------------------------------------


def report_clauses(report: Report) -> list:
    """Return the plan items a report covers: the department's, or all for a town."""
    from equiserve.portal.catalogue import load_catalogue

    items = load_catalogue().items()
    if report.kind == Report.Kind.DEPARTMENT:
        return [item for item in items if item.lead == report.department]
    return list(items)


def report_indicators(report: Report, definitions: Definitions | None = None):
    """Return the indicators a report carries: the department's own, or by town."""
    definitions = definitions or load_definitions()
    if report.kind == Report.Kind.DEPARTMENT:
        return [i for i in definitions.indicators if i.owner == report.department]
    return [i for i in definitions.indicators if TOWN in i.levels]


def report_places(report: Report) -> list[str]:
    if report.kind == Report.Kind.TOWN:
        return [report.town_id]
    return [CITY_PLACE, *Town.objects.order_by("code").values_list("code", flat=True)]


def report_live_figures(
    report: Report, definitions: Definitions | None = None, read=stored_values
) -> list[Figure]:
    """Return a report's current figures: its places, and registered/migrant splits.

    Stored values by default; `read=values.compute` computes them (a submission).
    """
    definitions = definitions or load_definitions()
    indicators = report_indicators(report, definitions)
    period = period_get(report.period)
    if report.kind == Report.Kind.TOWN:
        levels, towns = [TOWN], [report.town_id]
    else:
        levels, towns = [CITY, TOWN], None
    figures = judged(
        indicators,
        period,
        levels=levels,
        towns=towns,
        definitions=definitions,
        read=read,
    )
    split = [i for i in indicators if HUKOU in i.disaggregations]
    if split:
        figures += judged(
            split,
            period,
            levels=[TOWN] if towns else [CITY],
            towns=towns,
            by=HUKOU,
            definitions=definitions,
            read=read,
        )
    return _ordered(figures, indicators)


def _ordered(figures: list[Figure], indicators: list[Indicator]) -> list[Figure]:
    order = {indicator.code: index for index, indicator in enumerate(indicators)}
    return sorted(
        figures,
        key=lambda f: (
            order.get(f.indicator.code, 999),
            f.place != CITY_PLACE,
            f.place,
            f.group,
        ),
    )


def _frozen_figures(report: Report, definitions: Definitions) -> list[Figure]:
    state = APPROVED if report.status == Report.Status.APPROVED else SUBMITTED
    figures = []
    for row in report.figures.all():
        try:
            indicator = definitions.get(row.indicator)
        except KeyError:
            continue  # an indicator removed from the plan since
        figures.append(
            Figure(
                indicator=indicator,
                place=row.place,
                group=row.group,
                numerator=row.numerator,
                denominator=row.denominator,
                value=row.value,
                judgement=Judgement(row.status, row.target),
                state=state,
            )
        )
    return _ordered(figures, list(definitions.indicators))


def report_figures(report: Report, definitions: Definitions | None = None):
    """Return the figures a report shows: frozen once submitted, else live."""
    definitions = definitions or load_definitions()
    if report.frozen:
        return _frozen_figures(report, definitions)
    return report_live_figures(report, definitions)


def report_items(report: Report) -> list[dict]:
    """Return each plan item of the report with its narrative (blank if unwritten)."""
    written = {item.clause: item for item in report.items.all()}
    rows = []
    for plan_item in report_clauses(report):
        rows.append(
            {"plan": plan_item, "item": written.get(plan_item.clause) or ReportItem()}
        )
    return rows


@dataclass(frozen=True)
class Timeliness:
    code: str  # on_time | late | overdue | pending
    days_late: int = 0

    @property
    def label(self):
        return {
            "on_time": _("On time"),
            "late": _("Late"),
            "overdue": _("Overdue"),
            "pending": _("Not yet due"),
        }[self.code]


def timeliness(report: Report | None, due: dt.date, today: dt.date | None = None):
    """Return whether a report came in by its deadline (first submission counts)."""
    today = today or timezone.localdate()
    submitted = report.first_submitted_at if report is not None else None
    if submitted is not None:
        days = (timezone.localtime(submitted).date() - due).days
        return Timeliness("late", days) if days > 0 else Timeliness("on_time")
    if today > due:
        return Timeliness("overdue", (today - due).days)
    return Timeliness("pending")


@dataclass
class ExpectedReport:
    """A report the plan expects for a period, whether or not it was started."""

    kind: str
    code: str
    name: str
    due: dt.date
    report: Report | None
    timeliness: Timeliness

    @property
    def status(self) -> str:
        return self.report.status if self.report else ""


def expected_reports(
    period: Period,
    lang: str,
    *,
    authors: list[tuple[str, str]] | None = None,
    definitions: Definitions | None = None,
) -> list[ExpectedReport]:
    """Return the reports the plan expects for a period, started or not.

    Every department's and town's by default; `authors` ((kind, code) pairs)
    limits them, e.g. to the user's own.
    """
    definitions = definitions or load_definitions()
    due = period.deadline(definitions.deadline_days)
    found = {
        (r.kind, r.author_code): r
        for r in Report.objects.filter(period=period.id).select_related("town")
    }
    names = place_names(lang)
    candidates = [
        (Report.Kind.DEPARTMENT, d.value, str(d.label)) for d in Department
    ] + [
        (Report.Kind.TOWN, code, names[code])
        for code in Town.objects.order_by("code").values_list("code", flat=True)
    ]
    wanted = None if authors is None else set(authors)
    rows = []
    for kind, code, name in candidates:
        if wanted is not None and (kind, code) not in wanted:
            continue
        report = found.get((kind, code))
        rows.append(
            ExpectedReport(kind, code, name, due, report, timeliness(report, due))
        )
    return rows


# -- the consolidated city report ------------------------------------------------


@dataclass
class CityReport:
    period: Period
    domains: list[dict] = field(default_factory=list)
    reports: list[ExpectedReport] = field(default_factory=list)
    towns: list[str] = field(default_factory=list)


def _figure_from_report(
    report: Report | None, indicator: Indicator, place: str, live: dict
) -> Figure | None:
    if report is not None and report.frozen:
        state = APPROVED if report.status == Report.Status.APPROVED else SUBMITTED
        row = next(
            (
                f
                for f in report.figures.all()
                if f.indicator == indicator.code and f.place == place and not f.group
            ),
            None,
        )
        if row is not None:
            return Figure(
                indicator,
                place,
                "",
                row.numerator,
                row.denominator,
                row.value,
                Judgement(row.status, row.target),
                state,
            )
    return live.get((indicator.code, place))


def city_report(
    period: Period, lang: str, definitions=None, domain: str | None = None
) -> CityReport:
    """Return the consolidated report: every domain's figures and narratives,
    or only `domain`'s (a page on screen reads no other domain's values).

    A town's figure comes from the town's report and the city's from the owning
    department's, frozen once submitted; what is not yet submitted is computed
    live. Each figure says which (approved, submitted, live).
    """
    from equiserve.portal.catalogue import load_catalogue

    definitions = definitions or load_definitions()
    domains = [d for d in load_catalogue().domains if domain in (None, d.id)]
    shown = [i for d in domains for i in definitions.in_domain(d.id)]
    reports = list(
        Report.objects.filter(period=period.id).prefetch_related("figures", "items")
    )
    by_department = {
        r.department: r for r in reports if r.kind == Report.Kind.DEPARTMENT
    }
    by_town = {r.town_id: r for r in reports if r.kind == Report.Kind.TOWN}
    live = {
        (f.indicator.code, f.place): f
        for f in judged(
            shown if domain else None,
            period,
            levels=[CITY, TOWN],
            definitions=definitions,
        )
    }
    towns = list(Town.objects.order_by("code").values_list("code", flat=True))
    result = CityReport(period=period, towns=towns)
    for plan_domain in domains:
        indicators = []
        for indicator in definitions.in_domain(plan_domain.id):
            city = _figure_from_report(
                by_department.get(indicator.owner), indicator, CITY_PLACE, live
            )
            town_figures = []
            if TOWN in indicator.levels:
                for town in towns:
                    town_figures.append(
                        _figure_from_report(by_town.get(town), indicator, town, live)
                    )
            indicators.append(
                {
                    "indicator": indicator,
                    "city": city,
                    "towns": town_figures,
                    "by_town": {f.place: f for f in town_figures if f is not None},
                }
            )
        items = []
        for plan_item in plan_domain.items:
            report = by_department.get(plan_item.lead)
            written = None
            if report is not None:
                written = next(
                    (i for i in report.items.all() if i.clause == plan_item.clause),
                    None,
                )
            town_statuses: dict[str, int] = {}
            for town_report in by_town.values():
                for item in town_report.items.all():
                    if item.clause == plan_item.clause and item.status:
                        town_statuses[item.status] = (
                            town_statuses.get(item.status, 0) + 1
                        )
            items.append(
                {
                    "plan": plan_item,
                    "item": written,
                    "report": report,
                    "town_statuses": town_statuses,
                }
            )
        result.domains.append(
            {"domain": plan_domain, "indicators": indicators, "items": items}
        )
    result.reports = expected_reports(period, lang, definitions=definitions)
    return result


def frozen_rows(report: Report) -> QuerySet[ReportFigure]:
    return report.figures.all()
