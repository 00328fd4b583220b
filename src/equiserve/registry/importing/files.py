"""Read CSV and XLSX files into tables of rows, one table per kind of record."""

import csv
import io
from functools import cache
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext as _

from equiserve.registry.importing.cells import cell_text
from equiserve.registry.importing.report import HOUSEHOLDS, PERSONS
from equiserve.registry.models import Household, Person, PersonHealth
from equiserve.uploads import columns_error, header_width, rows_error, xlsx_lines

FORMATS = ("csv", "xlsx")
MAX_ROWS = 500_000

HOUSEHOLD_COLUMNS = [
    "key",
    "town",
    "village",
    "floor_area_m2",
    "annual_income",
    "assets",
]
HOUSEHOLD_REQUIRED = ["key", "town"]
PERSON_COLUMNS = [
    "key",
    "id_number",
    "name",
    "household",
    "birth_date",
    "sex",
    "hukou",
    "hukou_kind",
    "town",
    "village",
    "resident_since",
    "points",
    "school_stage",
    "guardian",
    "low_income",
    "one_child_parent",
    "veteran_kind",
    "veteran_discharged",
    "veteran_nco_years",
    "conscription_enlisted",
    "death_date",
    "death_storage_days",
    "death_ash_storage_years",
    "hardship_cause",
    "hardship_date",
]
HEALTH_COLUMNS = ["t1d_diagnosed", "t1d_hospital_grade"]
PERSON_REQUIRED = ["key", "id_number", "name", "hukou", "town"]


def detect_format(name: str) -> str:
    """Return the import format from a file name's suffix, or raise ValueError."""
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ValueError(
            _("unknown file type %(suffix)s (expected .csv or .xlsx)")
            % {"suffix": suffix or "?"}
        )
    return suffix


@cache
def _aliases() -> dict[str, str]:
    """Map every accepted header (field name, Chinese or English label) to a field."""
    aliases: dict[str, str] = {}
    labelled = [
        (Person, PERSON_COLUMNS),
        (Household, HOUSEHOLD_COLUMNS),
        (PersonHealth, HEALTH_COLUMNS),
    ]
    for language in ("en", "zh-hans"):
        with translation.override(language):
            for model, columns in labelled:
                for name in columns:
                    label = str(model._meta.get_field(name).verbose_name)
                    aliases.setdefault(label.strip().lower(), name)
    for name in PERSON_COLUMNS + HOUSEHOLD_COLUMNS + HEALTH_COLUMNS:
        aliases[name] = name
    return aliases


def _header_name(cell) -> str:
    text = cell_text(cell)
    return _aliases().get(text.lower(), text)


Table = tuple[list[str], list[tuple[int, dict]]]


def read_tables(content: bytes, file_format: str, report) -> dict[str, Table] | None:
    """Return {kind: (header, [(row number, {column: value})])}, or None after errors."""
    if file_format == "csv":
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            report.error("", None, "", _("the CSV file is not UTF-8 text"))
            return None
        try:
            lines = list(csv.reader(io.StringIO(text)))
        except csv.Error as exc:
            report.error(
                "",
                None,
                "",
                _("the CSV file cannot be read: %(reason)s") % {"reason": exc},
            )
            return None
        sheets = [lines]
    else:
        sheets = _xlsx_sheets(content, report)
        if sheets is None:
            return None
    tables: dict[str, Table] = {}
    for lines in sheets:
        if not lines or not any(cell_text(cell) for cell in lines[0]):
            continue
        # Before any header check or row (issue 10, finding 11).
        too_large = columns_error(
            header_width(cell_text(c) for c in lines[0])
        ) or rows_error(len(lines) - 1, MAX_ROWS)
        if too_large:
            report.error("", None, "", too_large)
            continue
        header = [_header_name(cell) for cell in lines[0]]
        kind = PERSONS if "id_number" in header else HOUSEHOLDS
        if kind in tables:
            report.error(
                kind, None, "", _("the workbook has more than one sheet of this kind")
            )
            continue
        rows = []
        for number, line in enumerate(lines[1:], start=2):
            if not any(cell_text(cell) for cell in line):
                continue
            if len(line) > len(header) and any(
                cell_text(c) for c in line[len(header) :]
            ):
                report.error(
                    kind, number, "", _("more cells than the header has columns")
                )
                continue
            rows.append((number, dict(zip(header, line, strict=False))))
        tables[kind] = ([name for name in header if name], rows)
    if not tables and not report.errors:
        report.error("", None, "", _("the file holds no rows"))
    total = sum(len(rows) for _, rows in tables.values())
    if total > MAX_ROWS:
        report.error(
            "",
            None,
            "",
            _("the file has %(count)d rows; import at most %(limit)d at a time")
            % {"count": total, "limit": MAX_ROWS},
        )
    return None if report.errors else tables


def _xlsx_sheets(content: bytes, report) -> list[list[tuple]] | None:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a file that is not XLSX
        report.error("", None, "", _("the file is not an XLSX workbook"))
        return None
    try:
        return [xlsx_lines(sheet, MAX_ROWS) for sheet in book.worksheets]
    finally:
        book.close()
