"""Bulk import of applications from CSV or XLSX: all rows or none.

One row per application. Columns (by name, or by label in Chinese or English):
`programme` (code, clause such as 3.5, or label), `applicant` (person number or
resident ID number), `applied_on`, optional `claimant`, `documents` (codes or
labels separated by ";"), and the programme's facts (`death_date`,
`hardship_cause`, …). Every row is checked before anything is written; every
problem is reported with its row (numbered as a spreadsheet shows them, the
header is row 1) and column, in the user's language. Then all applications are
registered in one transaction: a failure, or the process being killed, leaves
the database as it was.
"""

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from equiserve.audit.models import AuditEntry
from equiserve.audit.services import audit_record
from equiserve.cases.facts import FACTS, parse_fact
from equiserve.cases.models import Case
from equiserve.cases.permissions import applicant_lookup_for, registrable_programmes
from equiserve.cases.programmes import PROGRAMMES
from equiserve.cases.workflow import OPEN, CaseError
from equiserve.registry.models import Person
from equiserve.uploads import columns_error, header_width, rows_error, xlsx_lines

MAX_ROWS = 20_000
BASE_COLUMNS = ["programme", "applicant", "applied_on", "claimant", "documents"]
REQUIRED = ["programme", "applicant", "applied_on"]
CASE_IMPORT = "cases.import"


@dataclass(frozen=True)
class ImportIssue:
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        parts = []
        if self.row is not None:
            parts.append(_("row %(row)d") % {"row": self.row})
        if self.column:
            parts.append(self.column)
        where = ", ".join(parts)
        return f"{where}: {self.message}" if where else self.message


@dataclass
class CaseImportReport:
    source: str
    errors: list[ImportIssue] = field(default_factory=list)
    case_ids: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, row: int | None, column: str, message: str) -> None:
        self.errors.append(ImportIssue(row, column, str(message)))

    def headline(self) -> str:
        """Return the one-line outcome in the active language."""
        if self.errors:
            return _("%(file)s: %(count)d error(s); nothing was imported.") % {
                "file": self.source,
                "count": len(self.errors),
            }
        return _("%(file)s: %(count)d applications registered.") % {
            "file": self.source,
            "count": len(self.case_ids),
        }

    def lines(self) -> list[str]:
        return [self.headline(), *(str(issue) for issue in self.errors)]


@dataclass(frozen=True)
class Row:
    number: int
    programme: str
    applicant: Person
    claimant: Person | None
    applied_on: dt.date
    facts: dict
    documents: list[str]


def _label_in(label, language: str) -> str:
    with translation.override(language):
        return str(label)


def _aliases() -> dict[str, str]:
    """Map every accepted header (name, Chinese or English label) to a column."""
    labels = {
        "programme": ("programme", "项目"),
        "applicant": ("applicant", "申请人"),
        "applied_on": ("applied on", "申请日期"),
        "claimant": ("applying on behalf", "代办人"),
        "documents": ("documents", "材料"),
    }
    aliases = {}
    for name, words in labels.items():
        aliases[name] = name
        for word in words:
            aliases[word.lower()] = name
    for name, fact in FACTS.items():
        aliases[name] = name
        for language in ("en", "zh-hans"):
            aliases[_label_in(fact.label, language).strip().lower()] = name
    return aliases


def _programme_aliases() -> dict[str, str]:
    aliases = {}
    for code, programme in PROGRAMMES.items():
        for alias in (code, programme.clause, *programme.label.values()):
            aliases[alias.strip().lower()] = code
    return aliases


def _document_aliases(programme) -> dict[str, str]:
    aliases = {}
    for document in programme.documents:
        for alias in (document.code, *document.label.values()):
            aliases[alias.strip().lower()] = document.code
    return aliases


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat()
    if isinstance(cell, dt.date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def read_rows(content: bytes, filename: str, report: CaseImportReport):
    """Return (header, [(row number, {column: text})]) or None after errors."""
    suffix = Path(filename).suffix.lower().lstrip(".")
    if suffix == "csv":
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            report.error(None, "", _("the CSV file is not UTF-8 text"))
            return None
        lines = list(csv.reader(io.StringIO(text)))
    elif suffix == "xlsx":
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many types for a file that is not XLSX
            report.error(None, "", _("the file is not an XLSX workbook"))
            return None
        try:
            lines = xlsx_lines(book.worksheets[0], MAX_ROWS)
        finally:
            book.close()
    else:
        report.error(
            None,
            "",
            _("unknown file type %(suffix)s (expected .csv or .xlsx)")
            % {"suffix": suffix or "?"},
        )
        return None
    if not lines or not any(_text(cell) for cell in lines[0]):
        report.error(None, "", _("the file holds no rows"))
        return None
    # Before any header check or row (issue 10, finding 11).
    too_large = columns_error(header_width(_text(c) for c in lines[0])) or rows_error(
        len(lines) - 1, MAX_ROWS
    )
    if too_large:
        report.error(None, "", too_large)
        return None
    aliases = _aliases()
    header = []
    for cell in lines[0]:
        text = _text(cell)
        name = aliases.get(text.lower(), "") if text else ""
        if text and not name:
            report.error(1, text, _("unknown column"))
        header.append(name)
    for name in REQUIRED:
        if name not in header:
            report.error(1, name, _("required column missing"))
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        cells = [_text(cell) for cell in line]
        if not any(cells):
            continue
        rows.append((number, {n: v for n, v in zip(header, cells, strict=False) if n}))
    if not rows and not report.errors:
        report.error(None, "", _("the file holds no rows"))
    if len(rows) > MAX_ROWS:
        report.error(
            None,
            "",
            _("the file has %(count)d rows; import at most %(limit)d at a time")
            % {"count": len(rows), "limit": MAX_ROWS},
        )
    return None if report.errors else (header, rows)


def _find_person(lookup, text: str) -> Person | None:
    if not text:
        return None
    return lookup.filter(Q(key=text) | Q(id_number=text.upper())).first()


def check_rows(rows, *, actor, report: CaseImportReport) -> list[Row]:
    """Check every row; return them ready to register (report holds any problem)."""
    programmes = _programme_aliases()
    allowed = set(registrable_programmes(actor))
    lookup = applicant_lookup_for(actor).select_related("household")
    today = timezone.localdate()
    seen: dict[tuple[int, str], int] = {}
    checked = []
    for number, cells in rows:
        errors_before = len(report.errors)
        code = programmes.get(cells.get("programme", "").lower(), "")
        if not code:
            report.error(
                number,
                "programme",
                _("unknown programme “%(value)s”")
                % {"value": cells.get("programme", "")},
            )
            continue
        programme = PROGRAMMES[code]
        if code not in allowed:
            report.error(
                number,
                "programme",
                _("you may not register applications under this programme"),
            )
        applicant = _find_person(lookup, cells.get("applicant", ""))
        if applicant is None:
            report.error(
                number,
                "applicant",
                _("no person with the number “%(value)s” in your area")
                % {"value": cells.get("applicant", "")},
            )
        claimant = None
        if cells.get("claimant"):
            claimant = _find_person(lookup, cells["claimant"])
            if claimant is None:
                report.error(
                    number,
                    "claimant",
                    _("no person with the number “%(value)s” in your area")
                    % {"value": cells["claimant"]},
                )
        applied_on = None
        try:
            applied_on = dt.date.fromisoformat(cells.get("applied_on", ""))
        except ValueError:
            report.error(
                number,
                "applied_on",
                _("“%(value)s” is not a date (write it as 2015-07-01)")
                % {"value": cells.get("applied_on", "")},
            )
        if applied_on and applied_on > today:
            report.error(number, "applied_on", _("the date is in the future"))
        facts = {}
        for name, text in cells.items():
            if name not in FACTS or not text:
                continue
            if name not in programme.facts:
                report.error(
                    number,
                    name,
                    _("not a fact of this programme (%(programme)s)")
                    % {"programme": programme.label_in(translation.get_language())},
                )
                continue
            try:
                facts[name] = parse_fact(name, text)
            except Exception as error:  # ValidationError
                report.error(
                    number, name, " ".join(getattr(error, "messages", [str(error)]))
                )
        documents = []
        document_aliases = _document_aliases(programme)
        for part in cells.get("documents", "").replace("；", ";").split(";"):
            part = part.strip()
            if not part:
                continue
            found = document_aliases.get(part.lower())
            if found is None:
                report.error(
                    number,
                    "documents",
                    _("unknown document “%(value)s” for this programme")
                    % {"value": part},
                )
            elif found not in documents:
                documents.append(found)
        if applicant is not None:
            key = (applicant.pk, code)
            if key in seen:
                report.error(
                    number,
                    "applicant",
                    _("the same person and programme as row %(row)d")
                    % {"row": seen[key]},
                )
            seen.setdefault(key, number)
            existing = Case.objects.filter(
                applicant=applicant, programme=code, status__in=OPEN
            ).first()
            if existing is not None:
                report.error(
                    number,
                    "applicant",
                    _("already has an open case under this programme: %(reference)s")
                    % {"reference": existing.reference},
                )
        if len(report.errors) == errors_before:
            checked.append(
                Row(number, code, applicant, claimant, applied_on, facts, documents)
            )
    return checked


def cases_import(
    *,
    content: bytes,
    filename: str,
    actor,
    request=None,
    on_row: Callable[[int, Case], None] | None = None,
) -> CaseImportReport:
    """Register every application in the file, or none; return the report."""
    from equiserve.cases.services import case_register

    report = CaseImportReport(source=Path(filename).name)
    table = read_rows(content, filename, report)
    if table is None:
        return report
    _header, rows = table
    checked = check_rows(rows, actor=actor, report=report)
    if not report.ok:
        return report
    current = None
    try:
        with transaction.atomic():
            for row in checked:
                current = row
                case = case_register(
                    programme=row.programme,
                    applicant=row.applicant,
                    claimant=row.claimant,
                    applied_on=row.applied_on,
                    facts=row.facts,
                    documents=row.documents,
                    actor=actor,
                    request=request,
                )
                report.case_ids.append(case.pk)
                if on_row is not None:
                    on_row(row.number, case)
            audit_record(
                actor=actor,
                action=AuditEntry.Action.IMPORT,
                object_type=CASE_IMPORT,
                summary=f"{report.source}: {len(report.case_ids)} applications",
                changes={"file": report.source, "cases": len(report.case_ids)},
                request=request,
            )
    except CaseError as error:
        report.case_ids.clear()
        report.error(current.number if current else None, "", error.message)
    return report
