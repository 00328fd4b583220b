"""Writes to the labour register (3.7): statuses, registrations, vacancies, referrals;
training bought by its results and start-up support (issue 15, deliverables 3–4).

Each service is atomic, validates before saving, writes one audit entry per
change and marks the monitoring values the change can move (issue 15: the
unemployment rate and the full-employment communities are counted from here).
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from equiserve.audit.models import AuditEntry
from equiserve.audit.services import audit_record
from equiserve.employment import rules
from equiserve.employment.models import (
    EndReason,
    Enrolment,
    GuaranteedLoan,
    IncubationBase,
    LabourStatus,
    LoanInstalment,
    Outcome,
    Referral,
    Registration,
    StartupSubsidy,
    Status,
    StatusSource,
    TrainingCourse,
    TrainingPayment,
    TrainingProvider,
    Vacancy,
)
from equiserve.geography.models import Town
from equiserve.registry.models import Person
from equiserve.rules.plan_gateway import parameter_on

REGISTRATION, VACANCY, REFERRAL, STATUS = (
    "employment.registration",
    "employment.vacancy",
    "employment.referral",
    "employment.status",
)
# The status a registration's end leaves the person in (moved: off the register).
STATUS_AFTER = {
    EndReason.REEMPLOYED: Status.EMPLOYED,
    EndReason.LEFT: Status.INACTIVE,
    EndReason.MOVED: None,
}


def _mark_stale(town_code: str, day: dt.date) -> None:
    """Mark the 3.7 indicators of the town (and city) from the period of `day` on."""

    def mark():
        from equiserve.monitoring import stored

        stored.values_mark_stale(
            stored.EMPLOYMENT, towns=[town_code], periods=stored.periods_from(day)
        )

    transaction.on_commit(mark)


def _record(actor, action, kind, pk, town_code, summary, request, stale_from=None):
    """Write the change's audit entry; mark the 3.7 indicators it can move."""
    audit_record(
        actor=actor,
        action=action,
        object_type=kind,
        object_id=pk,
        town_code=town_code,
        summary=summary,
        request=request,
    )
    if stale_from is not None:
        _mark_stale(town_code, stale_from)


def _status_change(*, person: Person, status: str | None, since: dt.date, source: str):
    """Close the person's open status the day before `since`; open `status` from it."""
    current = person.labour_statuses.filter(until__isnull=True).first()
    if current is not None:
        if current.since >= since:
            raise ValidationError(
                _("The new status must start after the current one (%(day)s).")
                % {"day": current.since}
            )
        current.until = since - dt.timedelta(days=1)
        current.full_clean()
        current.save(update_fields=["until"])
    if status is None:
        return None
    record = LabourStatus(person=person, status=status, since=since, source=source)
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def status_record(
    *, person: Person, status: str, since: dt.date, source: str, actor, request=None
) -> LabourStatus:
    """Record a person's employment status from `since` (employed or not in the labour force)."""
    if status == Status.UNEMPLOYED:
        raise ValidationError(_("Unemployment is recorded by registering the person."))
    if person.unemployment_registrations.filter(ended_on__isnull=True).exists():
        raise ValidationError(_("End the person's unemployment registration first."))
    record = _status_change(person=person, status=status, since=since, source=source)
    _record(
        actor,
        AuditEntry.Action.CREATE,
        STATUS,
        record.pk,
        person.town_id,
        f"status {status} from {since}",
        request,
        stale_from=since,
    )
    return record


@transaction.atomic
def seeker_register(
    *,
    person: Person,
    registered_on: dt.date,
    occupation: str,
    wage_min: Decimal,
    skills: str = "",
    actor,
    request=None,
) -> Registration:
    """Register a person as unemployed (失业登记) at their town's labour station."""
    if person.unemployment_registrations.filter(ended_on__isnull=True).exists():
        raise ValidationError(_("This person is already registered as unemployed."))
    registration = Registration(
        person=person,
        town_id=person.town_id,
        registered_on=registered_on,
        occupation=occupation,
        wage_min=wage_min,
        skills=skills.strip(),
    )
    registration.full_clean()
    registration.save()
    _status_change(
        person=person,
        status=Status.UNEMPLOYED,
        since=registered_on,
        source=StatusSource.WINDOW,
    )
    _record(
        actor,
        AuditEntry.Action.CREATE,
        REGISTRATION,
        registration.pk,
        registration.town_id,
        f"unemployment registration {registration.pk} from {registered_on}",
        request,
        stale_from=registered_on,
    )
    return registration


@transaction.atomic
def registration_end(
    *,
    registration: Registration,
    ended_on: dt.date,
    reason: str,
    actor,
    source: str = StatusSource.WINDOW,
    request=None,
) -> Registration:
    """End a registration (re-employed, left, moved) and record the status it leaves."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.ended_on is not None:
        raise ValidationError(_("This registration has already ended."))
    if ended_on <= registration.registered_on:
        raise ValidationError(_("A registration ends after the day it began."))
    registration.ended_on = ended_on
    registration.end_reason = reason
    registration.full_clean()
    registration.save(update_fields=["ended_on", "end_reason"])
    _status_change(
        person=registration.person,
        status=STATUS_AFTER[EndReason(reason)],
        since=ended_on,
        source=source,
    )
    _record(
        actor,
        AuditEntry.Action.UPDATE,
        REGISTRATION,
        registration.pk,
        registration.town_id,
        f"registration ended {ended_on}: {reason}",
        request,
        stale_from=ended_on,
    )
    return registration


@transaction.atomic
def vacancy_post(
    *,
    employer: str,
    title: str,
    occupation: str,
    town: Town,
    wage: Decimal,
    hours_per_week: int,
    posted_on: dt.date,
    positions: int = 1,
    skills: str = "",
    actor,
    request=None,
) -> Vacancy:
    """Post an employer's vacancy at a town's labour station."""
    vacancy = Vacancy(
        employer=employer,
        title=title,
        occupation=occupation,
        town=town,
        wage=wage,
        hours_per_week=hours_per_week,
        posted_on=posted_on,
        positions=positions,
        skills=skills.strip(),
    )
    vacancy.full_clean()
    vacancy.save()
    _record(
        actor,
        AuditEntry.Action.CREATE,
        VACANCY,
        vacancy.pk,
        town.code,
        f"vacancy {vacancy.pk} {employer}: {title}",
        request,
    )
    return vacancy


@transaction.atomic
def referral_make(
    *,
    registration: Registration,
    vacancy: Vacancy,
    referred_on: dt.date,
    actor,
    request=None,
) -> Referral:
    """Refer a registered job seeker to an open vacancy."""
    if registration.ended_on is not None:
        raise ValidationError(_("This registration has ended."))
    if vacancy.closed_on is not None:
        raise ValidationError(_("This vacancy is closed."))
    if registration.referrals.filter(vacancy=vacancy).exists():
        raise ValidationError(_("This job seeker has been referred to it already."))
    referral = Referral(
        registration=registration, vacancy=vacancy, referred_on=referred_on
    )
    referral.full_clean()
    referral.save()
    _record(
        actor,
        AuditEntry.Action.CREATE,
        REFERRAL,
        referral.pk,
        registration.town_id,
        f"referral of registration {registration.pk} to vacancy {vacancy.pk}",
        request,
    )
    return referral


@transaction.atomic
def referral_outcome_record(
    *, referral: Referral, outcome: str, outcome_on: dt.date, actor, request=None
) -> Referral:
    """Record a referral's outcome; a hire ends the registration (re-employed)."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.outcome != Outcome.PENDING:
        raise ValidationError(_("This referral's outcome is already recorded."))
    if outcome == Outcome.PENDING or outcome_on < referral.referred_on:
        raise ValidationError(_("Record a hire or a refusal on or after the referral."))
    referral.outcome = outcome
    referral.outcome_on = outcome_on
    referral.full_clean()
    referral.save(update_fields=["outcome", "outcome_on"])
    _record(
        actor,
        AuditEntry.Action.DECIDE,
        REFERRAL,
        referral.pk,
        referral.registration.town_id,
        f"referral {referral.pk}: {outcome} on {outcome_on}",
        request,
    )
    if outcome == Outcome.HIRED:
        registration_end(
            registration=referral.registration,
            ended_on=max(
                outcome_on, referral.registration.registered_on + dt.timedelta(1)
            ),
            reason=EndReason.REEMPLOYED,
            source=StatusSource.REFERRAL,
            actor=actor,
            request=request,
        )
        vacancy = referral.vacancy
        hired = vacancy.referrals.filter(outcome=Outcome.HIRED).count()
        if hired >= vacancy.positions:
            vacancy.closed_on = outcome_on
            vacancy.save(update_fields=["closed_on"])
    return referral


# Training bought by its results (政府购买培训成果) and start-up support (3.7).
PROVIDER, COURSE, ENROLMENT, PAYMENT = (
    "employment.training_provider",
    "employment.training_course",
    "employment.enrolment",
    "employment.training_payment",
)
BASE, SUBSIDY, LOAN = (
    "employment.incubation_base",
    "employment.startup_subsidy",
    "employment.guaranteed_loan",
)


def _yuan(name: str, day: dt.date) -> Decimal:
    """Return a plan amount in force on `day` as Decimal yuan (refused if none)."""
    value = parameter_on(name, day)
    if value is None:
        raise ValidationError(_("The plan sets no amount on %(day)s.") % {"day": day})
    return Decimal(str(value)).quantize(rules.FEN)


@transaction.atomic
def training_provider_approve(
    *,
    name: str,
    town: Town,
    approved_on: dt.date,
    approval_ends: dt.date | None = None,
    actor,
    request=None,
) -> TrainingProvider:
    """Designate a training provider (定点培训机构) from `approved_on`."""
    provider = TrainingProvider(
        name=name.strip(),
        town=town,
        approved_on=approved_on,
        approval_ends=approval_ends,
    )
    provider.full_clean()
    provider.save()
    _record(
        actor,
        AuditEntry.Action.CREATE,
        PROVIDER,
        provider.pk,
        town.code,
        f"training provider {provider.pk} approved from {approved_on}",
        request,
    )
    return provider


@transaction.atomic
def training_course_add(
    *,
    provider: TrainingProvider,
    title: str,
    occupation: str,
    starts_on: dt.date,
    ends_on: dt.date,
    places: int,
    actor,
    request=None,
) -> TrainingCourse:
    """Add a course a designated provider runs towards a vocational certificate."""
    if not provider.approved(starts_on):
        raise ValidationError(
            _("The provider is not designated when the course starts.")
        )
    course = TrainingCourse(
        provider=provider,
        title=title.strip(),
        occupation=occupation,
        starts_on=starts_on,
        ends_on=ends_on,
        places=places,
    )
    course.full_clean()
    course.save()
    _record(
        actor,
        AuditEntry.Action.CREATE,
        COURSE,
        course.pk,
        provider.town_id,
        f"training course {course.pk} of provider {provider.pk}",
        request,
    )
    return course


@transaction.atomic
def enrolment_make(
    *,
    course: TrainingCourse,
    person: Person,
    enrolled_on: dt.date,
    actor,
    request=None,
) -> Enrolment:
    """Enrol a resident on a course at their town's labour station, within its places."""
    # Lock the course so two stations cannot both take its last place.
    course = TrainingCourse.objects.select_for_update().get(pk=course.pk)
    if enrolled_on > course.ends_on:
        raise ValidationError(_("The course has ended."))
    if course.enrolments.filter(person=person).exists():
        raise ValidationError(_("This person is enrolled on the course already."))
    if course.enrolments.count() >= course.places:
        raise ValidationError(_("The course is full."))
    enrolment = Enrolment(
        course=course, person=person, town_id=person.town_id, enrolled_on=enrolled_on
    )
    enrolment.full_clean()
    enrolment.save()
    _record(
        actor,
        AuditEntry.Action.CREATE,
        ENROLMENT,
        enrolment.pk,
        enrolment.town_id,
        f"enrolment {enrolment.pk} on course {course.pk}",
        request,
    )
    return enrolment


@transaction.atomic
def enrolment_certify(
    *,
    enrolment: Enrolment,
    completed_on: dt.date,
    certificate_number: str,
    certified_on: dt.date,
    actor,
    request=None,
) -> Enrolment:
    """Record a completion and its vocational certificate: a certified completer."""
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.certified_on is not None:
        raise ValidationError(_("This enrolment is certified already."))
    if not certificate_number.strip():
        raise ValidationError(_("Give the certificate's number."))
    if completed_on < enrolment.enrolled_on or certified_on < completed_on:
        raise ValidationError(
            _("A course is completed after enrolling and certified after completion.")
        )
    enrolment.completed_on = completed_on
    enrolment.certificate_number = certificate_number.strip()
    enrolment.certified_on = certified_on
    enrolment.full_clean()
    enrolment.save(update_fields=["completed_on", "certificate_number", "certified_on"])
    _record(
        actor,
        AuditEntry.Action.UPDATE,
        ENROLMENT,
        enrolment.pk,
        enrolment.town_id,
        f"enrolment {enrolment.pk} certified on {certified_on}",
        request,
    )
    return enrolment


@transaction.atomic
def training_payment_make(
    *, enrolment: Enrolment, paid_on: dt.date, actor, request=None
) -> TrainingPayment:
    """Pay the provider for one certified completer, once (政府购买培训成果).

    The amount is the plan's per completer in force on the certificate's day.
    The enrolment row is locked and the payment is one-to-one with it, so two
    requests racing to pay the same completer pay once.
    """
    enrolment = (
        Enrolment.objects.select_for_update()
        .select_related("course__provider")
        .get(pk=enrolment.pk)
    )
    if enrolment.certified_on is None:
        raise ValidationError(_("Only a certified completer is paid for."))
    if TrainingPayment.objects.filter(enrolment=enrolment).exists():
        raise ValidationError(_("This completer has been paid for already."))
    if paid_on < enrolment.certified_on:
        raise ValidationError(_("A payment is made on or after the certificate's day."))
    payment = TrainingPayment(
        enrolment=enrolment,
        provider=enrolment.course.provider,
        town_id=enrolment.town_id,
        amount=_yuan(
            "employment.training_payment_per_completer", enrolment.certified_on
        ),
        paid_on=paid_on,
    )
    payment.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            payment.save()
    except IntegrityError:
        raise ValidationError(_("This completer has been paid for already.")) from None
    _record(
        actor,
        AuditEntry.Action.CREATE,
        PAYMENT,
        payment.pk,
        payment.town_id,
        f"training payment {payment.amount} for enrolment {enrolment.pk}",
        request,
    )
    return payment


@transaction.atomic
def training_course_pay(
    *, course: TrainingCourse, paid_on: dt.date, actor, request=None
) -> list[TrainingPayment]:
    """Pay the provider for every certified completer of the course not yet paid for."""
    due = course.enrolments.filter(
        certified_on__isnull=False, certified_on__lte=paid_on, payment__isnull=True
    ).order_by("pk")
    return [
        training_payment_make(
            enrolment=enrolment, paid_on=paid_on, actor=actor, request=request
        )
        for enrolment in due
    ]


@transaction.atomic
def incubation_base_add(
    *, name: str, town: Town, opened_on: dt.date, places: int, actor, request=None
) -> IncubationBase:
    """Record a town's start-up incubation base (创业孵化基地)."""
    base = IncubationBase(
        name=name.strip(), town=town, opened_on=opened_on, places=places
    )
    base.full_clean()
    base.save()
    _record(
        actor,
        AuditEntry.Action.CREATE,
        BASE,
        base.pk,
        town.code,
        f"incubation base {base.pk} from {opened_on}",
        request,
    )
    return base


@transaction.atomic
def incubation_base_update(
    *,
    base: IncubationBase,
    name: str,
    opened_on: dt.date,
    places: int,
    actor,
    request=None,
) -> IncubationBase:
    """Correct a base's name, opening day or places; its town stays (a new base)."""
    base.name, base.opened_on, base.places = name.strip(), opened_on, places
    base.full_clean()
    base.save(update_fields=["name", "opened_on", "places"])
    _record(
        actor,
        AuditEntry.Action.UPDATE,
        BASE,
        base.pk,
        base.town_id,
        f"incubation base {base.pk}: {places} places from {opened_on}",
        request,
    )
    return base


@transaction.atomic
def startup_subsidy_update(
    *,
    subsidy: StartupSubsidy,
    business: str,
    granted_on: dt.date,
    base: IncubationBase | None = None,
    actor,
    request=None,
) -> StartupSubsidy:
    """Correct a start-up subsidy; its amount is the one in force on the grant day."""
    subsidy.business, subsidy.granted_on, subsidy.base = (
        business.strip(),
        granted_on,
        base,
    )
    subsidy.amount = _yuan("employment.startup_subsidy_amount", granted_on)
    subsidy.full_clean(validate_unique=False)
    subsidy.save(update_fields=["business", "granted_on", "base", "amount"])
    _record(
        actor,
        AuditEntry.Action.UPDATE,
        SUBSIDY,
        subsidy.pk,
        subsidy.town_id,
        f"start-up subsidy {subsidy.amount} granted {granted_on}",
        request,
    )
    return subsidy


@transaction.atomic
def startup_subsidy_grant(
    *,
    person: Person,
    business: str,
    granted_on: dt.date,
    base: IncubationBase | None = None,
    actor,
    request=None,
) -> StartupSubsidy:
    """Grant a resident the one-off start-up subsidy, once per person."""
    if StartupSubsidy.objects.filter(person=person).exists():
        raise ValidationError(_("This person has had the start-up subsidy already."))
    subsidy = StartupSubsidy(
        person=person,
        town_id=person.town_id,
        base=base,
        business=business.strip(),
        amount=_yuan("employment.startup_subsidy_amount", granted_on),
        granted_on=granted_on,
    )
    subsidy.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            subsidy.save()
    except IntegrityError:
        raise ValidationError(
            _("This person has had the start-up subsidy already.")
        ) from None
    _record(
        actor,
        AuditEntry.Action.CREATE,
        SUBSIDY,
        subsidy.pk,
        subsidy.town_id,
        f"start-up subsidy {subsidy.amount} granted {granted_on}",
        request,
    )
    return subsidy


@transaction.atomic
def loan_grant(
    *,
    person: Person,
    business: str,
    principal: Decimal,
    annual_rate: Decimal,
    months: int,
    method: str,
    granted_on: dt.date,
    base: IncubationBase | None = None,
    actor,
    request=None,
) -> GuaranteedLoan:
    """Record a small guaranteed loan (小额担保贷款) and its subsidised schedule.

    A principal above the limit in force on the grant day is refused and nothing
    is saved; the schedule and each instalment's interest subsidy are the
    plan's rule (`rules.repayment_schedule`).
    """
    limit = _yuan("employment.guaranteed_loan_limit", granted_on)
    if principal > limit:
        raise ValidationError(
            _(
                "A guaranteed loan granted on %(day)s may be at most ¥%(limit)s; "
                "¥%(principal)s is above it, and nothing was saved."
            )
            % {
                "day": granted_on,
                "limit": f"{limit:,.2f}",
                "principal": f"{principal:,.2f}",
            }
        )
    loan = GuaranteedLoan(
        person=person,
        town_id=person.town_id,
        base=base,
        business=business.strip(),
        principal=principal,
        annual_rate=annual_rate,
        months=months,
        method=method,
        granted_on=granted_on,
    )
    loan.full_clean()
    loan.save()
    schedule = rules.repayment_schedule(
        principal=loan.principal,
        annual_rate=loan.annual_rate,
        months=loan.months,
        method=loan.method,
        granted_on=granted_on,
        parameter=parameter_on,
    )
    LoanInstalment.objects.bulk_create(
        LoanInstalment(
            loan=loan,
            number=i.number,
            due_on=i.due_on,
            outstanding=i.outstanding,
            principal=i.principal,
            interest=i.interest,
            subsidy=i.subsidy,
        )
        for i in schedule
    )
    _record(
        actor,
        AuditEntry.Action.CREATE,
        LOAN,
        loan.pk,
        loan.town_id,
        f"guaranteed loan {loan.pk} of {principal} granted {granted_on}",
        request,
    )
    return loan
