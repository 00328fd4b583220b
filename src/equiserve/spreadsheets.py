"""Write people's values into spreadsheets as text, never as formulas.

A cell whose text starts with = + - @, a tab or a carriage return is read by
Excel and LibreOffice as a formula (`=HYPERLINK(...)` in a person's name); OWASP's
CSV injection guidance. Every XLSX and CSV writer passes its values through
here (issue 10, finding 9): in XLSX such text is stored as a string cell
(data type "s"), in CSV it gets a leading apostrophe.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def _clean(value: Any) -> Any:
    # Control characters openpyxl refuses would otherwise fail the whole export.
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def xlsx_row(sheet, values: Iterable[Any]) -> list[Any]:
    """Return `values` for `sheet.append`, formula-like text as string cells.

    Works for ordinary and write-only worksheets alike.
    """
    row = []
    for value in values:
        value = _clean(value)
        if _is_formula_like(value):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            value = cell
        row.append(value)
    return row


def xlsx_cell(sheet, row: int, column: int, value: Any):
    """Write `value` into a cell of an ordinary worksheet as a value; return the cell."""
    cell = sheet.cell(row=row, column=column, value=_clean(value))
    if _is_formula_like(cell.value):
        cell.data_type = "s"
    return cell


def csv_row(values: Iterable[Any]) -> list[Any]:
    """Return `values` for a CSV writer, formula-like text after an apostrophe."""
    return [f"'{value}" if _is_formula_like(value) else value for value in values]


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, filename: str):
    """Return an XLSX workbook as a download named `filename` (issue 17)."""
    from django.http import HttpResponse

    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
