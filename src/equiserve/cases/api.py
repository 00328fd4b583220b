"""The case endpoints: list, read, register, assess, decide, deliver, appeal.

All take a bearer token (`POST /api/v1/auth/token`). A case outside the
caller's scope is a 404, exactly like a case that does not exist; an action
the caller's role does not allow is a 403; acting on a version that is no
longer current is a 409 with the current version; an action the case's status
does not allow, or invalid input, is a 422. Messages are in the language of
`?lang=` (zh or en; Chinese by default).
"""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.utils import translation
from ninja import Field, Query, Router, Schema, Status
from pydantic import BaseModel

from equiserve.accounts.api import BearerAuth
from equiserve.api_errors import ApiError
from equiserve.api_inputs import decimal_number
from equiserve.cases import permissions, selectors, services
from equiserve.cases.models import PAYMENT, Case
from equiserve.cases.programmes import PROGRAMMES, lang_key
from equiserve.cases.services.common import RESTRICTED
from equiserve.cases.workflow import CaseConflict, CaseError, allowed_actions
from equiserve.registry.privacy import mask_id_number

router = Router(tags=["cases"], auth=BearerAuth())

MAX_PAGE_SIZE = 500
MAX_PAGE = 100_000


class CaseListFilters(Schema):
    status: str = ""
    programme: str = ""
    town: str = ""
    q: str = ""
    # Bounded so that a page of 10^18 is a 422, not an SQL overflow (issue 10, finding 8).
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE)


# A plain pydantic model, as `registry.api.PersonBase` says why.
class CaseOut(BaseModel):
    id: int
    reference: str
    programme: str
    clause: str
    status: str
    version: int
    town: str
    applicant: str
    applicant_key: str
    applicant_id_number: str
    applied_on: dt.date
    updated_at: dt.datetime


class CasePage(BaseModel):
    items: list[CaseOut]
    count: int
    page: int
    page_size: int
    pages: int


class AssessmentOut(Schema):
    id: int
    evaluated_on: dt.date
    eligible: bool
    plan: str
    answer: dict[str, Any] | None
    explanations: dict[str, Any] | None
    parameters: dict[str, Any] | None


class DecisionOut(Schema):
    kind: str
    reason: str
    amount: Decimal | None
    decided_by: str
    decided_at: dt.datetime


class EntitlementOut(Schema):
    amount: Decimal | None
    items: dict[str, int | None]
    approved_by: str
    second_approved_by: str | None
    paid: Decimal
    delivered: dict[str, int]


class DeliveryOut(Schema):
    id: int
    item: str
    quantity: int
    amount: Decimal | None
    delivered_on: dt.date
    note: str
    # Whom a payment went to, when the programme pays others than the applicant
    # (issue 15): "employer" (name, unified social credit code) or "person"; "".
    payee_kind: str = ""
    payee_name: str = ""
    payee_uscc: str = ""


class AppealOut(Schema):
    reason: str
    lodged_on: dt.date
    previous_status: str


class CaseDetailOut(CaseOut):
    claimant: str | None
    health_hidden: bool
    facts: dict[str, Any] | None
    documents: list[str]
    assessment: AssessmentOut | None
    decisions: list[DecisionOut]
    entitlement: EntitlementOut | None
    deliveries: list[DeliveryOut]
    appeals: list[AppealOut]
    actions: list[str]


class CaseIn(Schema):
    programme: str
    # A person's public id, person number or ID number; a department names a
    # person it does not see yet by ID number and name (issue 10, finding 3).
    applicant: str
    applicant_name: str = ""
    claimant: str | None = None
    claimant_name: str = ""
    applied_on: dt.date
    facts: dict[str, Any] = {}
    documents: list[str] = []


# Amounts as the database keeps them (12 digits, 2 after the point): a larger
# one, "1e309" or "NaN" is a 422, not a failed save (issue 10, finding 8).
Amount = decimal_number(max_digits=12, decimal_places=2)


class VersionIn(Schema):
    version: int = Field(ge=1, le=2**31 - 1)


class DecideIn(VersionIn):
    decision: Literal["approve", "reject", "return"]
    reason: str
    amount: Amount | None = None
    # An amount above the one requested needs this (issue 14, deliverable 3).
    acknowledge_above_request: bool = False


class DeliveryIn(VersionIn):
    item: str
    quantity: int = Field(1, ge=1, le=1_000_000)
    amount: Amount | None = None
    delivered_on: dt.date
    note: str = ""
    # For a programme that lists payees (the community employment subsidy): whom
    # the payment goes to, and the employer's name and unified social credit code.
    payee_kind: str = Field("", max_length=8)
    payee_name: str = Field("", max_length=100)
    payee_uscc: str = Field("", max_length=40)


class AppealIn(VersionIn):
    reason: str
    lodged_on: dt.date


class CaseErrorOut(ApiError):
    """The API's error; a 409 adds the case's current version and status."""

    version: int | None = None
    status: str | None = None


REFUSALS = {403: CaseErrorOut, 404: CaseErrorOut, 409: CaseErrorOut, 422: CaseErrorOut}


def _refused(error: CaseError):
    body = {
        "detail": error.message,
        "errors": [
            {"path": name, "code": "invalid", "message": str(problem)}
            for name, problem in error.errors.items()
        ],
    }
    if isinstance(error, CaseConflict):
        body.update(version=error.version, status=error.case_status)
    return Status(error.status, body)


def _case_fields(user, case: Case) -> dict:
    # A health programme is named to health officers only (issue 10, finding 7).
    shown = permissions.shows_programme(user, case.programme)
    return {
        "id": case.pk,
        "reference": case.reference,
        "programme": case.programme if shown else RESTRICTED,
        "clause": PROGRAMMES[case.programme].clause if shown else "",
        "status": case.status,
        "version": case.version,
        "town": case.town_id,
        "applicant": str(case.applicant.public_id),
        "applicant_key": case.applicant.key,
        "applicant_id_number": mask_id_number(case.applicant.id_number),
        "applied_on": case.applied_on,
        "updated_at": case.updated_at,
    }


def _detail(user, case: Case, lang: str) -> dict:
    health_ok = permissions.sees_health_details(user, case)
    assessment = selectors.latest_assessment(case)
    entitlement = selectors.active_entitlement(case)
    deliveries = list(case.deliveries.all())
    return {
        **_case_fields(user, case),
        "claimant": str(case.claimant.public_id) if case.claimant_id else None,
        "health_hidden": not health_ok,
        "facts": case.facts if health_ok else None,
        "documents": case.documents if health_ok else [],
        "assessment": None
        if assessment is None
        else {
            "id": assessment.pk,
            "evaluated_on": assessment.evaluated_on,
            "eligible": assessment.eligible,
            "plan": assessment.plan,
            "answer": assessment.answer if health_ok else None,
            "explanations": selectors.explanation_for(assessment, lang)
            if health_ok
            else None,
            "parameters": assessment.parameters if health_ok else None,
        },
        "decisions": [
            {
                "kind": d.kind,
                "reason": d.reason if health_ok else "",
                "amount": d.amount,
                "decided_by": d.decided_by.get_username(),
                "decided_at": d.decided_at,
            }
            for d in case.decisions.select_related("decided_by")
        ],
        "entitlement": None
        if entitlement is None
        else {
            "amount": entitlement.amount,
            "items": entitlement.items if health_ok else {},
            "approved_by": entitlement.approved_by.get_username(),
            "second_approved_by": entitlement.second_approved_by.get_username()
            if entitlement.second_approved_by
            else None,
            "paid": sum(
                (d.amount for d in deliveries if d.item == PAYMENT), Decimal("0")
            ),
            "delivered": _delivered(deliveries) if health_ok else {},
        },
        "deliveries": [
            {
                "id": d.pk,
                "item": d.item if health_ok or d.item == PAYMENT else RESTRICTED,
                "quantity": d.quantity,
                "amount": d.amount,
                "delivered_on": d.delivered_on,
                "note": d.note if health_ok else "",
                "payee_kind": d.payee_kind,
                "payee_name": d.payee_name,
                "payee_uscc": d.payee_uscc,
            }
            for d in deliveries
        ],
        "appeals": [
            {
                "reason": a.reason if health_ok else "",
                "lodged_on": a.lodged_on,
                "previous_status": a.previous_status,
            }
            for a in case.appeals.all()
        ],
        "actions": [
            action
            for action in allowed_actions(case.status)
            if permissions.may_act(user, case, action)
        ],
    }


def _delivered(deliveries) -> dict[str, int]:
    totals: dict[str, int] = {}
    for delivery in deliveries:
        if delivery.item != PAYMENT:
            totals[delivery.item] = totals.get(delivery.item, 0) + delivery.quantity
    return totals


def _lang(lang: str) -> str:
    return lang_key(lang or translation.get_language())


@router.get("/cases", response=CasePage, summary="List cases")
def case_list(request, filters: Query[CaseListFilters]):
    """List the cases in the caller's scope, newest change first, page by page.

    Filter by `status` (or `open`), `programme`, `town` and `q` (a case
    reference, a person number or a full ID number). ID numbers are masked.
    """
    chosen = selectors.CaseFilters.from_query(filters.dict())
    cases = selectors.case_list(user=request.auth, filters=chosen)
    count = cases.count()
    start = (filters.page - 1) * filters.page_size
    return {
        "items": [
            _case_fields(request.auth, case)
            for case in cases[start : start + filters.page_size]
        ],
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
        "pages": max(1, -(-count // filters.page_size)),
    }


@router.get("/cases/{case_id}", response=CaseDetailOut, summary="One case")
def case_detail(request, case_id: int, lang: str = ""):
    """Return a case with its assessment and explanation (`lang` zh or en).

    Health details (facts, answer, explanation of a type-1 diabetes case) are
    null for every role but health officers. The read is audit-logged.
    """
    case = permissions.access_case(request.auth, case_id)
    services.case_view_record(
        actor=request.auth, case=case, channel="api", request=request
    )
    return _detail(request.auth, case, _lang(lang))


@router.post(
    "/cases",
    response={201: CaseDetailOut, **REFUSALS},
    summary="Register an application",
)
def case_create(request, body: CaseIn):
    """Register an application for a person under a programme.

    `applicant` is the person's public id, person number or ID number. A
    department names a person it does not see yet by full ID number with
    `applicant_name`; either alone finds no one (404).
    """
    try:
        case = services.register_from_numbers(
            programme=body.programme,
            applicant=body.applicant,
            applicant_name=body.applicant_name,
            claimant=body.claimant,
            claimant_name=body.claimant_name,
            applied_on=body.applied_on,
            facts=body.facts,
            documents=body.documents,
            actor=request.auth,
            request=request,
        )
    except CaseError as error:
        return _refused(error)
    return Status(201, _detail(request.auth, Case.objects.get(pk=case.pk), _lang("")))


def _act(request, case_id: int, perform):
    case = permissions.access_case(request.auth, case_id)
    try:
        perform(case)
    except CaseError as error:
        return _refused(error)
    case = permissions.access_case(request.auth, case_id)
    return Status(200, _detail(request.auth, case, _lang("")))


@router.post(
    "/cases/{case_id}/assess",
    response={200: CaseDetailOut, **REFUSALS},
    summary="Assess a case with the plan's rules",
)
def case_assess(request, case_id: int, body: VersionIn):
    """Run the engine on the case as applied for; the assessment is frozen."""
    return _act(
        request,
        case_id,
        lambda case: services.case_assess(
            case=case, version=body.version, actor=request.auth, request=request
        ),
    )


@router.post(
    "/cases/{case_id}/decide",
    response={200: CaseDetailOut, **REFUSALS},
    summary="Decide a case",
)
def case_decide(request, case_id: int, body: DecideIn):
    """Approve, reject or return (`decision`) with a `reason`; 409 on a stale `version`.

    `amount` (CNY) is set only for programmes whose amount the officer sets;
    an approval above the threshold waits for a second, different officer.
    """
    return _act(
        request,
        case_id,
        lambda case: services.case_decide(
            case=case,
            version=body.version,
            decision=body.decision,
            reason=body.reason,
            amount=body.amount,
            above_request_acknowledged=body.acknowledge_above_request,
            actor=request.auth,
            request=request,
        ),
    )


@router.post(
    "/cases/{case_id}/deliveries",
    response={200: CaseDetailOut, **REFUSALS},
    summary="Record a payment or a service item",
)
def case_deliver(request, case_id: int, body: DeliveryIn):
    """Record a payment (`item` "payment", `amount`) or a service item and quantity."""
    return _act(
        request,
        case_id,
        lambda case: services.case_deliver(
            case=case,
            version=body.version,
            item=body.item,
            quantity=body.quantity,
            amount=body.amount,
            delivered_on=body.delivered_on,
            note=body.note,
            payee_kind=body.payee_kind,
            payee_name=body.payee_name,
            payee_uscc=body.payee_uscc,
            actor=request.auth,
            request=request,
        ),
    )


@router.post(
    "/cases/{case_id}/appeal",
    response={200: CaseDetailOut, **REFUSALS},
    summary="Record an appeal",
)
def case_appeal(request, case_id: int, body: AppealIn):
    """Record the applicant's appeal; the case reopens for a new assessment."""
    return _act(
        request,
        case_id,
        lambda case: services.case_appeal(
            case=case,
            version=body.version,
            reason=body.reason,
            lodged_on=body.lodged_on,
            actor=request.auth,
            request=request,
        ),
    )
