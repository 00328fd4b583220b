"""Spreadsheets: the facility registry, and the standards check with the circle.

The report workbook is filled from the same data as `--json` on the command
line, key for key, so the three give the same figures.
"""

import datetime as dt
import io
from decimal import Decimal

from django.utils.translation import gettext as _
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


LABEL_SUFFIX = "_label"


def _headings() -> dict:
    """Return each column's heading in the user's language (issue 14: exports)."""
    return {
        "town": _("Town code"),
        "standard": _("Standard code"),
        "clause": _("Clause"),
        "status": _("Status code"),
        "subjects": _("Checked"),
        "met": _("Met"),
        "short": _("Short"),
        "other": _("Other"),
        "shortfall": _("Shortfall"),
        "unit": _("Unit code"),
        "level": _("Level code"),
        "subject": _("Subject"),
        "name": _("Name"),
        "required": _("Required"),
        "actual": _("Actual"),
        "missing": _("Missing"),
        "group": _("Group"),
        "value": _("Value"),
        "records": _("Records"),
        "records_covered": _("Records covered"),
        "share": _("Share"),
        "people": _("People"),
        "people_covered": _("People covered"),
        "village": _("Village code"),
        "kind": _("Kind"),
        "fca_m2_per_person": _("Floor area per person (m²)"),
        "since": _("Since"),
        "reference": _("Reference"),
    }


def _labels() -> dict:
    """Return, per code column, its label column's heading and how to read a code."""
    from equiserve.facilities.presentation import LEVEL_LABELS, STATUS_LABELS
    from equiserve.facilities.standards import STANDARDS_BY_ID
    from equiserve.formatting import town_name, unit_label

    def standard(code):
        found = STANDARDS_BY_ID.get(code)
        return found.label if found else code

    return {
        "town": (_("Town"), town_name),
        "standard": (_("Standard"), standard),
        "status": (_("Status"), lambda code: STATUS_LABELS.get(code, code)),
        "level": (_("Level"), lambda code: LEVEL_LABELS.get(code, code)),
        "unit": (_("Unit"), unit_label),
    }


def _sheet(book, title, columns, rows):
    """Write one sheet: headings in words, each code column followed by its label."""
    from equiserve.facilities.presentation import ITEM_LABELS

    headings, labels = _headings(), _labels()
    sheet = book.create_sheet(title)
    header, keys = [], []
    for column in columns:
        header.append(str(headings.get(column, column)))
        keys.append(column)
        if column in labels:
            header.append(str(labels[column][0]))
            keys.append(f"{column}{LABEL_SUFFIX}")
    sheet.append(header)
    # The JSON keys, for programs reading the file key for key with `--json`:
    # a hidden second row (what people read is the first).
    sheet.append(keys)
    sheet.row_dimensions[2].hidden = True
    for row in rows:
        cells = []
        for column in columns:
            value = row.get(column)
            if column == "missing" and value:
                value = [str(ITEM_LABELS.get(item, item)) for item in value]
            cells.append(_cell(value))
            if column in labels:
                cells.append(
                    "" if value in (None, "") else str(labels[column][1](value))
                )
        sheet.append(xlsx_row(sheet, cells))
    sheet.freeze_panes = "A3"
    return sheet


def sheet_records(sheet) -> list[dict]:
    """Return a data sheet's rows as the `--json` dicts (label columns left out)."""
    rows = list(sheet.iter_rows(values_only=True))
    keys = rows[1]
    return [
        {k: v for k, v in zip(keys, row, strict=True) if not k.endswith(LABEL_SUFFIX)}
        for row in rows[2:]
    ]


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
