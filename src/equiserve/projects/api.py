"""`/api/v1/projects/...`: the plan's projects, their money and milestones (issue 17).

A bearer token and the same rules as the pages: readers see every project,
the lead department updates its own (403 for another's), everyone else 404.
"""

import datetime as dt
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from equiserve.accounts.api import BearerAuth
from equiserve.api_inputs import decimal_number
from equiserve.projects import permissions, selectors, services
from equiserve.projects.documents import FORMATS
from equiserve.projects.models import Milestone

router = Router(tags=["projects"], auth=BearerAuth())

Amount = decimal_number(14, 2)


class ProjectOut(Schema):
    code: str
    name: str
    name_en: str
    clause: str
    lead_department: str
    town: str
    funding_source: str
    status: str
    illustrative: bool
    budget: Decimal
    spent: Decimal
    remaining: Decimal


class MilestoneOut(Schema):
    id: int
    project: str
    name: str
    name_en: str
    planned_start: dt.date
    planned_date: dt.date
    actual_date: dt.date | None
    status: str
    overdue: bool


class ProjectDocumentOut(Schema):
    id: int
    title: str
    reference: str
    issued_on: dt.date
    filename: str  # "" for a reference-only entry, which has nothing to download
    content_type: str
    size: int
    sha256: str


class MilestoneIn(Schema):
    status: str
    actual_date: dt.date | None = None
    note: str = ""


class SpendingIn(Schema):
    paid_on: dt.date
    amount: Amount
    description: str = ""


def _project(row: selectors.ProjectBudget) -> dict:
    return {
        "code": row.code,
        "name": row.name,
        "name_en": row.name_en,
        "clause": row.clause,
        "lead_department": row.lead_department,
        "town": row.town_code,
        "funding_source": row.funding_source,
        "status": row.status,
        "illustrative": row.illustrative,
        "budget": row.budget,
        "spent": row.spent_to_date,
        "remaining": row.remaining,
    }


def _milestone(m: Milestone, overdue: set[int]) -> dict:
    return {
        "id": m.pk,
        "project": m.project.code,
        "name": m.name,
        "name_en": m.name_en,
        "planned_start": m.planned_start,
        "planned_date": m.planned_date,
        "actual_date": m.actual_date,
        "status": m.status,
        "overdue": m.pk in overdue,
    }


def _overdue_ids() -> set[int]:
    today = timezone.localdate()
    return set(selectors.overdue_milestones(today=today).values_list("pk", flat=True))


@router.get("/", response=list[ProjectOut], summary="Projects")
def project_list(request, department: str = ""):
    """List the plan's projects with budget and spending, exact to the fen."""
    permissions.require_reader(request.auth)
    rows = selectors.project_budgets(department=department or None)
    return [_project(row) for row in rows]


@router.get("/overdue", response=list[MilestoneOut], summary="Overdue milestones")
def overdue_list(request):
    """List overdue milestones: all for the office, a department's own for it."""
    department = permissions.overdue_department(request.auth)
    milestones = selectors.overdue_milestones(
        today=timezone.localdate(), department=department or None
    )
    ids = {m.pk for m in milestones}
    return [_milestone(m, ids) for m in milestones]


@router.get("/{code}", response=ProjectOut, summary="One project")
def project_detail(request, code: str):
    project = permissions.access_project(request.auth, code)
    rows = selectors.project_budgets(department=project.lead_department)
    return _project(next(row for row in rows if row.code == project.code))


@router.get(
    "/{code}/milestones", response=list[MilestoneOut], summary="A project's milestones"
)
def milestone_list(request, code: str):
    project = permissions.access_project(request.auth, code)
    overdue = _overdue_ids()
    milestones = project.milestones.select_related("project").order_by("position", "pk")
    return [_milestone(m, overdue) for m in milestones]


@router.patch(
    "/milestones/{milestone_id}", response=MilestoneOut, summary="Update a milestone"
)
def milestone_update(request, milestone_id: int, body: MilestoneIn):
    """Record a milestone done (with its date), late or pending: its lead department."""
    milestone = permissions.access_milestone_for_change(request.auth, milestone_id)
    try:
        services.milestone_update(
            milestone=milestone,
            status=body.status,
            actual_date=body.actual_date,
            note=body.note[:300],
            actor=request.auth,
            request=request,
        )
    except services.ProjectError as error:
        raise HttpError(422, str(error)) from None
    return _milestone(milestone, _overdue_ids())


@router.post("/{code}/spending", response={201: ProjectOut}, summary="Record spending")
def spending_create(request, code: str, body: SpendingIn):
    """Record money paid on a project: its lead department."""
    project = permissions.access_project_for_change(request.auth, code)
    try:
        services.spending_record(
            project=project,
            paid_on=body.paid_on,
            amount=body.amount,
            description=body.description[:200],
            actor=request.auth,
            request=request,
        )
    except services.ProjectError as error:
        raise HttpError(422, str(error)) from None
    rows = selectors.project_budgets(department=project.lead_department)
    return Status(201, _project(next(row for row in rows if row.code == project.code)))


@router.get(
    "/{code}/documents",
    response=list[ProjectDocumentOut],
    summary="A project's documents",
)
def document_list(request, code: str):
    """List the documents on file for a project (content not included)."""
    project = permissions.access_project(request.auth, code)
    documents = project.documents.defer("content").order_by("issued_on", "pk")
    return [
        {
            "id": d.pk,
            "title": d.title,
            "reference": d.reference,
            "issued_on": d.issued_on,
            "filename": d.filename,
            "content_type": d.content_type,
            "size": d.size,
            "sha256": d.sha256,
        }
        for d in documents
    ]


_FILE = {"schema": {"type": "string", "format": "binary"}}


@router.get(
    "/{code}/documents/{document_id}",
    summary="Download a document",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file, as an attachment",
                "content": {kind: _FILE for kind, _, _ in FORMATS.values()},
            }
        }
    },
)
def document_download(request, code: str, document_id: int):
    """Send a project's document (readers of the project); every download is audited."""
    document = permissions.access_document(request.auth, code, document_id)
    services.document_downloaded(document=document, actor=request.auth, request=request)
    response = HttpResponse(bytes(document.content), content_type=document.content_type)
    response["Content-Disposition"] = content_disposition_header(
        True, document.filename
    )
    return response
