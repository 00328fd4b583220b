"""Writes of the projects tracker: milestones, spending, documents (issue 17)."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from equiserve.audit.services import audit_record
from equiserve.projects.models import (
    Milestone,
    MilestoneStatus,
    Project,
    ProjectDocument,
    Spending,
)

PROJECT = "projects.project"
MILESTONE = "projects.milestone"


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
