"""Writes of the projects tracker: set-up, milestones, spending, documents (issue 17)."""

import datetime as dt
import hashlib
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from equiserve.audit.services import audit_record
from equiserve.projects.documents import DocumentRefused, check_upload
from equiserve.projects.models import (
    Milestone,
    MilestoneStatus,
    Project,
    ProjectDocument,
    Spending,
)

PROJECT = "projects.project"
MILESTONE = "projects.milestone"
DOCUMENT = "projects.document"

# What the project form sets; the code only when the project is created.
PROJECT_FIELDS = (
    "name",
    "name_en",
    "clause",
    "lead_department",
    "town",
    "funding_source",
    "status",
    "budget",
    "description",
    "illustrative",
)
# Codes the pages' addresses use (/projects/new/ …): no project may take them.
RESERVED_CODES = ("new", "overdue", "milestones")
MILESTONE_FIELDS = ("position", "name", "name_en", "planned_start", "planned_date")


class ProjectError(Exception):
    """A change the rules refuse; the message is for the user."""


def _check(instance) -> None:
    try:
        instance.full_clean()
    except ValidationError as error:
        raise ProjectError(" ".join(error.messages)) from None


@transaction.atomic
def milestone_update(
    *,
    milestone: Milestone,
    status: str,
    actual_date: dt.date | None,
    note: str = "",
    actor,
    request=None,
) -> Milestone:
    """Record a milestone's status: done (with its date), late, or pending."""
    if status not in MilestoneStatus.values:
        raise ProjectError(_("Unknown milestone status."))
    if status == MilestoneStatus.DONE and actual_date is None:
        raise ProjectError(_("A milestone done needs the date it was completed."))
    before = {"status": milestone.status, "actual_date": str(milestone.actual_date)}
    milestone.status = status
    milestone.actual_date = actual_date
    milestone.note = note
    _check(milestone)
    milestone.save(update_fields=["status", "actual_date", "note"])
    audit_record(
        actor=actor,
        action="update",
        object_type=MILESTONE,
        object_id=milestone.pk,
        summary=f"{milestone.project.code}: {milestone.name} → {status}",
        changes={
            "before": before,
            "after": {"status": status, "actual_date": str(actual_date)},
        },
        request=request,
    )
    return milestone


@transaction.atomic
def spending_record(
    *,
    project: Project,
    paid_on: dt.date,
    amount: Decimal,
    description: str = "",
    actor,
    request=None,
) -> Spending:
    """Record money paid on a project, exact to the fen."""
    if amount is None or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise ProjectError(_("An amount is a positive sum in yuan, to the fen."))
    spending = Spending(
        project=project, paid_on=paid_on, amount=amount, description=description
    )
    _check(spending)
    spending.save()
    audit_record(
        actor=actor,
        action="create",
        object_type=PROJECT,
        object_id=project.pk,
        summary=f"{project.code}: paid {amount} on {paid_on}",
        changes={"amount": str(amount), "paid_on": str(paid_on)},
        request=request,
    )
    return spending


@transaction.atomic
def document_add(
    *,
    project: Project,
    title: str,
    reference: str,
    issued_on: dt.date,
    url: str = "",
    actor,
    request=None,
) -> ProjectDocument:
    """Keep a document's title, number and place for a project."""
    document = ProjectDocument(
        project=project, title=title, reference=reference, issued_on=issued_on, url=url
    )
    _check(document)
    document.save()
    audit_record(
        actor=actor,
        action="create",
        object_type=PROJECT,
        object_id=project.pk,
        summary=f"{project.code}: document {title}",
        request=request,
    )
    return document


def _plain(value) -> str:
    return str(getattr(value, "pk", value))


def _changes(creating: bool, before: dict, after: dict, changed: list) -> dict:
    """Return an audit row's changes: every field when created, else before/after."""
    if creating:
        return after
    return {
        "before": {n: before[n] for n in changed},
        "after": {n: after[n] for n in changed},
    }


@transaction.atomic
def project_save(
    *,
    project: Project | None,
    fields: dict,
    milestones: list[dict],
    actor,
    request=None,
) -> Project:
    """Create a project (`project` None) or change one, with its milestones.

    `fields` holds PROJECT_FIELDS (and `code` for a new project). Each of
    `milestones` holds MILESTONE_FIELDS, and `id` for an existing milestone
    of this project, `delete` to remove it. All or nothing: one refusal and
    nothing is saved. One audit row per project and per milestone changed.
    """
    creating = project is None
    if creating:
        if fields.get("code") in RESERVED_CODES:
            raise ProjectError(
                _("The code %(code)s names a page; choose another.")
                % {"code": fields["code"]}
            )
        project = Project(code=fields.get("code", ""))
    before = {name: _plain(getattr(project, name, "")) for name in PROJECT_FIELDS}
    for name in PROJECT_FIELDS:
        setattr(project, name, fields[name])
    _check(project)
    after = {name: _plain(getattr(project, name)) for name in PROJECT_FIELDS}
    changed = [name for name in PROJECT_FIELDS if before[name] != after[name]]
    if creating or changed:
        project.save() if creating else project.save(update_fields=changed)
        audit_record(
            actor=actor,
            action="create" if creating else "update",
            object_type=PROJECT,
            object_id=project.pk,
            town_code=project.town_id or "",
            summary=f"{project.code}: {'created' if creating else 'changed'}",
            changes=_changes(creating, before, after, changed),
            request=request,
        )
    existing = {m.pk: m for m in project.milestones.all()} if not creating else {}
    for row in milestones:
        _milestone_save(project, existing, row, actor=actor, request=request)
    return project


def _milestone_save(project, existing, row, *, actor, request) -> None:
    milestone = None
    if row.get("id"):
        milestone = existing.get(row["id"])
        if milestone is None:
            raise ProjectError(_("That milestone is not one of this project's."))
    if row.get("delete"):
        if milestone is None:
            return
        if milestone.spendings.exists():
            raise ProjectError(
                _(
                    "The milestone %(name)s has spending recorded against it and "
                    "cannot be removed."
                )
                % {"name": milestone.name}
            )
        audit_record(
            actor=actor,
            action="delete",
            object_type=MILESTONE,
            object_id=milestone.pk,
            summary=f"{project.code}: {milestone.name} removed",
            changes={n: str(getattr(milestone, n)) for n in MILESTONE_FIELDS},
            request=request,
        )
        milestone.delete()
        return
    if row["planned_date"] < row["planned_start"]:
        raise ProjectError(
            _("The milestone %(name)s is planned to end before it starts.")
            % {"name": row["name"]}
        )
    creating = milestone is None
    if creating:
        milestone = Milestone(project=project)
    before = {n: str(getattr(milestone, n, "")) for n in MILESTONE_FIELDS}
    for name in MILESTONE_FIELDS:
        setattr(milestone, name, row[name])
    after = {n: str(getattr(milestone, n)) for n in MILESTONE_FIELDS}
    changed = [n for n in MILESTONE_FIELDS if before[n] != after[n]]
    if not creating and not changed:
        return
    _check(milestone)
    milestone.save() if creating else milestone.save(update_fields=changed)
    audit_record(
        actor=actor,
        action="create" if creating else "update",
        object_type=MILESTONE,
        object_id=milestone.pk,
        summary=f"{project.code}: {milestone.name}",
        changes=_changes(creating, before, after, changed),
        request=request,
    )


@transaction.atomic
def document_upload(
    *,
    project: Project,
    title: str,
    reference: str,
    issued_on: dt.date,
    filename: str,
    content: bytes,
    actor,
    request=None,
) -> ProjectDocument:
    """File an uploaded document for a project, after checking its size and type."""
    try:
        checked = check_upload(filename, content)
    except DocumentRefused as error:
        raise ProjectError(str(error)) from None
    document = ProjectDocument(
        project=project,
        title=title.strip(),
        reference=reference.strip(),
        issued_on=issued_on,
        filename=checked.filename,
        content_type=checked.content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        uploaded_at=timezone.now(),
    )
    _check(document)
    document.save()
    audit_record(
        actor=actor,
        action="create",
        object_type=DOCUMENT,
        object_id=document.pk,
        summary=f"{project.code}: document {document.title} ({document.filename})",
        changes={
            "project": project.code,
            "filename": document.filename,
            "size": document.size,
            "sha256": document.sha256,
        },
        request=request,
    )
    return document


def document_downloaded(*, document: ProjectDocument, actor, request=None) -> None:
    """Record in the audit trail that `actor` downloaded `document`."""
    audit_record(
        actor=actor,
        action="view",
        object_type=DOCUMENT,
        object_id=document.pk,
        summary=f"{document.project.code}: downloaded {document.filename}",
        changes={"sha256": document.sha256},
        request=request,
    )
