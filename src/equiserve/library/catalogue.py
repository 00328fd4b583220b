"""The union catalogue: import MARC files, one record per work merged by ISBN.

A file is imported whole or not at all (like every import, `equiserve.imports`):
any record that cannot be read, has no title, or names a library or a barcode
that does not fit is reported with its position and nothing is saved.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from equiserve.audit.services import audit_record
from equiserve.imports.report import ImportReport
from equiserve.library import marc
from equiserve.library.models import Item, Library, Work
from equiserve.library.tokens import document

SHEET = "records"


def work_tokens(work: Work) -> str:
    """Return the search tokens of a work: title, author, subjects, ISBN."""
    return document(work.title, work.author, work.subjects, work.isbn or "")


def _merge(work: Work, bib: marc.BibRecord) -> None:
    """Fill what the record already kept lacks; subjects are united."""
    for name in ("author", "publisher", "year", "control_number"):
        if not getattr(work, name):
            setattr(work, name, getattr(bib, name))
    subjects = [s for s in work.subjects.split("; ") if s]
    for subject in bib.subjects:
        if subject not in subjects:
            subjects.append(subject)
    work.subjects = "; ".join(subjects)[:500]


def catalogue_import(*, data: bytes, fmt: str, source: str, actor) -> ImportReport:
    """Import the records of one MARC file (ISO 2709 or MARCXML), all or none."""
    report = ImportReport(source=source)
    records, problems = marc.read(data, fmt)
    for problem in problems:
        report.error(problem.message, sheet=SHEET, row=f"record {problem.position}")
    if problems:
        return report
    libraries = {lib.code: lib for lib in Library.objects.all()}
    barcodes = {i["barcode"] for bib in records for i in bib.items}
    taken = dict(
        Item.objects.filter(barcode__in=barcodes).values_list("barcode", "work__isbn")
    )
    seen_barcodes: set[str] = set()
    with report.checking():
        for bib in records:
            for item in bib.items:
                where = {"sheet": SHEET, "row": f"record {bib.position}"}
                if item["library"] not in libraries:
                    report.error(
                        _("No library has the code %(code)s.")
                        % {"code": item["library"]},
                        column="library",
                        value=item["library"],
                        **where,
                    )
                if item["barcode"] in seen_barcodes or (
                    item["barcode"] in taken and taken[item["barcode"]] != bib.isbn
                ):
                    report.error(
                        _("The barcode %(code)s is another copy's.")
                        % {"code": item["barcode"]},
                        column="barcode",
                        value=item["barcode"],
                        **where,
                    )
                seen_barcodes.add(item["barcode"])
    if not report.ok:
        return report
    with transaction.atomic():
        counts = _save(records, libraries, taken)
        audit_record(
            actor=actor,
            action="import",
            object_type="library.work",
            summary=f"{source}: {counts['new']} new, {counts['merged']} merged",
        )
    report.done(
        gettext_lazy(
            "%(file)s: %(new)d new works, %(merged)d merged by ISBN, %(items)d copies."
        ),
        counts,
        **counts,
    )
    return report


def _save(records, libraries, taken) -> dict[str, int]:
    isbns = {bib.isbn for bib in records if bib.isbn}
    known = {w.isbn: w for w in Work.objects.filter(isbn__in=isbns)}
    new: dict[str, Work] = {}
    fresh: list[Work] = []
    merged = 0
    holdings: list[tuple[Work, dict]] = []
    for bib in records:
        work = known.get(bib.isbn) or new.get(bib.isbn) if bib.isbn else None
        if work is None:
            work = Work(
                isbn=bib.isbn,
                title=bib.title,
                author=bib.author,
                publisher=bib.publisher,
                year=bib.year,
                subjects="; ".join(dict.fromkeys(bib.subjects))[:500],
                source_format=bib.format,
                control_number=bib.control_number,
            )
            fresh.append(work)
            if bib.isbn:
                new[bib.isbn] = work
        else:
            _merge(work, bib)
            merged += 1
        holdings.extend(
            (work, item) for item in bib.items if item["barcode"] not in taken
        )
    for work in fresh:
        work.search_tokens = work_tokens(work)
    Work.objects.bulk_create(fresh, batch_size=500)
    changed = [w for w in known.values()]
    for work in changed:
        work.search_tokens = work_tokens(work)
    Work.objects.bulk_update(
        changed,
        ["author", "publisher", "year", "control_number", "subjects", "search_tokens"],
        batch_size=500,
    )
    items = [
        Item(
            barcode=item["barcode"][:32],
            work_id=work.pk,
            home=libraries[item["library"]],
            location=libraries[item["library"]],
            call_number=item["call"][:64],
        )
        for work, item in holdings
    ]
    Item.objects.bulk_create(items, batch_size=500)
    return {"new": len(fresh), "merged": merged, "items": len(items)}
