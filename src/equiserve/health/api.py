"""`/api/v1/health/...`: the 3.3.2 rates, the type-1 diabetes registry, the 3.3.1 pilot.

Counts are for every officer (small cells shown as "<10" outside the health
role); a patient's record, its visits and the FHIR export are the health
role's (a hospital user: its hospital's patients); a school's screenings are
the health role's and that school's psychology teacher's. Anything else is a
404, like a record that does not exist. Every read of a record is audited.
"""

import datetime as dt
import uuid
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from equiserve.accounts.api import BearerAuth
from equiserve.api_inputs import COUNT, RECORD_DAY, SMALL_COUNT, decimal_number
from equiserve.health import fhir, permissions, selectors, services
from equiserve.health.models import DispensedItem, InsulinRegimen
from equiserve.health.views import PLAN_END
from equiserve.health.vocabulary import service_kinds

router = Router(tags=["health"], auth=BearerAuth())

Cell = int | str  # a count, or "<10" where a small cell is suppressed


def _error_text(error: ValidationError) -> str:
    messages = getattr(error, "message_dict", None)
    if messages:
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in sorted(messages.items()))
    return "; ".join(error.messages)


class DayIn(Schema):
    on: RECORD_DAY | None = None


def _day(query: DayIn) -> dt.date:
    return query.on or min(dt.date.today(), PLAN_END)


class T1dRatesOut(Schema):
    on: dt.date
    patients: Cell
    managed: Cell
    controlled: Cell
    managed_rate: float | None
    controlled_rate: float | None


@router.get("/t1d/rates", response=T1dRatesOut, summary="Type-1 diabetes rates (3.3.2)")
def t1d_rates(request, query: Query[DayIn]):
    """Return the city's management and control rates on a day, from the records."""
    permissions.require_counts(request.auth)
    day = _day(query)
    counts = selectors.t1d_counts(day)
    exact = permissions.is_health(request.auth)
    small = not exact and counts.patients < permissions.SMALL_CELL
    return {
        "on": day,
        "patients": permissions.suppress(counts.patients, exact=exact),
        "managed": permissions.suppress(counts.managed, exact=exact),
        "controlled": permissions.suppress(counts.controlled, exact=exact),
        "managed_rate": None
        if small or counts.managed_rate is None
        else float(counts.managed_rate),
        "controlled_rate": None
        if small or counts.controlled_rate is None
        else float(counts.controlled_rate),
    }


class PatientOut(Schema):
    id: uuid.UUID
    name: str
    hospital: str
    enrolled_on: dt.date
    left_on: dt.date | None
    follow_ups: int
    latest_hba1c: float | None
    managed: bool
    controlled: bool


def _patient(enrolment, day) -> dict:
    status = selectors.status_on(enrolment, day)
    return {
        "id": enrolment.public_id,
        "name": enrolment.person.name,
        "hospital": enrolment.hospital.code,
        "enrolled_on": enrolment.enrolled_on,
        "left_on": enrolment.left_on,
        "follow_ups": status.follow_ups,
        "latest_hba1c": None
        if status.latest_hba1c is None
        else float(status.latest_hba1c),
        "managed": status.managed,
        "controlled": status.controlled,
    }


@router.get(
    "/t1d/patients", response=list[PatientOut], summary="Type-1 diabetes patients"
)
def t1d_patients(request, query: Query[DayIn]):
    """List the patients the caller reads (health role), with their status on a day."""
    permissions.require_health(request.auth)
    day = _day(query)
    patients = list(permissions.enrolment_list_for(request.auth).order_by("pk"))
    services.list_view_record(
        actor=request.auth,
        what=services.T1D_PATIENT,
        count=len(patients),
        request=request,
    )
    return [_patient(e, day) for e in patients]


@router.get("/t1d/patients/{public_id}", response=PatientOut, summary="One patient")
def t1d_patient(request, public_id: str, query: Query[DayIn]):
    """Return one patient's status on a day; the read is audited."""
    enrolment = permissions.access_enrolment(request.auth, public_id)
    services.enrolment_view_record(
        actor=request.auth, enrolment=enrolment, channel="api", request=request
    )
    return _patient(enrolment, _day(query))


class FollowUpIn(Schema):
    visited_on: RECORD_DAY
    insulin_regimen: Literal[tuple(InsulinRegimen.values)]  # type: ignore[valid-type]
    hba1c: decimal_number(3, 1) | None = None
    fasting_glucose: decimal_number(3, 1) | None = None
    hypoglycaemia_events: SMALL_COUNT = 0


@router.post(
    "/t1d/patients/{public_id}/follow-ups",
    response={201: PatientOut},
    summary="Record a follow-up visit",
)
def t1d_follow_up(request, public_id: str, body: FollowUpIn):
    """Record a visit (health role; a hospital user for its patients); return the status."""
    enrolment = permissions.access_enrolment(request.auth, public_id)
    try:
        services.follow_up_record(
            enrolment=enrolment, actor=request.auth, request=request, **body.dict()
        )
    except ValidationError as error:
        raise HttpError(422, _error_text(error)) from None
    return Status(201, _patient(enrolment, body.visited_on))


class DispensingIn(Schema):
    dispensed_on: RECORD_DAY
    item: Literal[tuple(DispensedItem.values)]  # type: ignore[valid-type]
    product: str = Field(min_length=1, max_length=100)
    quantity: COUNT
    unit_cost: decimal_number(10, 2)


class DispensingOut(Schema):
    dispensed_on: dt.date
    item: str
    product: str
    quantity: int
    unit_cost: Decimal
    cost: Decimal


@router.post(
    "/t1d/patients/{public_id}/dispensings",
    response={201: DispensingOut},
    summary="Record free drugs or test strips dispensed",
)
def t1d_dispensing(request, public_id: str, body: DispensingIn):
    """Record a dispensing at its exact cost (health role)."""
    enrolment = permissions.access_enrolment(request.auth, public_id)
    try:
        dispensing = services.dispensing_record(
            enrolment=enrolment, actor=request.auth, request=request, **body.dict()
        )
    except ValidationError as error:
        raise HttpError(422, _error_text(error)) from None
    return Status(201, dispensing)


@router.get("/t1d/fhir", summary="The registry as a FHIR R4 bundle")
def t1d_fhir(request):
    """Return the patients the caller reads as a FHIR R4 bundle (health role only)."""
    permissions.require_health(request.auth)
    enrolments = permissions.enrolment_list_for(request.auth)
    bundle = fhir.bundle_export(enrolments)
    services.export_record(
        actor=request.auth, count=enrolments.count(), request=request
    )
    return bundle


class PilotOut(Schema):
    on: dt.date
    schools: Cell
    teachers_certified: Cell
    screened: Cell
    referred: Cell
    followed_up: Cell


@router.get(
    "/pilot", response=PilotOut, summary="Mental-health pilot indicators (3.3.1)"
)
def pilot(request, query: Query[DayIn]):
    """Return the pilot's counts on a day; "<10" outside the health role."""
    permissions.require_counts(request.auth)
    day = _day(query)
    counts = selectors.pilot_counts(day)
    exact = permissions.is_health(request.auth)
    return {"on": day} | {
        name: permissions.suppress(getattr(counts, name), exact=exact)
        for name in counts.__dataclass_fields__
    }


class ScreeningOut(Schema):
    id: uuid.UUID
    pupil: str
    screened_on: dt.date
    instrument: str
    score: int
    risk_level: str
    referred_on: dt.date | None
    followed_up_on: dt.date | None


@router.get(
    "/pilot/schools/{code}/screenings",
    response=list[ScreeningOut],
    summary="A pilot school's screenings",
)
def school_screenings(request, code: str):
    """Return a school's screenings (health role; the school's psychology teacher)."""
    school = permissions.access_school_records(request.auth, code)
    services.school_view_record(actor=request.auth, school=school, request=request)
    rows = []
    for s in (
        permissions.screening_list_for(request.auth)
        .filter(school=school)
        .select_related("referral")
        .order_by("screened_on", "pk")
    ):
        referral = getattr(s, "referral", None) if hasattr(s, "referral") else None
        rows.append(
            {
                "id": s.public_id,
                "pupil": s.person.name,
                "screened_on": s.screened_on,
                "instrument": s.instrument,
                "score": s.score,
                "risk_level": s.risk_level,
                "referred_on": referral.referred_on if referral else None,
                "followed_up_on": referral.followed_up_on if referral else None,
            }
        )
    return rows


# --- Migrants' free family-planning services (3.3.4) ---------------------


class MigrantCoverageOut(Schema):
    on: dt.date
    eligible: Cell
    served: Cell
    rate: float | None


@router.get(
    "/migrant-services/coverage",
    response=MigrantCoverageOut,
    summary="Migrants' family-planning service coverage (3.3.4)",
)
def migrant_coverage(request, query: Query[DayIn]):
    """Return eligible migrants and those served on a day; "<10" outside the health role."""
    permissions.require_counts(request.auth)
    day = _day(query)
    coverage = selectors.migrant_coverage(day)
    exact = permissions.is_health(request.auth)
    small = not exact and coverage.eligible < permissions.SMALL_CELL
    return {
        "on": day,
        "eligible": permissions.suppress(coverage.eligible, exact=exact),
        "served": permissions.suppress(coverage.served, exact=exact),
        "rate": None if small or coverage.rate is None else float(coverage.rate),
    }


class MigrantServiceOut(Schema):
    id: uuid.UUID
    name: str
    kind: str
    delivered_on: dt.date
    provider: str


def _service(record) -> dict:
    return {
        "id": record.public_id,
        "name": record.person.name,
        "kind": record.kind,
        "delivered_on": record.delivered_on,
        "provider": record.provider,
    }


@router.get(
    "/migrant-services",
    response=list[MigrantServiceOut],
    summary="Free family-planning services delivered to migrants",
)
def migrant_services(request):
    """List the service records (health role only); the read is audited."""
    permissions.require_health(request.auth)
    records = list(
        permissions.migrant_service_list_for(request.auth).order_by(
            "-delivered_on", "-pk"
        )[:500]
    )
    services.list_view_record(
        actor=request.auth,
        what=services.MIGRANT_SERVICE,
        count=len(records),
        request=request,
    )
    return [_service(r) for r in records]


class MigrantServiceIn(Schema):
    id_number: str = Field(min_length=18, max_length=18, pattern=r"^[0-9]{17}[0-9Xx]$")
    # The plan's 3.3.4 items (vocabulary), read when the API is loaded.
    kind: Literal[tuple(service_kinds())]  # type: ignore[valid-type]
    delivered_on: RECORD_DAY
    provider: str = Field(min_length=1, max_length=100)


@router.post(
    "/migrant-services",
    response={201: MigrantServiceOut},
    summary="Record a free family-planning service",
)
def migrant_service_create(request, body: MigrantServiceIn):
    """Record a service (health role); 422 with the engine's reason when not eligible."""
    from equiserve.registry.models import Person

    permissions.require_health(request.auth)
    person = Person.objects.filter(id_number=body.id_number.upper()).first()
    if person is None:
        raise HttpError(422, "id_number: no person with this ID number in the registry")
    try:
        record = services.migrant_service_record(
            person=person,
            kind=body.kind,
            delivered_on=body.delivered_on,
            provider=body.provider,
            actor=request.auth,
            request=request,
        )
    except ValidationError as error:
        raise HttpError(422, _error_text(error)) from None
    return Status(201, _service(record))


@router.get(
    "/migrant-services/{public_id}",
    response=MigrantServiceOut,
    summary="One family-planning service record",
)
def migrant_service(request, public_id: str):
    """Return one record (health role only); the read is audited."""
    record = permissions.access_migrant_service(request.auth, public_id)
    services.migrant_service_view_record(
        actor=request.auth, service=record, channel="api", request=request
    )
    return _service(record)
