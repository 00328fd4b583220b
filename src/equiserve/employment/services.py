"""Writes to the labour register (3.7): statuses, registrations, vacancies, referrals.

Each service is atomic, validates before saving, writes one audit entry per
change and marks the monitoring values the change can move (issue 15: the
unemployment rate and the full-employment communities are counted from here).
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from equiserve.audit.models import AuditEntry
from equiserve.audit.services import audit_record
from equiserve.employment.models import (
    EndReason,
    LabourStatus,
    Outcome,
    Referral,
    Registration,
    Status,
    StatusSource,
    Vacancy,
)
from equiserve.geography.models import Town
from equiserve.registry.models import Person

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
