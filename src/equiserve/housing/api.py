"""`/api/v1/housing/...`: applications, the waiting list, stock, rounds, offers.

Rounds are public (no token); everything else takes a bearer token
(`POST /api/v1/auth/token`) and the same scope as the pages: a record outside
it is a 404, exactly like one that does not exist. Answering an offer that
someone answered first is a 409 naming the answer already recorded.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from equiserve.accounts.api import BearerAuth
from equiserve.api_errors import ApiError
from equiserve.api_inputs import COUNT, SMALL_COUNT, decimal_number
from equiserve.geography.models import Town
from equiserve.housing import permissions, publication, selectors, services
from equiserve.housing.models import Estate, RoundStatus
from equiserve.registry.models import Household
from equiserve.registry.privacy import mask_id_number

router = Router(tags=["housing"], auth=BearerAuth())


def _lang() -> str:
    return "en" if (get_language() or "").startswith("en") else "zh"


def _decider(user) -> None:
    """Raise 404 for users who see no housing records, 403 for mere readers."""
    try:
        permissions.require_decider(user)
    except PermissionDenied:
        raise HttpError(403, "the housing department decides") from None


class ApplicationIn(Schema):
    # The household number, and a member named by full ID number and name
    # together (issue 10, finding 3).
    household: str
    applicant_id_number: str
    applicant_name: str
    submitted_on: dt.date
    preferences: list[str] = []
    disability: bool = False


class ApplicationOut(Schema):
    id: int
    code: str
    household: str
    town: str
    applicant_name: str
    applicant_id_number: str
    submitted_on: dt.date
    status: str
    eligible: bool
    assessed_on: dt.date
    explanation: str
    priority: str | None
    score: int
    household_size: int
    migrant: bool
    refusals: int
    preferences: list[str]
    position: int | None
    reason: str


def _application(application, *, entry=None) -> dict:
    person = application.applicant
    return {
        "id": application.pk,
        "code": application.code,
        "household": application.household.key,
        "town": application.household.town_id,
        "applicant_name": publication.mask_name(person.name),
        "applicant_id_number": mask_id_number(person.id_number),
        "submitted_on": application.submitted_on,
        "status": application.status,
        "eligible": application.eligible,
        "assessed_on": application.assessed_on,
        "explanation": application.explanation.get(_lang(), {}).get("text", ""),
        "priority": application.priority or None,
        "score": application.score,
        "household_size": application.household_size,
        "migrant": application.migrant,
        "refusals": application.refusals,
        "preferences": [e.code for e in selectors.application_preferences(application)],
        "position": entry.position if entry else None,
        "reason": entry.reason if entry else "",
    }


@router.get("/applications", response=list[ApplicationOut], summary="Applications")
def application_list(request, status: str = "", town: str = ""):
    """List the applications in the caller's scope (names and ID numbers masked)."""
    permissions.require_reader(request.auth)
    rows = selectors.application_list(user=request.auth, status=status, town=town)
    return [_application(a) for a in rows[:1000]]


@router.get(
    "/applications/{application_id}", response=ApplicationOut, summary="One application"
)
def application_detail(request, application_id: int):
    """Return an application with its eligibility explanation and place on the list."""
    application = permissions.access_application(request.auth, application_id)
    return _application(application, entry=selectors.waiting_entry(application))


@router.post(
    "/applications", response={201: ApplicationOut}, summary="File an application"
)
def application_create(request, body: ApplicationIn):
    """File a household's application (housing department); assessed at once."""
    _decider(request.auth)
    # An application brings the household to the housing department: it reads
    # the household it files for. So it must name a member by ID number and
    # name together; a guessed number finds nothing (404, issue 10, finding 3).
    household = get_object_or_404(Household, key=body.household)
    applicant = selectors.household_member(
        household, body.applicant_id_number, body.applicant_name
    )
    if applicant is None:
        raise HttpError(
            404, _("No member of this household has this ID number and name.")
        )
    estates = {e.code: e for e in Estate.objects.filter(code__in=body.preferences)}
    unknown = [code for code in body.preferences if code not in estates]
    if unknown:
        raise HttpError(422, f"unknown estate {unknown[0]}")
    try:
        application = services.application_submit(
            household=household,
            applicant=applicant,
            submitted_on=body.submitted_on,
            preferences=[estates[code] for code in body.preferences],
            disability=body.disability,
            actor=request.auth,
            request=request,
        )
    except services.HousingError as error:
        raise HttpError(409, str(error)) from None
    return Status(
        201, _application(application, entry=selectors.waiting_entry(application))
    )


class WaitingOut(Schema):
    position: int
    tied: int
    application: str
    application_id: int
    town: str
    household_size: int
    priority: str | None
    score: int
    waiting_since: dt.date
    refusals: int
    reason: str


@router.get("/waiting-list", response=list[WaitingOut], summary="The waiting list")
def waiting_list(request):
    """Return the waiting list in the caller's scope, with city-wide positions."""
    permissions.require_reader(request.auth)
    return [
        {
            "position": e.position,
            "tied": e.tied,
            "application": e.application.code,
            "application_id": e.application.pk,
            "town": e.application.household.town_id,
            "household_size": e.application.household_size,
            "priority": e.application.priority or None,
            "score": e.application.score,
            "waiting_since": e.application.submitted_on,
            "refusals": e.application.refusals,
            "reason": e.reason,
        }
        for e in selectors.waiting_list(user=request.auth)
    ]


class EstateIn(Schema):
    code: str
    name: str
    town: str
    name_en: str = ""
    address: str = ""


class EstateOut(Schema):
    code: str
    name: str
    name_en: str
    town: str
    units: int
    available: int


# As the database holds them: larger values are a 422 (issue 10, finding 8).
FloorArea = decimal_number(max_digits=6, decimal_places=2)
MonthlyRent = decimal_number(max_digits=8, decimal_places=2)


class UnitIn(Schema):
    code: str
    estate: str
    floor_area_m2: FloorArea
    bedrooms: SMALL_COUNT
    rent_monthly: MonthlyRent
    suits_min: SMALL_COUNT
    suits_max: SMALL_COUNT
    accessible: bool = False


class UnitOut(Schema):
    code: str
    estate: str
    floor_area_m2: Decimal
    bedrooms: int
    rent_monthly: Decimal
    accessible: bool
    suits: list[int]
    status: str


def _unit(unit) -> dict:
    return {
        "code": unit.code,
        "estate": unit.estate.code,
        "floor_area_m2": unit.floor_area_m2,
        "bedrooms": unit.bedrooms,
        "rent_monthly": unit.rent_monthly,
        "accessible": unit.accessible,
        "suits": unit.suits,
        "status": unit.status,
    }


@router.get("/estates", response=list[EstateOut], summary="Estates")
def estate_list(request):
    """List the estates with their unit counts."""
    permissions.require_reader(request.auth)
    return [
        {
            "code": e.code,
            "name": e.name,
            "name_en": e.name_en,
            "town": e.town_id,
            "units": e.unit_count,
            "available": e.available_count,
        }
        for e in selectors.estate_list()
    ]


@router.post("/estates", response={201: EstateOut}, summary="Add an estate")
def estate_create(request, body: EstateIn):
    """Add an estate (housing department)."""
    _decider(request.auth)
    town = get_object_or_404(Town, code=body.town)
    try:
        estate = services.estate_create(
            code=body.code, name=body.name, town=town, name_en=body.name_en,
            address=body.address, actor=request.auth, request=request,
        )  # fmt: skip
    except ValidationError as error:
        raise HttpError(422, _error_text(error)) from None
    body = {
        "code": estate.code,
        "name": estate.name,
        "name_en": estate.name_en,
        "town": town.code,
        "units": 0,
        "available": 0,
    }
    return Status(201, body)


@router.get("/units", response=list[UnitOut], summary="Units")
def unit_list(request, estate: str = "", status: str = ""):
    """List the units, optionally of one estate or in one status."""
    permissions.require_reader(request.auth)
    return [_unit(u) for u in selectors.unit_list(estate=estate, status=status)]


@router.post("/units", response={201: UnitOut}, summary="Add a unit")
def unit_create(request, body: UnitIn):
    """Add a unit to an estate (housing department)."""
    _decider(request.auth)
    estate = get_object_or_404(Estate, code=body.estate)
    try:
        unit = services.unit_create(
            estate=estate, code=body.code, floor_area_m2=body.floor_area_m2,
            bedrooms=body.bedrooms, rent_monthly=body.rent_monthly,
            suits_min=body.suits_min, suits_max=body.suits_max,
            accessible=body.accessible, actor=request.auth, request=request,
        )  # fmt: skip
    except ValidationError as error:
        raise HttpError(422, _error_text(error)) from None
    return Status(201, _unit(unit))


def _error_text(error: Exception) -> str:
    messages = getattr(error, "message_dict", None)
    if messages:
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in sorted(messages.items()))
    return str(error)


class RoundOut(Schema):
    id: str
    title: str
    status: str
    as_of: dt.date
    ranking_version: str
    migrant_quota: int | None
    applicants: int
    units: int
    allocated: int
    list_sha256: str
    seed_commitment: str
    seed: str | None
    frozen_at: dt.datetime
    drawn_at: dt.datetime | None


def _round(round_) -> dict:
    return {
        "id": round_.id,
        "title": round_.title,
        "status": round_.status,
        "as_of": round_.as_of,
        "ranking_version": round_.ranking_version,
        "migrant_quota": round_.migrant_quota,
        "applicants": round_.applicants,
        "units": round_.units,
        "allocated": round_.allocated,
        "list_sha256": round_.list_sha256,
        "seed_commitment": round_.seed_commitment,
        "seed": round_.seed or None,
        "frozen_at": round_.frozen_at,
        "drawn_at": round_.drawn_at,
    }


class RoundIn(Schema):
    id: str
    title: str
    as_of: dt.date
    migrant_quota: COUNT | None = None
    plan_quota: bool | None = None
    ranking_version: str | None = None


@router.get("/rounds", response=list[RoundOut], auth=None, summary="Rounds (public)")
def round_list(request):
    """List every round with its published hashes; the seed once drawn."""
    return [_round(r) for r in selectors.round_list()]


@router.get("/rounds/{round_id}", response=RoundOut, auth=None, summary="One round")
def round_detail(request, round_id: str):
    """Return a round's published hashes, and its seed once drawn (public)."""
    return _round(selectors.round_get(round_id))


@router.get("/rounds/{round_id}/round.json", auth=None, summary="round.json")
def round_export(request, round_id: str):
    """Return the round.json of a drawn round, exactly as published (public)."""
    round_ = selectors.round_get(round_id)
    if round_.status != RoundStatus.DRAWN:
        raise HttpError(404, "the round has not been drawn yet")
    return HttpResponse(
        round_.round_json.encode("utf-8"),
        content_type="application/json; charset=utf-8",
    )


@router.post("/rounds", response={201: RoundOut}, summary="Freeze a round")
def round_freeze(request, body: RoundIn):
    """Freeze the eligible list and publish its hashes (housing department).

    Without `migrant_quota`, migrant households get what is left of the
    plan's yearly quota; `migrant_quota` (a whole number ≥ 0) sets the units
    instead, and `plan_quota: false` with no number means no quota. A negative
    quota, or a number with `plan_quota: true`, is refused (422), never
    stored as something else (issue 10, finding 13).
    """
    _decider(request.auth)
    quota = _quota(body)
    try:
        frozen = services.round_freeze(
            round_id=body.id, title=body.title, as_of=body.as_of, migrant_quota=quota,
            ranking_version=body.ranking_version, actor=request.auth, request=request,
        )  # fmt: skip
    except services.HousingError as error:
        raise HttpError(409, str(error)) from None
    except ValidationError as error:
        raise HttpError(422, _error_text(error)) from None
    return Status(201, _round(frozen))


def _quota(body: RoundIn) -> int | str | None:
    """Return the round's migrant quota as `round_freeze` takes it; 422 if unclear."""
    # A negative number never gets here (COUNT: 422 in the API's error format).
    if body.migrant_quota is not None and body.plan_quota:
        raise HttpError(
            422, _("Give either migrant_quota or plan_quota: true, not both.")
        )
    if body.migrant_quota is not None:
        return body.migrant_quota
    return None if body.plan_quota is False else "plan"


@router.post("/rounds/{round_id}/draw", response=RoundOut, summary="Draw a round")
def round_draw(request, round_id: str):
    """Reveal the seed and draw the frozen round (housing department)."""
    _decider(request.auth)
    selectors.round_get(round_id)
    try:
        drawn = services.round_draw(round_id=round_id, actor=request.auth)
    except services.HousingError as error:
        raise HttpError(409, str(error)) from None
    return _round(drawn)


class OfferOut(Schema):
    id: int
    round: str
    application: str
    application_id: int
    unit: str
    estate: str
    rank: int
    status: str
    version: int
    answered_at: dt.datetime | None
    answered_by: str | None


def _offer(offer) -> dict:
    return {
        "id": offer.pk,
        "round": offer.round_id,
        "application": offer.application.code,
        "application_id": offer.application_id,
        "unit": offer.unit.code,
        "estate": offer.unit.estate.code,
        "rank": offer.rank,
        "status": offer.status,
        "version": offer.version,
        "answered_at": offer.answered_at,
        "answered_by": offer.answered_by.get_username() if offer.answered_by else None,
    }


class OfferFilters(Schema):
    round: str = ""
    status: str = ""


@router.get("/offers", response=list[OfferOut], summary="Offers")
def offer_list(request, filters: Query[OfferFilters]):
    """List the offers in the caller's scope."""
    permissions.require_reader(request.auth)
    offers = selectors.offer_list(
        user=request.auth, round_id=filters.round, status=filters.status
    ).select_related("answered_by")
    return [_offer(o) for o in offers]


class AnswerIn(Schema):
    answer: str
    version: COUNT


class ConflictOut(ApiError):
    """The API's error; it adds the offer as answered first."""

    offer: OfferOut


@router.post(
    "/offers/{offer_id}/answer",
    response={200: OfferOut, 409: ConflictOut},
    summary="Record the answer to an offer",
)
def offer_answer(request, offer_id: int, body: AnswerIn):
    """Record acceptance or refusal given at `version` (housing department).

    409 when the offer was answered since: the body names the answer recorded.
    """
    offer = permissions.access_offer(request.auth, offer_id)
    _decider(request.auth)
    try:
        offer = services.offer_answer(
            offer_id=offer.pk, answer=body.answer, version=body.version,
            actor=request.auth, request=request,
        )  # fmt: skip
    except services.OfferConflict as conflict:
        return Status(
            409,
            {"detail": str(conflict), "errors": [], "offer": _offer(conflict.offer)},
        )
    except services.HousingError as error:
        raise HttpError(422, str(error)) from None
    return _offer(offer)
