"""`/api/v1/employment/...`: job seekers, vacancies, referrals, the rate, training
bought by its results and start-up support (3.7).

Bearer token and the same scope as the pages (`employment.permissions`): a
record outside it is a 404, exactly like one that does not exist; a reader who
may not write gets a 403.
"""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from equiserve.accounts.api import BearerAuth
from equiserve.accounts.scope import access_town, visible_towns
from equiserve.api_errors import ApiError
from equiserve.api_inputs import RECORD_ID, SMALL_COUNT, decimal_number
from equiserve.employment import exports, permissions, selectors, services
from equiserve.employment.models import Outcome, RepaymentMethod
from equiserve.monitoring.periods import PERIOD_IDS, period_get
from equiserve.registry.privacy import mask_id_number

router = Router(tags=["employment"], auth=BearerAuth())
MONEY = decimal_number(10, 2)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# The model's lengths, stated in the document so that callers keep to them.
OCCUPATION = Annotated[str, Field(min_length=1, max_length=8)]
NAME_TEXT = Annotated[str, Field(min_length=1, max_length=100)]
SKILLS = Annotated[str, Field(max_length=200)]
# The model's check (at least one position), stated where callers read it.
POSITIONS = Annotated[int, Field(ge=1, le=32767)]


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _write(service, **arguments):
    """Call a service; its refusal is a 422 with the message in the caller's language."""
    try:
        return service(**arguments)
    except ValidationError as error:
        raise HttpError(422, _error_text(error)) from None


class RegistrationIn(Schema):
    id_number: str
    registered_on: dt.date
    occupation: OCCUPATION
    wage_min: MONEY
    skills: SKILLS = ""


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
    employer: NAME_TEXT
    title: NAME_TEXT
    occupation: OCCUPATION
    town: str
    wage: MONEY
    hours_per_week: SMALL_COUNT
    positions: POSITIONS = 1
    posted_on: dt.date
    skills: SKILLS = ""


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


# Training bought by its results (issue 15, deliverable 3).


class TrainingProviderIn(Schema):
    name: str
    town: str
    approved_on: dt.date
    approval_ends: dt.date | None = None


class TrainingProviderOut(Schema):
    id: int
    name: str
    town: str
    approved_on: dt.date
    approval_ends: dt.date | None


class TrainingCourseIn(Schema):
    provider: int
    title: NAME_TEXT
    occupation: OCCUPATION
    starts_on: dt.date
    ends_on: dt.date
    places: SMALL_COUNT


class TrainingCourseOut(Schema):
    id: int
    provider: int
    title: str
    occupation: str
    starts_on: dt.date
    ends_on: dt.date
    places: int


class EnrolmentIn(Schema):
    id_number: str
    course: int
    enrolled_on: dt.date


class CertifyIn(Schema):
    completed_on: dt.date
    certificate_number: str
    certified_on: dt.date


class EnrolmentOut(Schema):
    id: int
    name: str
    id_number: str
    town: str
    course: int
    provider: str
    enrolled_on: dt.date
    completed_on: dt.date | None
    certificate_number: str
    certified_on: dt.date | None
    paid: str | None
    paid_on: dt.date | None


class TrainingPayIn(Schema):
    paid_on: dt.date


class TrainingPaymentOut(Schema):
    id: int
    enrolment: int
    provider: str
    town: str
    amount: str
    paid_on: dt.date


def _provider(p) -> dict:
    return {
        "id": p.pk,
        "name": p.name,
        "town": p.town_id,
        "approved_on": p.approved_on,
        "approval_ends": p.approval_ends,
    }


def _course(c) -> dict:
    return {
        "id": c.pk,
        "provider": c.provider_id,
        "title": c.title,
        "occupation": c.occupation,
        "starts_on": c.starts_on,
        "ends_on": c.ends_on,
        "places": c.places,
    }


def _enrolment(e) -> dict:
    payment = getattr(e, "payment", None)
    return {
        "id": e.pk,
        "name": e.person.name,
        "id_number": mask_id_number(e.person.id_number),
        "town": e.town_id,
        "course": e.course_id,
        "provider": e.course.provider.name,
        "enrolled_on": e.enrolled_on,
        "completed_on": e.completed_on,
        "certificate_number": e.certificate_number,
        "certified_on": e.certified_on,
        "paid": None if payment is None else str(payment.amount),
        "paid_on": None if payment is None else payment.paid_on,
    }


def _payment(p) -> dict:
    return {
        "id": p.pk,
        "enrolment": p.enrolment_id,
        "provider": p.provider.name,
        "town": p.town_id,
        "amount": str(p.amount),
        "paid_on": p.paid_on,
    }


@router.get(
    "/training/providers",
    response=list[TrainingProviderOut],
    summary="Training providers",
)
def provider_list(request):
    permissions.require_reader(request.auth)
    return [_provider(p) for p in permissions.provider_list_for(request.auth)[:1000]]


@router.post(
    "/training/providers",
    response={201: TrainingProviderOut},
    summary="Designate a training provider",
)
def provider_create(request, body: TrainingProviderIn):
    """Designate a training provider (定点培训机构); the bureau only."""
    permissions.require_bureau(request.auth)
    town = access_town(request.auth, body.town)
    provider = _write(
        services.training_provider_approve,
        **body.dict(exclude={"town"}),
        town=town,
        actor=request.auth,
        request=request,
    )
    return Status(201, _provider(provider))


@router.get(
    "/training/courses", response=list[TrainingCourseOut], summary="Training courses"
)
def course_list(request):
    permissions.require_reader(request.auth)
    rows = permissions.course_list_for(request.auth).order_by("pk")
    return [_course(c) for c in rows[:1000]]


@router.post(
    "/training/courses",
    response={201: TrainingCourseOut},
    summary="Add a training course",
)
def course_create(request, body: TrainingCourseIn):
    """Add a designated provider's course; the bureau only."""
    permissions.require_bureau(request.auth)
    provider = permissions.access_provider(request.auth, body.provider)
    course = _write(
        services.training_course_add,
        **body.dict(exclude={"provider"}),
        provider=provider,
        actor=request.auth,
        request=request,
    )
    return Status(201, _course(course))


@router.post(
    "/training/courses/{course_id}/pay",
    response=list[TrainingPaymentOut],
    summary="Pay a provider for a course's certified completers",
)
def course_pay(request, course_id: int, body: TrainingPayIn):
    """Pay the provider once for each certified completer not yet paid for."""
    course = permissions.access_course(request.auth, course_id)
    permissions.require_bureau(request.auth)
    payments = _write(
        services.training_course_pay,
        course=course,
        paid_on=body.paid_on,
        actor=request.auth,
        request=request,
    )
    return [_payment(p) for p in payments]


@router.get("/training/enrolments", response=list[EnrolmentOut], summary="Enrolments")
def enrolment_list(request, course: RECORD_ID | None = None):
    """List the enrolments of residents in the caller's scope (ID numbers masked)."""
    permissions.require_reader(request.auth)
    rows = permissions.enrolment_list_for(request.auth).order_by("pk")
    if course is not None:
        rows = rows.filter(course_id=course)
    return [_enrolment(e) for e in rows[:1000]]


@router.get(
    "/training/enrolments/{enrolment_id}",
    response=EnrolmentOut,
    summary="One enrolment",
)
def enrolment_detail(request, enrolment_id: int):
    return _enrolment(permissions.access_enrolment(request.auth, enrolment_id))


@router.post(
    "/training/enrolments", response={201: EnrolmentOut}, summary="Enrol a resident"
)
def enrolment_create(request, body: EnrolmentIn):
    """Enrol a resident of the caller's towns on a course."""
    permissions.require_writer(request.auth)
    person = permissions.access_person(request.auth, body.id_number)
    course = permissions.access_course(request.auth, body.course)
    enrolment = _write(
        services.enrolment_make,
        course=course,
        person=person,
        enrolled_on=body.enrolled_on,
        actor=request.auth,
        request=request,
    )
    return Status(201, _enrolment(enrolment))


@router.post(
    "/training/enrolments/{enrolment_id}/certify",
    response={200: EnrolmentOut, 409: ApiError},
    summary="Record a completion and its certificate",
)
def enrolment_certify(request, enrolment_id: int, body: CertifyIn):
    enrolment = permissions.access_enrolment(request.auth, enrolment_id)
    permissions.require_writer(request.auth)
    if enrolment.certified_on is not None:
        # A second certificate conflicts with the recorded one; not a bad body.
        raise HttpError(409, _("This enrolment is certified already."))
    enrolment = _write(
        services.enrolment_certify,
        enrolment=enrolment,
        **body.dict(),
        actor=request.auth,
        request=request,
    )
    return _enrolment(enrolment)


@router.get(
    "/training/payments",
    response=list[TrainingPaymentOut],
    summary="The training ledger",
)
def payment_list(request):
    """List the payments for completers in the caller's scope (the ledger)."""
    permissions.require_reader(request.auth)
    rows = permissions.payment_list_for(request.auth).order_by("pk")
    return [_payment(p) for p in rows[:1000]]


@router.get("/training/ledger.xlsx", summary="The training ledger as XLSX")
def ledger_export(request):
    """Return the training ledger in the caller's scope as a workbook (writers only)."""
    permissions.require_reader(request.auth)
    if not permissions.exports_named(request.auth):
        raise HttpError(403, "the office and auditors export no named lists")
    content = exports.training_ledger_xlsx(permissions.payment_list_for(request.auth))
    return HttpResponse(content, content_type=XLSX)


# Start-up support (issue 15, deliverable 4).


class IncubationBaseIn(Schema):
    name: str
    town: str
    opened_on: dt.date
    places: SMALL_COUNT


class IncubationBaseOut(Schema):
    id: int
    name: str
    town: str
    opened_on: dt.date
    places: int


class StartupSubsidyIn(Schema):
    id_number: str
    business: str
    granted_on: dt.date
    base: int | None = None


class StartupSubsidyOut(Schema):
    id: int
    name: str
    id_number: str
    town: str
    business: str
    base: int | None
    amount: str
    granted_on: dt.date


class GuaranteedLoanIn(Schema):
    id_number: str
    business: str
    principal: MONEY
    annual_rate: decimal_number(6, 5)
    months: SMALL_COUNT
    method: Literal["equal_principal", "annuity"] = RepaymentMethod.EQUAL_PRINCIPAL
    granted_on: dt.date
    base: int | None = None


class LoanInstalmentOut(Schema):
    number: int
    due_on: dt.date
    outstanding: str
    principal: str
    interest: str
    subsidy: str


class GuaranteedLoanOut(Schema):
    id: int
    name: str
    id_number: str
    town: str
    business: str
    base: int | None
    principal: str
    annual_rate: str
    months: int
    method: str
    granted_on: dt.date
    interest: str
    subsidy: str
    instalments: list[LoanInstalmentOut]


def _base(b) -> dict:
    return {
        "id": b.pk,
        "name": b.name,
        "town": b.town_id,
        "opened_on": b.opened_on,
        "places": b.places,
    }


def _subsidy(s) -> dict:
    return {
        "id": s.pk,
        "name": s.person.name,
        "id_number": mask_id_number(s.person.id_number),
        "town": s.town_id,
        "business": s.business,
        "base": s.base_id,
        "amount": str(s.amount),
        "granted_on": s.granted_on,
    }


def _loan(loan) -> dict:
    instalments = list(loan.instalments.all())  # ordered by number (Meta)
    return {
        "id": loan.pk,
        "name": loan.person.name,
        "id_number": mask_id_number(loan.person.id_number),
        "town": loan.town_id,
        "business": loan.business,
        "base": loan.base_id,
        "principal": str(loan.principal),
        "annual_rate": str(loan.annual_rate),
        "months": loan.months,
        "method": loan.method,
        "granted_on": loan.granted_on,
        "interest": str(sum((i.interest for i in instalments), Decimal("0.00"))),
        "subsidy": str(sum((i.subsidy for i in instalments), Decimal("0.00"))),
        "instalments": [
            {
                "number": i.number,
                "due_on": i.due_on,
                "outstanding": str(i.outstanding),
                "principal": str(i.principal),
                "interest": str(i.interest),
                "subsidy": str(i.subsidy),
            }
            for i in instalments
        ],
    }


def _base_for(request, pk: int | None):
    return None if pk is None else permissions.access_base(request.auth, pk)


@router.get(
    "/startups/bases", response=list[IncubationBaseOut], summary="Incubation bases"
)
def base_list(request):
    permissions.require_reader(request.auth)
    return [_base(b) for b in permissions.base_list_for(request.auth)[:1000]]


@router.post(
    "/startups/bases",
    response={201: IncubationBaseOut},
    summary="Record an incubation base",
)
def base_create(request, body: IncubationBaseIn):
    """Record an incubation base (创业孵化基地) in one of the caller's towns."""
    permissions.require_writer(request.auth)
    town = access_town(request.auth, body.town)
    base = _write(
        services.incubation_base_add,
        **body.dict(exclude={"town"}),
        town=town,
        actor=request.auth,
        request=request,
    )
    return Status(201, _base(base))


@router.get(
    "/startups/subsidies",
    response=list[StartupSubsidyOut],
    summary="Start-up subsidies",
)
def subsidy_list(request):
    permissions.require_reader(request.auth)
    rows = permissions.subsidy_list_for(request.auth).order_by("pk")
    return [_subsidy(s) for s in rows[:1000]]


@router.post(
    "/startups/subsidies",
    response={201: StartupSubsidyOut},
    summary="Grant a start-up subsidy",
)
def subsidy_create(request, body: StartupSubsidyIn):
    """Grant a resident of the caller's towns the one-off start-up subsidy."""
    permissions.require_writer(request.auth)
    person = permissions.access_person(request.auth, body.id_number)
    subsidy = _write(
        services.startup_subsidy_grant,
        person=person,
        business=body.business,
        granted_on=body.granted_on,
        base=_base_for(request, body.base),
        actor=request.auth,
        request=request,
    )
    return Status(201, _subsidy(subsidy))


@router.get(
    "/startups/loans", response=list[GuaranteedLoanOut], summary="Guaranteed loans"
)
def loan_list(request):
    """List the guaranteed loans of residents in the caller's scope, with schedules."""
    permissions.require_reader(request.auth)
    rows = permissions.loan_list_for(request.auth).order_by("pk")
    return [_loan(loan) for loan in rows.prefetch_related("instalments")[:200]]


@router.get(
    "/startups/loans/{loan_id}",
    response=GuaranteedLoanOut,
    summary="One guaranteed loan",
)
def loan_detail(request, loan_id: int):
    return _loan(permissions.access_loan(request.auth, loan_id))


@router.post(
    "/startups/loans",
    response={201: GuaranteedLoanOut},
    summary="Record a small guaranteed loan and its interest subsidy",
)
def loan_create(request, body: GuaranteedLoanIn):
    """Record a loan; above the limit in force on its grant day it is refused (422)."""
    permissions.require_writer(request.auth)
    person = permissions.access_person(request.auth, body.id_number)
    loan = _write(
        services.loan_grant,
        **body.dict(exclude={"id_number", "base"}),
        person=person,
        base=_base_for(request, body.base),
        actor=request.auth,
        request=request,
    )
    return Status(201, _loan(loan))
