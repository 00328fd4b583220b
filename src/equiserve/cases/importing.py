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

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from equiserve.audit.models import AuditEntry
from equiserve.audit.services import audit_record
from equiserve.cases.facts import FACTS, parse_fact
from equiserve.cases.models import Case
from equiserve.cases.permissions import applicant_lookup_for, registrable_programmes
from equiserve.cases.programmes import PROGRAMMES
from equiserve.cases.workflow import OPEN, CaseError
from equiserve.imports.cells import parse_date, raise_required
from equiserve.imports.columns import Column, Row, Table
from equiserve.imports.reading import file_format, read_sheets
from equiserve.imports.report import ImportReport
from equiserve.registry.models import Person

MAX_ROWS = 20_000
CASE_IMPORT = "cases.import"

APPLICATIONS = Table(
    columns=(
        Column("programme", labels=(gettext_lazy("programme"), "项目"), required=True),
        Column(
            "applicant", labels=(gettext_lazy("applicant"), "申请人"), required=True
        ),
        Column(
            "applied_on",
            lambda value: parse_date(value) or raise_required(),
            labels=(gettext_lazy("applied on"), "申请日期"),
            required=True,
        ),
        Column("claimant", labels=(gettext_lazy("applying on behalf"), "代办人")),
        Column("documents", labels=(gettext_lazy("documents"), "材料")),
        # A fact's cell is read by the fact's own parsing, per programme.
        *(Column(name, labels=(fact.label,)) for name, fact in FACTS.items()),
    )
)


@dataclass(frozen=True)
class Application:
    number: int
    programme: str
    applicant: Person
    claimant: Person | None
    applied_on: dt.date
    facts: dict
    documents: list[str]


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


def read_rows(content: bytes, filename: str, report: ImportReport) -> list[Row] | None:
    """Return the file's rows by column name, or None after problems."""
    kind = file_format(filename, report)
    if kind is None:
        return None
    sheets = read_sheets(content, kind, report, max_rows=MAX_ROWS)
    if sheets is None:
        return None
    return APPLICATIONS.rows(sheets[0], report)


def _find_person(lookup, text: str) -> Person | None:
    if not text:
        return None
    return lookup.filter(Q(key=text) | Q(id_number=text.upper())).first()


def check_rows(rows: list[Row], *, actor, report: ImportReport) -> list[Application]:
    """Check every row; return them ready to register (report holds any problem)."""
    programmes = _programme_aliases()
    allowed = set(registrable_programmes(actor))
    lookup = applicant_lookup_for(actor).select_related("household")
    today = timezone.localdate()
    seen: dict[tuple[int, str], int] = {}
    checked = []
    for row in rows:
        number = row.number

        def problem(column, message, number=number, row=row):
            report.error(
                message, row=number, column=column, value=row.cells.get(column)
            )

        errors_before = len(report.errors)
        code = programmes.get(row.text("programme").lower(), "")
        if not code:
            problem(
                "programme",
                _("unknown programme “%(value)s”") % {"value": row.text("programme")},
            )
            continue
        programme = PROGRAMMES[code]
        if code not in allowed:
            problem(
                "programme", _("you may not register applications under this programme")
            )
        applicant = _find_person(lookup, row.text("applicant"))
        if applicant is None:
            problem(
                "applicant",
                _("no person with the number “%(value)s” in your area")
                % {"value": row.text("applicant")},
            )
        claimant = None
        if row.text("claimant"):
            claimant = _find_person(lookup, row.text("claimant"))
            if claimant is None:
                problem(
                    "claimant",
                    _("no person with the number “%(value)s” in your area")
                    % {"value": row.text("claimant")},
                )
        applied_on = APPLICATIONS.read(report, row, "applied_on")
        if applied_on and applied_on > today:
            problem("applied_on", _("the date is in the future"))
        facts = {}
        for name, value in row.cells.items():
            if name not in FACTS or not row.text(name):
                continue
            if name not in programme.facts:
                problem(
                    name,
                    _("not a fact of this programme (%(programme)s)")
                    % {"programme": programme.label_in(translation.get_language())},
                )
                continue
            try:
                facts[name] = parse_fact(name, value)
            except Exception as error:  # ValidationError
                problem(name, " ".join(getattr(error, "messages", [str(error)])))
        documents = []
        document_aliases = _document_aliases(programme)
        for part in row.text("documents").replace("；", ";").split(";"):
            part = part.strip()
            if not part:
                continue
            found = document_aliases.get(part.lower())
            if found is None:
                problem(
                    "documents",
                    _("unknown document “%(value)s” for this programme")
                    % {"value": part},
                )
            elif found not in documents:
                documents.append(found)
        if applicant is not None:
            key = (applicant.pk, code)
            if key in seen:
                problem(
                    "applicant",
                    _("the same person and programme as row %(row)d")
                    % {"row": seen[key]},
                )
            seen.setdefault(key, number)
            existing = Case.objects.filter(
                applicant=applicant, programme=code, status__in=OPEN
            ).first()
            if existing is not None:
                problem(
                    "applicant",
                    _("already has an open case under this programme: %(reference)s")
                    % {"reference": existing.reference},
                )
        if len(report.errors) == errors_before:
            checked.append(
                Application(
                    number, code, applicant, claimant, applied_on, facts, documents
                )
            )
    return checked


def cases_import(
    *,
    content: bytes,
    filename: str,
    actor,
    request=None,
    on_row: Callable[[int, Case], None] | None = None,
) -> ImportReport:
    """Register every application in the file, or none; return the report."""
    from equiserve.cases.services import case_register

    report = ImportReport(source=Path(filename).name)
    rows = read_rows(content, filename, report)
    if rows is None:
        return report
    checked = []
    with report.checking():
        checked = check_rows(rows, actor=actor, report=report)
    if not report.ok:
        return report
    case_ids = []
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
                case_ids.append(case.pk)
                if on_row is not None:
                    on_row(row.number, case)
            audit_record(
                actor=actor,
                action=AuditEntry.Action.IMPORT,
                object_type=CASE_IMPORT,
                summary=f"{report.source}: {len(case_ids)} applications",
                changes={"file": report.source, "cases": len(case_ids)},
                request=request,
            )
    except CaseError as error:
        report.error(error.message, row=current.number if current else None)
        return report
    report.done(
        gettext_lazy("%(file)s: %(count)d applications registered."),
        {"count": len(case_ids)},
        case_ids=case_ids,
    )
    return report
