"""Budget execution as XLSX: a summary sheet, then one sheet per domain.

Amounts are written as numbers exact to the fen (Decimal → two decimals), so a
spreadsheet's sums agree with the page's to the fen.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from equiserve.budget.presentation import COLUMNS, by_domain, standard_label
from equiserve.budget.selectors import Execution
from equiserve.formatting import town_name
from equiserve.spreadsheets import xlsx_row

MONEY_FORMAT = "#,##0.00"
MONEY_COLUMNS = {
    "estimate",
    "budget",
    "committed",
    "paid",
    "forecast",
    "uncommitted",
    "unpaid",
    "forecast_variance",
}


def _title(text: str, used: set[str]) -> str:
    title = re.sub(r"[\[\]:*?/\\]", " ", text)[:31]
    while title in used:
        title = title[:29] + f"~{len(used)}"
    used.add(title)
    return title


def _value(line: dict, name: str):
    if name in ("clause", "programme", "town", "funding"):
        return str(line[name])
    value = getattr(line["row"], name)
    return value


def _write(sheet, rows: list[list]) -> None:
    for values in rows:
        sheet.append(xlsx_row(sheet, values))


def workbook_bytes(execution: Execution) -> bytes:
    """Return the year's budget execution as an XLSX file."""
    book = Workbook()
    summary = book.active
    used: set[str] = set()
    summary.title = _title(_("Summary"), used)
    _write(
        summary,
        [
            [_("Budget execution %(year)s (clause 4.3)") % {"year": execution.year}],
            [_("As on"), execution.on.isoformat()],
            [_("Estimate"), execution.total("estimate")],
            [_("Budget"), execution.total("budget")],
            [_("Committed"), execution.total("committed")],
            [_("Paid"), execution.total("paid")],
            [_("Forecast for the year"), execution.total("forecast")],
            [_("Facility shortfalls, estimated cost"), execution.facilities_total],
        ],
    )
    summary["A1"].font = Font(bold=True)
    header = [str(label) for _name, label in COLUMNS]
    for domain in by_domain(execution):
        sheet = book.create_sheet(_title(f"{domain['id']} {domain['title']}", used))
        _write(sheet, [header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        _write(
            sheet,
            [
                [_value(line, name) for name, _label in COLUMNS]
                for line in domain["rows"]
            ],
        )
        for row in sheet.iter_rows(min_row=2):
            for cell, (name, _label) in zip(row, COLUMNS, strict=False):
                if name in MONEY_COLUMNS and isinstance(
                    cell.value, (int, float, Decimal)
                ):
                    cell.number_format = MONEY_FORMAT
    if execution.facilities:
        sheet = book.create_sheet(_title(_("Facility shortfalls"), used))
        _write(sheet, [[_("Standard"), _("Town"), _("Shortfall"), _("Estimate")]])
        _write(
            sheet,
            [
                [standard_label(e.code), town_name(e.town_id), e.units, e.amount]
                for e in execution.facilities
            ],
        )
    if execution.projects:
        sheet = book.create_sheet(_title(_("Projects"), used))
        _write(sheet, [[_("Project"), _("Clause"), _("Town"), _("Budget"), _("Paid")]])
        _write(
            sheet,
            [
                [p.name, p.clause, town_name(p.town_code), p.budget, p.spent]
                for p in execution.projects
            ],
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
