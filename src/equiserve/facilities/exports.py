"""Spreadsheets: the facility registry, and the standards check with the circle.

The report workbook is filled from the same data as `--json` on the command
line, key for key, so the three give the same figures.
"""

import datetime as dt
import io
from decimal import Decimal

from openpyxl import Workbook

from equiserve.facilities.importing import COLUMNS
from equiserve.facilities.models import Facility
from equiserve.spreadsheets import xlsx_row

SUMMARY_COLUMNS = [
    "town",
    "standard",
    "clause",
    "status",
    "subjects",
    "met",
    "short",
    "other",
    "shortfall",
    "unit",
]
FINDING_COLUMNS = [
    "standard",
    "clause",
    "level",
    "town",
    "subject",
    "name",
    "status",
    "required",
    "actual",
    "shortfall",
    "unit",
    "missing",
]
CIRCLE_COLUMNS = [
    "group",
    "value",
    "records",
    "records_covered",
    "share",
    "people",
    "people_covered",
]
VILLAGE_COLUMNS = [
    "village",
    "town",
    "name",
    "kind",
    "records",
    "records_covered",
    "share",
    "fca_m2_per_person",
]
PARAMETER_COLUMNS = ["name", "value", "since", "status", "clause", "unit", "reference"]


def _cell(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return value


def _sheet(book, title, columns, rows):
    sheet = book.create_sheet(title)
    sheet.append(columns)
    for row in rows:
        sheet.append(xlsx_row(sheet, [_cell(row.get(column)) for column in columns]))
    sheet.freeze_panes = "A2"
    return sheet


def _save(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def facilities_workbook(facilities) -> bytes:
    """Return an XLSX of facilities, in the columns the import reads."""
    book = Workbook()
    book.remove(book.active)
    sheet = book.create_sheet("facilities")
    sheet.append(COLUMNS)
    for facility in facilities:
        row = []
        for column in COLUMNS:
            field = Facility._meta.get_field(column)
            value = getattr(facility, field.attname)
            row.append(float(value) if isinstance(value, Decimal) else value)
        sheet.append(xlsx_row(sheet, row))
    sheet.freeze_panes = "A2"
    return _save(book)


def report_workbook(check: dict, circle: dict) -> bytes:
    """Return an XLSX of a standards check and a fitness circle (their JSON forms)."""
    book = Workbook()
    book.remove(book.active)
    about = book.create_sheet("about")
    for key in ("date", "population_basis"):
        about.append(xlsx_row(about, [key, check[key]]))
    about.append(["towns", ", ".join(check["towns"] or []) or "all"])
    for key in (
        "minutes",
        "mode",
        "speed_m_per_min",
        "cutoff_m",
        "method",
        "detour_factor",
        "network",
        "people_per_record",
        "facilities",
    ):
        about.append(xlsx_row(about, [f"fitness_circle.{key}", circle[key]]))
    _sheet(book, "summary", SUMMARY_COLUMNS, check["summary"])
    _sheet(book, "findings", FINDING_COLUMNS, check["findings"])
    rows = [{"group": "total", "value": "", **circle["total"]}]
    for group, key in (
        ("town", "by_town"),
        ("hukou", "by_hukou"),
        ("age_band", "by_age_band"),
    ):
        rows += [{"group": group, "value": row[group], **row} for row in circle[key]]
    _sheet(book, "fitness_circle", CIRCLE_COLUMNS, rows)
    _sheet(book, "villages", VILLAGE_COLUMNS, circle["villages"])
    parameters = {
        row["name"]: row for row in check["parameters"] + circle["parameters"]
    }
    _sheet(book, "parameters", PARAMETER_COLUMNS, list(parameters.values()))
    return _save(book)


def export_filename(prefix: str, date: dt.date, town: str | None) -> str:
    return f"{prefix}-{town or 'city'}-{date.isoformat()}.xlsx"
