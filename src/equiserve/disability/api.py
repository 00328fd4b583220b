"""`/api/v1/disability/...`: the register, services, coverage, institutions (issue 17).

A bearer token and the same scope as the pages: the federation city-wide,
town officers their town, office and auditor read-only; others 404. A
certificate that does not match its holder, an unknown category or a grade
outside 1–4 is a 422 with the reason in the caller's language, nothing saved.
"""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from equiserve.accounts.api import BearerAuth
from equiserve.api_inputs import RECORD_DAY, decimal_number
from equiserve.disability import permissions, selectors, services
from equiserve.disability.models import Institution, ServiceKind
from equiserve.registry.privacy import mask_id_number

router = Router(tags=["disability"], auth=BearerAuth())

Cost = decimal_number(12, 2)


class RecordOut(Schema):
    id: int
    person: str
    id_number: str
    town: str
    category: str
    grade: int
    issued_on: dt.date


class RecordIn(Schema):
    id_number: str
    name: str
    certificate_number: str
    category: str
    grade: int | str
    issued_on: dt.date


class ServiceIn(Schema):
    kind: Literal[tuple(ServiceKind.values)]  # type: ignore[valid-type]
    # A day as text in the registries' years: a number (0) was read as 1970-01-01.
    start_date: RECORD_DAY
    end_date: RECORD_DAY | None = None
    institution: str = ""
    cost: Cost = Decimal("0.00")
    # A whole number in the body, not true/false read as 1/0.
    attendance_days: Annotated[int, Field(strict=True)] = 0


class ServiceOut(Schema):
    id: int
    record: int
    kind: str
    institution: str
    start_date: dt.date
    end_date: dt.date | None
    cost: Decimal
    attendance_days: int


class CellOut(Schema):
    registered: int
    served: int
    share: float | None


class CoverageRowOut(Schema):
    key: str
    all: CellOut
    zhongshan: CellOut
    elsewhere: CellOut


class CoverageOut(Schema):
    year: int
    kind: str
    total: list[CoverageRowOut]
    town: list[CoverageRowOut]
    category: list[CoverageRowOut]
    grade: list[CoverageRowOut]


class InstitutionOut(Schema):
    code: str
    name: str
    kind: str
    town: str
    capacity: int
    occupancy: int
    waiting: int


class DisabilityWaitingOut(Schema):
    id: int
    record: int
    person: str
    id_number: str
    town: str
    institution: str
    institution_kind: str
    since: dt.date
    days_waiting: int


def _record(r) -> dict:
    return {
        "id": r.pk,
        "person": r.person.key,
        "id_number": mask_id_number(r.person.id_number),
        "town": r.person.town_id,
        "category": r.category,
        "grade": r.grade,
        "issued_on": r.issued_on,
    }


def _cell(c) -> dict:
    return {"registered": c.registered, "served": c.served, "share": c.share}


@router.get("/register", response=list[RecordOut], summary="The disability register")
def record_list(request):
    """List the register in the caller's scope (ID numbers masked)."""
    permissions.require_reader(request.auth)
    records = permissions.record_list_for(request.auth).order_by("pk")
    return [_record(r) for r in records]


@router.post("/register", response={201: RecordOut}, summary="Register a person")
def record_create(request, body: RecordIn):
    """Put a person on the register: certificate checked against their ID number."""
    permissions.require_recorder(request.auth)
    person = selectors.person_for(
        permissions.towns_of(request.auth), body.id_number, body.name
    )
    if person is None:
        raise HttpError(404, "no person with this ID number and name in your towns")
    try:
        record = services.disability_register(
            person=person,
            certificate_number=body.certificate_number,
            category=body.category,
            grade=body.grade,
            issued_on=body.issued_on,
            actor=request.auth,
            request=request,
        )
    except services.DisabilityError as error:
        raise HttpError(422, str(error)) from None
    return Status(201, _record(record))


@router.post(
    "/register/{record_id}/services",
    response={201: ServiceOut},
    summary="Record a service",
)
def service_create(request, record_id: int, body: ServiceIn):
    """Record a service to a person on the register."""
    record = permissions.access_record_for_change(request.auth, record_id)
    institution = None
    if body.institution:
        institution = Institution.objects.filter(code=body.institution).first()
        if institution is None:
            raise HttpError(422, f"unknown institution {body.institution}")
    try:
        service = services.service_record(
            record=record,
            kind=body.kind,
            start_date=body.start_date,
            end_date=body.end_date,
            institution=institution,
            cost=body.cost,
            attendance_days=max(body.attendance_days, 0),
            actor=request.auth,
            request=request,
        )
    except services.DisabilityError as error:
        raise HttpError(422, str(error)) from None
    return Status(
        201,
        {
            "id": service.pk,
            "record": record.pk,
            "kind": service.kind,
            "institution": institution.code if institution else "",
            "start_date": service.start_date,
            "end_date": service.end_date,
            "cost": service.cost,
            "attendance_days": service.attendance_days,
        },
    )


@router.get("/coverage", response=CoverageOut, summary="Coverage indicators")
def coverage(
    request,
    year: Annotated[int, Field(ge=2000, le=2100)],
    kind: Literal[("", *ServiceKind.values)] = "",
):
    """Return the share of the register served in `year`, by town, category and grade."""
    permissions.require_reader(request.auth)
    tables = selectors.coverage(
        year=year, towns=permissions.towns_of(request.auth), kind=kind
    )
    out = {"year": year, "kind": kind}
    for dimension, rows in tables.items():
        out[dimension] = [
            {"key": row.key, **{g: _cell(row.cells[g]) for g in selectors.GROUPS}}
            for row in rows
        ]
    return out


@router.get("/institutions", response=list[InstitutionOut], summary="Institutions")
def institution_list(request):
    """List the institutions with capacity, occupancy and waiting lists today."""
    permissions.require_reader(request.auth)
    rows = selectors.institution_rows(
        on=timezone.localdate(), towns=permissions.towns_of(request.auth)
    )
    return [
        {
            "code": row["institution"].code,
            "name": row["institution"].name,
            "kind": row["institution"].kind,
            "town": row["institution"].town_id or "",
            "capacity": row["capacity"],
            "occupancy": row["occupancy"],
            "waiting": row["waiting"],
        }
        for row in rows
    ]


@router.get("/waiting", response=list[DisabilityWaitingOut], summary="Waiting lists")
def waiting_list(
    request,
    institution: Annotated[str, Field(max_length=32, pattern=r"^[a-z0-9-]*$")] = "",
):
    """List who waits today for a place, longest first: persons of the caller's
    towns only (ID numbers masked); `institution` keeps one institution's list."""
    permissions.require_reader(request.auth)
    today = timezone.localdate()
    entries = selectors.waiting_list(
        on=today, towns=permissions.towns_of(request.auth), institution=institution
    )
    return [
        {
            "id": e.pk,
            "record": e.record_id,
            "person": e.record.person.key,
            "id_number": mask_id_number(e.record.person.id_number),
            "town": e.record.person.town_id,
            "institution": e.institution.code,
            "institution_kind": e.institution.kind,
            "since": e.since,
            "days_waiting": (today - e.since).days,
        }
        for e in entries
    ]
