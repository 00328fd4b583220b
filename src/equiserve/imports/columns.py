"""Typed column specs: what an importer accepts, under which headers, read how.

A column has a name (the header every file may use), labels (its Chinese and
English names, also accepted as headers, any case), a reader from
`equiserve.imports.cells` (text, whole number, decimal, date, yes/no, a code
of the plan's vocabulary or of a model field, a resident ID number), and
whether the header must have it. A table is the columns of one kind of record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from equiserve.imports.cells import CellError, cell_text, text
from equiserve.imports.limits import duplicated
from equiserve.imports.reading import Sheet
from equiserve.imports.report import ImportReport


@dataclass(frozen=True)
class Column:
    """One accepted column: name, header labels, cell reader, required header."""

    name: str
    read: Callable[[Any], Any] = text
    labels: tuple = ()
    required: bool = False


def field_column(model, name: str, read=text, *, required=False) -> Column:
    """Return the column of a model field, labelled by its verbose name."""
    label = model._meta.get_field(name).verbose_name
    return Column(name, read, labels=(label,), required=required)


@dataclass(frozen=True)
class Row:
    """One row of a file: its number and its cells by column name."""

    number: int | str
    cells: dict[str, Any]

    def text(self, name: str) -> str:
        return cell_text(self.cells.get(name))


@dataclass(frozen=True)
class Table:
    """The columns of one kind of record; `kind` names its sheet in reports."""

    columns: tuple[Column, ...]
    kind: str = ""
    label: Any = ""

    @cached_property
    def by_name(self) -> dict[str, Column]:
        return {column.name: column for column in self.columns}

    @cached_property
    def aliases(self) -> dict[str, str]:
        """Map every accepted header (name, zh or en label), lower-cased, to a name."""
        aliases: dict[str, str] = {}
        for language in ("en", "zh-hans"):
            with translation.override(language):
                for column in self.columns:
                    for label in column.labels:
                        aliases.setdefault(str(label).strip().lower(), column.name)
        for column in self.columns:
            aliases[column.name.lower()] = column.name
        return aliases

    def header_names(self, header: Iterable) -> list[str]:
        """Return the column name of each header cell; unknown text as written."""
        names = []
        for cell in header:
            written = cell_text(cell)
            names.append(self.aliases.get(written.lower(), written))
        return names

    def rows(self, sheet: Sheet, report: ImportReport) -> list[Row] | None:
        """Return the sheet's rows by column name, or None after header problems."""
        header = self.header_names(sheet.header)
        named = [name for name in header if name]
        before = len(report.errors)
        problems = [
            (
                _("unknown column(s): %(names)s"),
                [n for n in named if n not in self.by_name],
            ),
            (
                _("missing column(s): %(names)s"),
                [c.name for c in self.columns if c.required and c.name not in named],
            ),
            # Linear: header.count() per column was quadratic (issue 10, finding 11).
            (_("column(s) given twice: %(names)s"), duplicated(named)),
        ]
        for message, names in problems:
            if names:
                report.error(
                    message % {"names": ", ".join(names)}, sheet=self.kind, row=1
                )
        if len(report.errors) > before:
            return None
        rows = []
        width = len(header)
        for number, line in sheet.lines:
            if any(cell_text(cell) for cell in line[width:]):
                report.error(
                    _("more cells than the header has columns"),
                    sheet=self.kind,
                    row=number,
                )
                continue
            cells = {
                name: cell for name, cell in zip(header, line, strict=False) if name
            }
            rows.append(Row(number, cells))
        return rows

    def read(self, report: ImportReport, row: Row, name: str, read=None):
        """Return the cell of column `name` read by its reader, or None after a problem."""
        value = row.cells.get(name)
        try:
            return (read or self.by_name[name].read)(value)
        except CellError as problem:
            report.error(
                str(problem), sheet=self.kind, row=row.number, column=name, value=value
            )
            return None
