"""The outcome of an import: what was saved, or every problem with its cell.

One report for every import (registry, cases, facilities, town areas). A
problem names its sheet, row (as a spreadsheet numbers them, header = row 1,
or `features[3]` in GeoJSON), column, the cell's value and the message in the
user's language. Checking stops at MAX_ISSUES problems and says so: a wholly
wrong file would otherwise list (and hold in memory) hundreds of thousands.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

MAX_ISSUES = 200


class TooManyIssues(Exception):
    """Raised by `ImportReport.error` at the cap; `ImportReport.checking` ends there."""


@dataclass(frozen=True)
class Issue:
    """One problem of an import file, with its cell."""

    sheet: str
    row: int | str | None
    column: str
    message: str
    value: str = ""
    sheet_label: str = ""

    def row_label(self) -> str:
        """Return the row as people read it: `row 5`, or `features[3]` as given."""
        if self.row is None:
            return ""
        if isinstance(self.row, int):
            return _("row %(row)d") % {"row": self.row}
        return self.row

    def where(self) -> str:
        """Return the place in the user's language: `persons, row 5, id_number`."""
        parts = (self.sheet_label or self.sheet, self.row_label(), self.column)
        return ", ".join(part for part in parts if part)

    def __str__(self) -> str:
        where = self.where()
        return f"{where}: {self.message}" if where else self.message


@dataclass
class ImportReport:
    """What an import did: the summary of what was saved, or every problem found.

    `sheets` keeps the file's rows as read, for the XLSX error report;
    `saved` holds what the service wrote (counts, codes) for its callers.
    """

    source: str
    errors: list[Issue] = field(default_factory=list)
    summary: Any = ""
    summary_params: dict[str, Any] = field(default_factory=dict)
    details: list[str] = field(default_factory=list)
    saved: dict[str, Any] = field(default_factory=dict)
    sheets: list = field(default_factory=list)
    stopped: bool = False
    sheet_labels: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(
        self,
        message: str,
        *,
        sheet: str = "",
        row: int | str | None = None,
        column: str = "",
        value: Any = None,
    ) -> None:
        """Record a problem; at MAX_ISSUES raise TooManyIssues to stop checking."""
        if len(self.errors) >= MAX_ISSUES:
            self.stopped = True
            raise TooManyIssues
        from equiserve.imports.cells import cell_text

        self.errors.append(
            Issue(
                sheet=sheet,
                row=row,
                column=column,
                message=str(message),
                value=cell_text(value),
                sheet_label=str(self.sheet_labels.get(sheet, "")),
            )
        )

    @contextlib.contextmanager
    def checking(self):
        """Run a check that may stop at the cap; the report then says it stopped."""
        try:
            yield
        except TooManyIssues:
            self.stopped = True

    def done(self, summary, params: dict, *, details: list[str] | None = None, **saved):
        """Record what was saved: one line for people, figures for callers.

        `summary` is lazy text with `%(file)s` and `params`' placeholders, put
        into the language active when the report is read.
        """
        self.summary, self.summary_params = summary, params
        self.details = list(details or [])
        self.saved.update(saved)

    def discard(self) -> None:
        """Forget what was saved: the transaction that saved it rolled back."""
        self.summary, self.summary_params, self.details, self.saved = "", {}, [], {}

    def headline(self) -> str:
        """Return the one-line outcome in the active language."""
        if self.stopped:
            return _(
                "%(file)s: more than %(count)d problems; checking stopped there "
                "and nothing was imported."
            ) % {"file": self.source, "count": MAX_ISSUES}
        if self.errors:
            return _("%(file)s: %(count)d error(s); nothing was imported.") % {
                "file": self.source,
                "count": len(self.errors),
            }
        return str(self.summary) % {"file": self.source, **self.summary_params}

    def lines(self) -> list[str]:
        """Return the report as readable lines, in the active language."""
        return [self.headline(), *(str(issue) for issue in self.errors), *self.details]

    def issues_by_row(self) -> dict[tuple[str, int | str | None], list[Issue]]:
        """Return the problems grouped by (sheet, row), for the error workbook."""
        grouped: dict[tuple[str, int | str | None], list[Issue]] = {}
        for issue in self.errors:
            grouped.setdefault((issue.sheet, issue.row), []).append(issue)
        return grouped
