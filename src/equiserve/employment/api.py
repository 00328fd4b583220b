"""`/api/v1/employment/...`: job seekers, vacancies, referrals and the rate (3.7).

Bearer token and the same scope as the pages (`employment.permissions`): a
record outside it is a 404, exactly like one that does not exist; a reader who
may not write gets a 403.
"""

import datetime as dt
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from equiserve.accounts.api import BearerAuth
from equiserve.accounts.scope import access_town, visible_towns
from equiserve.api_inputs import SMALL_COUNT, decimal_number
from equiserve.employment import exports, permissions, selectors, services
from equiserve.employment.models import Outcome
from equiserve.monitoring.periods import PERIOD_IDS, period_get
from equiserve.registry.privacy import mask_id_number

router = Router(tags=["employment"], auth=BearerAuth())
MONEY = decimal_number(10, 2)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


class RegistrationIn(Schema):
    id_number: str
    registered_on: dt.date
    occupation: str
    wage_min: MONEY
    skills: str = ""


class RegistrationOut(Schema):
    id: int
    name: str
    id_number: str
    town: str
    registered_on: dt.date
    occupation: str
    wage_min: str
    ended_on: dt.date | None
    end_reason: str


class VacancyIn(Schema):
    employer: str
    title: str
    occupation: str
    town: str
    wage: MONEY
    hours_per_week: SMALL_COUNT
    positions: SMALL_COUNT = 1
    posted_on: dt.date
    skills: str = ""


class VacancyOut(Schema):
    id: int
    employer: str
    title: str
    occupation: str
    town: str
    wage: str
    hours_per_week: int
    positions: int
    posted_on: dt.date
    closed_on: dt.date | None


class ReferralIn(Schema):
    registration: int
    vacancy: int
    referred_on: dt.date


class OutcomeIn(Schema):
    outcome: str
    outcome_on: dt.date


class ReferralOut(Schema):
    id: int
    registration: int
    vacancy: int
    referred_on: dt.date
    outcome: str
    outcome_on: dt.date | None


class RateOut(Schema):
    rate: str | None
    unemployed: int
    employed: int
    labour_force: int


class RatesOut(Schema):
    period: str
    city: RateOut | None
    towns: dict[str, RateOut]


def _registration(r) -> dict:
    return {
        "id": r.pk,
        "name": r.person.name,
        "id_number": mask_id_number(r.person.id_number),
        "town": r.town_id,
        "registered_on": r.registered_on,
        "occupation": r.occupation,
        "wage_min": str(r.wage_min),
        "ended_on": r.ended_on,
        "end_reason": r.end_reason,
    }


def _vacancy(v) -> dict:
    return {
        "id": v.pk,
        "employer": v.employer,
        "title": v.title,
        "occupation": v.occupation,
        "town": v.town_id,
        "wage": str(v.wage),
        "hours_per_week": v.hours_per_week,
        "positions": v.positions,
        "posted_on": v.posted_on,
        "closed_on": v.closed_on,
    }


def _referral(r) -> dict:
    return {
        "id": r.pk,
        "registration": r.registration_id,
        "vacancy": r.vacancy_id,
        "referred_on": r.referred_on,
        "outcome": r.outcome,
        "outcome_on": r.outcome_on,
    }


def _rate(row: dict) -> dict:
    return {**row, "rate": None if row["rate"] is None else str(row["rate"])}


@router.get("/seekers", response=list[RegistrationOut], summary="Job seekers")
def seeker_list(request, open_only: bool = False):
    """List the unemployment registrations in the caller's scope (ID numbers masked)."""
    permissions.require_reader(request.auth)
    rows = permissions.registration_list_for(request.auth).order_by("pk")
    if open_only:
        rows = rows.filter(ended_on__isnull=True)
    return [_registration(r) for r in rows[:1000]]


@router.get("/seekers.xlsx", summary="Job seekers as XLSX")
def seeker_export(request):
    """Return the registrations in the caller's scope as a workbook (writers only)."""
    permissions.require_reader(request.auth)
    if not permissions.exports_named(request.auth):
        raise HttpError(403, "the office and auditors export no named lists")
    content = exports.registrations_xlsx(
        permissions.registration_list_for(request.auth)
    )
    return HttpResponse(content, content_type=XLSX)


@router.get(
    "/seekers/{registration_id}", response=RegistrationOut, summary="One job seeker"
)
def seeker_detail(request, registration_id: int):
    return _registration(permissions.access_registration(request.auth, registration_id))


@router.post(
    "/seekers", response={201: RegistrationOut}, summary="Register a job seeker"
)
def seeker_create(request, body: RegistrationIn):
    """Register a resident of the caller's towns as unemployed (失业登记)."""
    permissions.require_writer(request.auth)
    person = permissions.access_person(request.auth, body.id_number)
    try:
        registration = services.seeker_register(
            person=person,
            registered_on=body.registered_on,
            occupation=body.occupation,
            wage_min=body.wage_min,
            skills=body.skills,
            actor=request.auth,
            request=request,
        )
    except ValidationError as error:
        raise HttpError(422, _error_text(error)) from None
    return Status(201, _registration(registration))


@router.get("/vacancies", response=list[VacancyOut], summary="Vacancies")
def vacancy_list(request, open_only: bool = False):
    permissions.require_reader(request.auth)
    rows = permissions.vacancy_list_for(request.auth).order_by("pk")
    if open_only:
        rows = rows.filter(closed_on__isnull=True)
    return [_vacancy(v) for v in rows[:1000]]


@router.get("/vacancies.xlsx", summary="Vacancies as XLSX")
def vacancy_export(request):
    permissions.require_reader(request.auth)
    content = exports.vacancies_xlsx(permissions.vacancy_list_for(request.auth))
    return HttpResponse(content, content_type=XLSX)


@router.get("/vacancies/{vacancy_id}", response=VacancyOut, summary="One vacancy")
def vacancy_detail(request, vacancy_id: int):
    return _vacancy(permissions.access_vacancy(request.auth, vacancy_id))


@router.post("/vacancies", response={201: VacancyOut}, summary="Post a vacancy")
def vacancy_create(request, body: VacancyIn):
    permissions.require_writer(request.auth)
    town = access_town(request.auth, body.town)
    try:
        vacancy = services.vacancy_post(
            **body.dict(exclude={"town"}),
            town=town,
            actor=request.auth,
            request=request,
        )
    except ValidationError as error:
        raise HttpError(422, _error_text(error)) from None
    return Status(201, _vacancy(vacancy))


@router.get("/referrals", response=list[ReferralOut], summary="Referrals")
def referral_list(request):
    permissions.require_reader(request.auth)
    rows = permissions.referral_list_for(request.auth).order_by("pk")
    return [_referral(r) for r in rows[:1000]]


@router.post("/referrals", response={201: ReferralOut}, summary="Refer a job seeker")
def referral_create(request, body: ReferralIn):
    """Refer a registered job seeker to a vacancy, both in the caller's scope."""
    registration = permissions.access_registration(request.auth, body.registration)
    vacancy = permissions.access_vacancy(request.auth, body.vacancy)
    permissions.require_writer(request.auth)
    try:
        referral = services.referral_make(
            registration=registration,
            vacancy=vacancy,
            referred_on=body.referred_on,
            actor=request.auth,
            request=request,
        )
    except ValidationError as error:
        raise HttpError(422, _error_text(error)) from None
    return Status(201, _referral(referral))


@router.post(
    "/referrals/{referral_id}/outcome",
    response=ReferralOut,
    summary="Record an outcome",
)
def referral_outcome(request, referral_id: int, body: OutcomeIn):
    """Record a referral's outcome (hired, declined); a hire ends the registration."""
    referral = permissions.access_referral(request.auth, referral_id)
    permissions.require_writer(request.auth)
    if body.outcome not in (Outcome.HIRED, Outcome.DECLINED):
        raise HttpError(422, "outcome must be hired or declined")
    try:
        referral = services.referral_outcome_record(
            referral=referral,
            outcome=body.outcome,
            outcome_on=body.outcome_on,
            actor=request.auth,
            request=request,
        )
    except ValidationError as error:
        raise HttpError(422, _error_text(error)) from None
    return _referral(referral)


@router.get("/rate", response=RatesOut, summary="Registered urban unemployment rate")
def rate(request, period: Literal[PERIOD_IDS]):
    """Return the rate (%) on the half-year's last day, by town in the caller's scope.

    The city's figure is given to callers who see the whole city only.
    """
    permissions.require_reader(request.auth)
    found = period_get(period)
    towns = visible_towns(request.auth)
    rates = selectors.rates_on(found.end, towns)
    return {
        "period": found.id,
        "city": _rate(rates["city"]) if towns is None else None,
        "towns": {code: _rate(row) for code, row in rates["towns"].items()},
    }
