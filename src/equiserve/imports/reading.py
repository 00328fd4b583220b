"""Read an uploaded CSV or XLSX file into sheets of rows, within the caps.

The caps of issue 10, finding 11 apply before any header check or row: the
upload's size (on the form, before the file is read), at most MAX_COLUMNS
columns, and the importer's row limit; XLSX sheets are read in openpyxl's
read-only mode, at most one column and one row past the limits.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from equiserve.imports.cells import cell_text
from equiserve.imports.limits import columns_error, header_width, rows_error, xlsx_lines
from equiserve.imports.report import ImportReport

TABULAR = ("csv", "xlsx")


@dataclass
class Sheet:
    """One sheet of a file: its header as written and its non-empty rows.

    `lines` are (row number as a spreadsheet shows it, cells); `kind` is the
    table the importer found in it (`persons`), '' for a file of one table.
    """

    title: str
    header: list
    lines: list[tuple[int, list]] = field(default_factory=list)
    kind: str = ""


def file_format(filename: str, report: ImportReport, formats=TABULAR) -> str | None:
    """Return the format of `filename` by its suffix (`.json` is GeoJSON), or None."""
    suffix = Path(filename).suffix.lower().lstrip(".")
    if suffix == "json" and "geojson" in formats:
        return "geojson"
    if suffix in formats:
        return suffix
    if "geojson" in formats:
        message = _("unknown file type %(suffix)s (expected .csv, .xlsx or .geojson)")
    else:
        message = _("unknown file type %(suffix)s (expected .csv or .xlsx)")
    report.error(message % {"suffix": suffix or "?"})
    return None


def read_sheets(
    content: bytes,
    file_format: str,
    report: ImportReport,
    *,
    max_rows: int,
    every_sheet: bool = False,
) -> list[Sheet] | None:
    """Return the file's sheets (the first only unless `every_sheet`), or None.

    None after recording why: not UTF-8, not a workbook, too wide, too long,
    or holding no rows. Rows wholly blank are skipped.
    """
    if file_format == "csv":
        lines = _csv_lines(content, report)
        raw = None if lines is None else [("", lines)]
    else:
        raw = _xlsx_sheets(content, report, max_rows=max_rows, every_sheet=every_sheet)
    if raw is None:
        return None
    sheets = []
    total = 0
    for title, lines in raw:
        if not lines or not any(cell_text(cell) for cell in lines[0]):
            continue
        # Before any header check or row (issue 10, finding 11).
        too_large = columns_error(
            header_width(cell_text(cell) for cell in lines[0])
        ) or rows_error(len(lines) - 1, max_rows)
        if too_large:
            report.error(too_large)
            return None
        sheet = Sheet(title=title, header=list(lines[0]))
        for number, line in enumerate(lines[1:], start=2):
            if any(cell_text(cell) for cell in line):
                sheet.lines.append((number, list(line)))
        total += len(sheet.lines)
        sheets.append(sheet)
    if total > max_rows:
        report.error(
            _("the file has %(count)d rows; import at most %(limit)d at a time")
            % {"count": total, "limit": max_rows}
        )
        return None
    if not total and not report.errors:
        report.error(_("the file holds no rows"))
        return None
    report.sheets = sheets
    return sheets


def _csv_lines(content: bytes, report: ImportReport) -> list[list] | None:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.error(_("the CSV file is not UTF-8 text"))
        return None
    try:
        return list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        report.error(_("the CSV file cannot be read: %(reason)s") % {"reason": exc})
        return None


def _xlsx_sheets(content: bytes, report, *, max_rows: int, every_sheet: bool):
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a file that is not XLSX
        report.error(_("the file is not an XLSX workbook"))
        return None
    try:
        worksheets = book.worksheets if every_sheet else book.worksheets[:1]
        return [(sheet.title, xlsx_lines(sheet, max_rows)) for sheet in worksheets]
    finally:
        book.close()
