"""XLSX exports of the labour register, in the reader's scope (issue 15)."""

from decimal import Decimal
from io import BytesIO

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook

from equiserve.employment.occupations import occupation_label
from equiserve.formatting import town_name
from equiserve.registry.privacy import mask_id_number
from equiserve.spreadsheets import xlsx_row


def _book(title: str, header: list[str], rows) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append(xlsx_row(sheet, header))
    for row in rows:
        sheet.append(xlsx_row(sheet, row))
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def registrations_xlsx(registrations) -> bytes:
    """Return the registrations as a workbook (ID numbers masked)."""
    lang = get_language() or "zh"
    header = [
        _("Name"),
        _("Resident ID number"),
        _("Town"),
        _("Registered on"),
        _("Occupation sought"),
        _("Lowest monthly wage sought"),
        _("Ended on"),
        _("End reason"),
    ]
    rows = (
        [
            r.person.name,
            mask_id_number(r.person.id_number),
            town_name(r.town_id),
            r.registered_on,
            occupation_label(r.occupation, lang),
            r.wage_min,
            r.ended_on,
            r.get_end_reason_display() if r.end_reason else "",
        ]
        for r in registrations.order_by("town_id", "registered_on", "pk")
    )
    return _book(_("Job seekers"), header, rows)


def vacancies_xlsx(vacancies) -> bytes:
    lang = get_language() or "zh"
    header = [
        _("Employer"),
        _("Job title"),
        _("Occupation"),
        _("Town"),
        _("Monthly wage"),
        _("Hours per week"),
        _("Positions"),
        _("Posted on"),
        _("Closed on"),
    ]
    rows = (
        [
            v.employer,
            v.title,
            occupation_label(v.occupation, lang),
            town_name(v.town_id),
            v.wage,
            v.hours_per_week,
            v.positions,
            v.posted_on,
            v.closed_on,
        ]
        for v in vacancies.order_by("town_id", "posted_on", "pk")
    )
    return _book(_("Vacancies"), header, rows)


def training_ledger_xlsx(payments) -> bytes:
    """Return the training ledger: one row per certified completer paid for, exact.

    The last row is the total, a sum of the rows' Decimal amounts (to the fen).
    """
    header = [
        _("Training provider"),
        _("Course"),
        _("Name"),
        _("Resident ID number"),
        _("Town"),
        _("Certificate number"),
        _("Certified on"),
        _("Paid on"),
        _("Amount"),
    ]
    payments = list(payments.order_by("paid_on", "provider__name", "pk"))
    rows = [
        [
            p.provider.name,
            p.enrolment.course.title,
            p.enrolment.person.name,
            mask_id_number(p.enrolment.person.id_number),
            town_name(p.town_id),
            p.enrolment.certificate_number,
            p.enrolment.certified_on,
            p.paid_on,
            p.amount,
        ]
        for p in payments
    ]
    total = sum((p.amount for p in payments), Decimal("0.00"))
    rows.append([_("Total"), "", "", "", "", "", None, None, total])
    return _book(_("Training ledger"), header, rows)


def subsidy_payments_xlsx(payments) -> bytes:
    """Return the community employment subsidy's payments with their payee, exact.

    The last row is the total, a sum of the rows' Decimal amounts (to the fen).
    """
    from equiserve.cases.models import PayeeKind

    header = [
        _("Case reference"),
        _("Name"),
        _("Resident ID number"),
        _("Town"),
        _("Paid on"),
        _("Amount"),
        _("Paid to"),
        _("Employer's name"),
        _("Employer's unified social credit code"),
    ]
    payments = list(payments.order_by("delivered_on", "pk"))
    kinds = dict(PayeeKind.choices)
    rows = [
        [
            p.case.reference,
            p.case.applicant.name,
            mask_id_number(p.case.applicant.id_number),
            town_name(p.case.town_id),
            p.delivered_on,
            p.amount,
            str(kinds.get(p.payee_kind, "")),
            p.payee_name,
            p.payee_uscc,
        ]
        for p in payments
    ]
    total = sum((p.amount for p in payments), Decimal("0.00"))
    rows.append([_("Total"), "", "", "", None, total, "", "", ""])
    return _book(_("Community employment subsidy payments"), header, rows)
