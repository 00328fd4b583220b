"""Turn reports into what the templates show: labels, percentages, tables."""

from collections import defaultdict

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from equiserve.facilities.circle import CircleReport
from equiserve.facilities.compliance import number_json
from equiserve.facilities.models import DisabilityComponent, Kind
from equiserve.facilities.selectors import StandardsReport
from equiserve.facilities.standards import STANDARDS, STANDARDS_BY_ID
from equiserve.geography.models import Town
from equiserve.listing import Listing, listing, ranked

STATUS_LABELS = {
    "met": _("met"),
    "short": _("short"),
    "not_due": _("not yet due"),
    "unknown": _("unknown"),
}
VILLAGE_STATUSES = {
    "short": _("not everyone within the circle"),
    "met": _("everyone within the circle"),
    "unknown": _("no records"),
}
ITEM_LABELS = {
    "computerized": _("computerized management"),
    "union_catalogue": _("union catalogue"),
    "unified_service": _("unified service"),
    "unified_distribution": _("unified distribution (exchange)"),
    "borrow_anywhere": _("borrow anywhere, return anywhere"),
    "self_service_24h": _("24-hour self-service library"),
    "stage": _("stage"),
    "dressing_room": _("dressing room"),
    "lighting": _("lighting"),
    "sound": _("sound system"),
    "sign": _("sign"),
    "rules": _("rules"),
    "equipment": _("equipment"),
    "uniforms": _("uniforms"),
    "fixed_place": _("fixed place"),
    "fixed_time": _("fixed time"),
    "fixed_activity": _("fixed activity"),
    "fixed_staff": _("fixed staff"),
    "guidance_station": _("no guidance station"),
    "station_standard": _("its station falls short of the standard"),
    "population": _("population unknown"),
    "culture_centre": _("no culture centre"),
    "library": _("no library"),
    "town_plaza": _("no town plaza"),
    "e_reading_room": _("no e-reading room"),
    "renewal": _("equipment renewal overdue"),
    "equipment_renewed_on": _("renewal date unknown"),
    "city_management": _("still under town management"),
    "free_opening": _("not open free of charge"),
    "free_activities": _("too few free activities"),
    "kangyuan_network": _("Kangyuan network incomplete"),
    **{value: label for value, label in DisabilityComponent.choices},
}
LEVEL_LABELS = {
    "facility": _("facility"),
    "village": _("village or community"),
    "natural_village": _("natural village"),
    "town": _("town"),
    "city": _("city"),
}
HUKOU_LABELS = {"zhongshan": _("Registered"), "elsewhere": _("Migrant")}
METHOD_LABELS = {
    "network": _("road network"),
    "straight_line": _("straight line × detour factor"),
}


def percent(share) -> str:
    """Return a share as the pages show it: one decimal and a percent sign."""
    return "—" if share is None else f"{share * 100:.1f}%"


def number(value) -> str:
    """Return a figure as the pages show it: thousands separated, no trailing zeros."""
    value = number_json(value)
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{value:,}"


def town_names() -> dict[str, str]:
    english = not (get_language() or "zh-hans").startswith("zh")
    field = "name_en" if english else "short_name_zh"
    return dict(Town.objects.values_list("code", field))


def _finding_row(finding, names) -> dict:
    return {
        "standard": finding.standard,
        "clause": finding.clause,
        "level": LEVEL_LABELS.get(finding.level, finding.level),
        "town": finding.town,
        "town_name": names.get(finding.town, ""),
        "subject": finding.subject,
        "name": finding.name,
        "status": finding.status,
        "status_label": STATUS_LABELS[finding.status],
        "required": number(finding.required),
        "actual": number(finding.actual),
        "shortfall": number(finding.shortfall),
        "shortfall_value": number_json(finding.shortfall),
        "unit": finding.unit,
        "missing": [ITEM_LABELS.get(item, item) for item in finding.missing],
    }


def check_context(report: StandardsReport, standard_id: str | None = None) -> dict:
    """Return the check as a town × standard matrix and findings by standard."""
    names = town_names()
    cells = {(row["town"], row["standard"]): row for row in report.summary}
    towns = sorted({row["town"] for row in report.summary if row["town"]})
    columns = [s for s in STANDARDS if s.level != "city"]
    matrix = [
        {
            "code": town,
            "name": names.get(town, town),
            "population": number(report.population.get(town)),
            "cells": [
                {
                    "standard": standard,
                    "row": cells.get((town, standard.id)),
                    "label": STATUS_LABELS[cells[(town, standard.id)]["status"]]
                    if (town, standard.id) in cells
                    else "",
                }
                for standard in columns
            ],
        }
        for town in towns
    ]
    grouped = defaultdict(list)
    for finding in report.findings:
        if standard_id is None or finding.standard == standard_id:
            grouped[finding.standard].append(_finding_row(finding, names))
    by_standard = [
        {
            "standard": standard,
            "findings": grouped[standard.id],
            "short": sum(row["status"] == "short" for row in grouped[standard.id]),
        }
        for standard in STANDARDS
        if grouped[standard.id]
    ]
    city = [
        _finding_row(finding, names)
        for finding in report.findings
        if finding.level == "city"
    ]
    return {
        "check": report,
        "columns": columns,
        "matrix": matrix,
        "by_standard": by_standard,
        "city_findings": city,
        "population_basis": report.population_basis,
        "parameters": report.parameters,
    }


def _circle_rows(rows, key, labels=None) -> list[dict]:
    return [
        {
            "key": row[key],
            "label": (labels or {}).get(row[key], row[key]),
            "records": row["records"],
            "people": number(row["people"]),
            "people_covered": number(row["people_covered"]),
            "share": percent(row["share"]),
        }
        for row in rows
    ]


def circle_context(report: CircleReport) -> dict:
    """Return the fitness circle's tables with labels and percentages."""
    names = town_names()
    villages = [
        {
            **row,
            "town_name": names.get(row["town"], row["town"]),
            "share_text": percent(row["share"]),
            "fca_text": number(
                None
                if row["fca_m2_per_person"] is None
                else round(row["fca_m2_per_person"], 3)
            ),
        }
        for row in report.villages
    ]
    return {
        "circle": report,
        "circle_method": METHOD_LABELS.get(report.method, report.method),
        "circle_total": _circle_rows([{"total": "", **report.total}], "total")[0],
        "circle_by_town": _circle_rows(report.tables["town"], "town", names),
        "circle_by_hukou": _circle_rows(report.tables["hukou"], "hukou", HUKOU_LABELS),
        "circle_by_age": _circle_rows(report.tables["age_band"], "age_band"),
        "circle_villages": villages,
        "circle_outside": [
            row for row in villages if row["share"] is not None and row["share"] < 1
        ],
        "kind_labels": dict(Kind.choices),
    }


# Failing first (issue 14, deliverable 6): what falls short, then what is unknown.
STATUS_ORDER = ("short", "unknown", "not_due", "met")


def _number_last(value) -> tuple:
    return (value is None, -(value or 0))


def findings_listing(params, findings: list[dict]) -> Listing:
    """Return one page of a standard's findings: failing first, by town or status."""
    status_rank = ranked(STATUS_ORDER)
    return listing(
        params,
        findings,
        sorts={
            "status": (
                _("Status"),
                lambda row: (status_rank(row["status"]), row["town_name"], row["name"]),
            ),
            "where": (_("Where"), lambda row: (row["name"], row["subject"])),
            "town": (_("Town"), lambda row: (row["town_name"], row["name"])),
            "shortfall": (
                _("Shortfall"),
                lambda row: (_number_last(row["shortfall_value"]), row["name"]),
            ),
        },
        default_sort="status",
        keep=("date",),
        filters={
            "town": lambda row, code: row["town"] == code,
            "status": lambda row, status: row["status"] == status,
        },
    )


def villages_listing(params, villages: list[dict]) -> Listing:
    """Return one page of the circle's villages: the least covered first, by town."""
    return listing(
        params,
        villages,
        sorts={
            "share": (
                _("Share within the circle"),
                lambda row: (row["share"] is None, row["share"] or 0, row["name"]),
            ),
            "name": (_("Village or community"), lambda row: row["name"]),
            "town": (_("Town"), lambda row: (row["town_name"], row["name"])),
            "fca": (
                _("2SFCA: m² of sports ground per person"),
                lambda row: (
                    row["fca_m2_per_person"] is None,
                    row["fca_m2_per_person"] or 0,
                ),
            ),
        },
        default_sort="share",
        keep=("date",),
        filters={
            "town": lambda row, code: row["town"] == code,
            "status": lambda row, status: (
                row["share"] is not None and row["share"] < 1
                if status == "short"
                else row["share"] == 1
                if status == "met"
                else row["share"] is None
            ),
        },
    )


def town_options(codes) -> list[tuple[str, str]]:
    """Return (code, name) for the town filter, in the reader's language."""
    names = town_names()
    return sorted(((code, names.get(code, code)) for code in codes), key=lambda t: t[1])


def standard_label(standard_id: str) -> str:
    return STANDARDS_BY_ID[standard_id].label
