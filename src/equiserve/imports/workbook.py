"""Write the XLSX error report: the uploaded rows, each with its problems.

Every sheet of the file comes back as it was read, with a last column listing
the row's problems in the user's language; a first sheet lists every problem
with its cell. People's text is written as text, never as a formula
(`equiserve.spreadsheets`, issue 10, finding 9).
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from equiserve.imports.report import ImportReport
from equiserve.spreadsheets import xlsx_row


def error_workbook(report: ImportReport) -> bytes:
    """Return the report as an XLSX workbook (bytes)."""
    book = Workbook(write_only=True)
    problems = book.create_sheet(_("Problems")[:31])
    problems.append(
        xlsx_row(
            problems, [_("Sheet"), _("Row"), _("Column"), _("Value"), _("Problem")]
        )
    )
    for issue in report.errors:
        problems.append(
            xlsx_row(
                problems,
                [
                    issue.sheet_label or issue.sheet,
                    issue.row_label(),
                    issue.column,
                    issue.value,
                    issue.message,
                ],
            )
        )
    if report.stopped:
        problems.append(xlsx_row(problems, ["", "", "", "", report.headline()]))
    by_row = report.issues_by_row()
    for index, sheet in enumerate(report.sheets, start=1):
        title = (sheet.title or report.source or _("rows"))[:28] or str(index)
        out = book.create_sheet(f"{index}-{title}"[:31])
        out.append(xlsx_row(out, [*sheet.header, _("Problems")]))
        for number, line in sheet.lines:
            issues = by_row.get((sheet.kind, number), [])
            text = "; ".join(
                f"{issue.column}: {issue.message}" if issue.column else issue.message
                for issue in issues
            )
            cells = list(line) + [None] * (len(sheet.header) - len(line))
            out.append(xlsx_row(out, [*cells, text]))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
