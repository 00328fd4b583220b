"""Writes to the health registries, each with its audit entry; reads logged too.

Every read of a person's health record (a patient's page, the API, a school's
screenings, an export) writes one audit entry: health data is the most
sensitive the system holds (issue 16, deliverable 5).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from equiserve.audit.models import AuditEntry
from equiserve.audit.services import audit_record
from equiserve.health.models import (
    Dispensing,
    Enrolment,
    FollowUp,
    Hospital,
    MigrantService,
    PilotSchool,
    Referral,
    Screening,
)
from equiserve.health.selectors import risk_level_of
from equiserve.registry.models import Person

T1D_PATIENT = "t1d_patient"
SCREENING = "screening"
HEALTH_EXPORT = "health_export"
MIGRANT_SERVICE = "migrant_service"
T1D_PROGRAMME = "t1d_care"


def _log(*, actor, action, object_type, object_id, town="", summary, request=None):
    audit_record(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        town_code=town,
        summary=summary,
        request=request,
    )


def _create(record, *, actor, object_type, object_id, town, summary, request=None):
    """Validate and save a new record, and write its audit entry."""
    record.full_clean()
    record.save()
    _log(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type=object_type,
        object_id=object_id,
        town=town,
        summary=summary,
        request=request,
    )


def t1d_eligibility(person: Person, day: dt.date):
    """Return the engine's assessment of free type-1 diabetes care (3.3.2) on `day`."""
    from equiserve.cases.engine import assess
    from equiserve.cases.programmes import programme

    return assess(programme(T1D_PROGRAMME), person, {}, day)


@transaction.atomic
def enrolment_create(
    *, person: Person, hospital: Hospital, enrolled_on: dt.date, actor, request=None
) -> Enrolment:
    """Enrol a patient the engine finds eligible on `enrolled_on`; refuse anyone else."""
    result = t1d_eligibility(person, enrolled_on)
    if not result.eligible:
        raise ValidationError(
            _(
                "The rules do not find this person eligible for free type-1 diabetes care."
            )
        )
    enrolment = Enrolment(
        person=person,
        hospital=hospital,
        enrolled_on=enrolled_on,
        eligibility=(result.explanations["zh"].get("t1d_free_care_eligible") or {}).get(
            "text", ""
        ),
    )
    _create(
        enrolment,
        actor=actor,
        object_type=T1D_PATIENT,
        object_id=enrolment.public_id,
        town=person.town_id,
        summary=f"enrolled a type-1 diabetes patient at {hospital.code}",
        request=request,
    )
    return enrolment


@transaction.atomic
def follow_up_record(
    *,
    enrolment: Enrolment,
    visited_on: dt.date,
    insulin_regimen: str,
    hba1c: Decimal | None = None,
    fasting_glucose: Decimal | None = None,
    hypoglycaemia_events: int = 0,
    actor,
    request=None,
) -> FollowUp:
    """Record one follow-up visit of an enrolled patient."""
    if visited_on < enrolment.enrolled_on:
        raise ValidationError(
            {"visited_on": _("A visit cannot come before the enrolment.")}
        )
    follow_up = FollowUp(
        enrolment=enrolment,
        visited_on=visited_on,
        insulin_regimen=insulin_regimen,
        hba1c=hba1c,
        fasting_glucose=fasting_glucose,
        hypoglycaemia_events=hypoglycaemia_events,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _create(
        follow_up,
        actor=actor,
        object_type=T1D_PATIENT,
        object_id=enrolment.public_id,
        town=enrolment.person.town_id,
        summary=f"recorded a follow-up visit on {visited_on.isoformat()}",
        request=request,
    )
    return follow_up


@transaction.atomic
def follow_up_update(
    *, follow_up: FollowUp, hba1c: Decimal | None, actor, request=None
) -> FollowUp:
    """Correct a visit's HbA1c (a laboratory result arriving late)."""
    follow_up.hba1c = hba1c
    follow_up.full_clean()
    follow_up.save(update_fields=["hba1c"])
    _log(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type=T1D_PATIENT,
        object_id=follow_up.enrolment.public_id,
        town=follow_up.enrolment.person.town_id,
        summary=f"changed the HbA1c of the visit on {follow_up.visited_on.isoformat()}",
        request=request,
    )
    return follow_up


@transaction.atomic
def dispensing_record(
    *,
    enrolment: Enrolment,
    dispensed_on: dt.date,
    item: str,
    product: str,
    quantity: int,
    unit_cost: Decimal,
    actor,
    request=None,
) -> Dispensing:
    """Record free drugs or test strips dispensed, at their exact cost (to the fen)."""
    unit_cost = Decimal(unit_cost)
    if unit_cost != unit_cost.quantize(Decimal("0.01")):
        raise ValidationError({"unit_cost": _("A cost is given to the fen.")})
    dispensing = Dispensing(
        enrolment=enrolment,
        dispensed_on=dispensed_on,
        item=item,
        product=product,
        quantity=quantity,
        unit_cost=unit_cost,
        cost=unit_cost * quantity,
    )
    _create(
        dispensing,
        actor=actor,
        object_type=T1D_PATIENT,
        object_id=enrolment.public_id,
        town=enrolment.person.town_id,
        summary=f"recorded {quantity} {item} dispensed on {dispensed_on.isoformat()}",
        request=request,
    )
    return dispensing


def enrolment_view_record(
    *, actor, enrolment: Enrolment, channel: str, request=None
) -> None:
    """Log that `actor` read a patient's health record (page, API)."""
    with transaction.atomic():
        _log(
            actor=actor,
            action=AuditEntry.Action.VIEW,
            object_type=T1D_PATIENT,
            object_id=enrolment.public_id,
            town=enrolment.person.town_id,
            summary=f"read a type-1 diabetes record ({channel})",
            request=request,
        )


def list_view_record(*, actor, what: str, count: int, request=None) -> None:
    """Log that `actor` read a list of health records (names with health data)."""
    with transaction.atomic():
        _log(
            actor=actor,
            action=AuditEntry.Action.VIEW,
            object_type=what,
            object_id="list",
            summary=f"read a list of {count} health records",
            request=request,
        )


def export_record(*, actor, count: int, request=None, channel: str = "fhir") -> None:
    """Log an export of health data."""
    with transaction.atomic():
        _log(
            actor=actor,
            action=AuditEntry.Action.EXPORT,
            object_type=HEALTH_EXPORT,
            object_id=channel,
            summary=f"exported {count} patients' health records ({channel})",
            request=request,
        )


@transaction.atomic
def screening_record(
    *,
    school: PilotSchool,
    person: Person,
    screened_on: dt.date,
    instrument: str,
    score: int,
    actor,
    request=None,
) -> Screening:
    """Record a pupil's screening; its risk level follows the cut-offs in force."""
    screening = Screening(
        school=school,
        person=person,
        screened_on=screened_on,
        instrument=instrument,
        score=score,
        risk_level=risk_level_of(score, screened_on),
    )
    _create(
        screening,
        actor=actor,
        object_type=SCREENING,
        object_id=screening.public_id,
        town=school.town_id,
        summary=f"recorded a screening at {school.code}",
        request=request,
    )
    return screening


@transaction.atomic
def referral_record(
    *,
    screening: Screening,
    referred_on: dt.date,
    service: str,
    followed_up_on: dt.date | None = None,
    actor,
    request=None,
) -> Referral:
    """Refer a screened pupil to the health service (and note its follow-up)."""
    referral = Referral(
        screening=screening,
        referred_on=referred_on,
        service=service,
        followed_up_on=followed_up_on,
    )
    _create(
        referral,
        actor=actor,
        object_type=SCREENING,
        object_id=screening.public_id,
        town=screening.school.town_id,
        summary="referred a pupil to the health service",
        request=request,
    )
    return referral


def school_view_record(*, actor, school: PilotSchool, request=None) -> None:
    """Log that `actor` read a school's pupils' screenings."""
    with transaction.atomic():
        _log(
            actor=actor,
            action=AuditEntry.Action.VIEW,
            object_type=SCREENING,
            object_id=school.code,
            town=school.town_id,
            summary=f"read the screenings of {school.code}",
            request=request,
        )


# --- Migrants' free family-planning services (3.3.4) ---------------------


def _mark_migrant_services_stale(town: str, day: dt.date) -> None:
    """Have monitoring recompute the 3.3.4 coverage of the town from `day` on.

    Marked in the record's own transaction, as the registry's signals do: a
    refused or rolled-back record marks nothing.
    """
    from equiserve.monitoring import stored

    stored.values_mark_stale(
        stored.HEALTH, towns=[town], periods=stored.periods_from(day)
    )


@transaction.atomic
def migrant_service_record(
    *,
    person: Person,
    kind: str,
    delivered_on: dt.date,
    provider: str,
    actor,
    request=None,
) -> MigrantService:
    """Record a free 3.3.4 service; refuse it unless the engine finds the person eligible.

    The eligibility is that of the plan programme the service belongs to (the
    pre-pregnancy check asks six months' residence, the basic services their
    own), assessed on the day the service was delivered.
    """
    from equiserve.cases.engine import assess
    from equiserve.health.vocabulary import kind_label, programme_of
    from equiserve.policy.programmes import lang_key

    try:
        programme = programme_of(kind)
    except KeyError:
        raise ValidationError({"kind": _("No such family-planning service.")}) from None
    result = assess(programme, person, {}, delivered_on)
    lang = lang_key(get_language())
    found = (result.explanations[lang].get(programme.eligibility) or {}).get("text", "")
    if not result.eligible:
        raise ValidationError(
            _(
                "The rules do not find %(person)s eligible for %(service)s "
                "on %(day)s: %(reason)s"
            )
            % {
                "person": person.name,
                "service": kind_label(kind),
                "day": delivered_on.isoformat(),
                "reason": found or _("a fact the rule needs is missing"),
            }
        )
    service = MigrantService(
        person=person,
        kind=kind,
        delivered_on=delivered_on,
        provider=provider,
        eligibility=(result.explanations["zh"].get(programme.eligibility) or {}).get(
            "text", ""
        ),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _create(
        service,
        actor=actor,
        object_type=MIGRANT_SERVICE,
        object_id=service.public_id,
        town=person.town_id,
        summary=f"recorded a free {kind} on {delivered_on.isoformat()}",
        request=request,
    )
    _mark_migrant_services_stale(person.town_id, delivered_on)
    return service


def migrant_service_view_record(
    *, actor, service: MigrantService, channel: str, request=None
) -> None:
    """Log that `actor` read one family-planning service record."""
    with transaction.atomic():
        _log(
            actor=actor,
            action=AuditEntry.Action.VIEW,
            object_type=MIGRANT_SERVICE,
            object_id=service.public_id,
            town=service.person.town_id,
            summary=f"read a family-planning service record ({channel})",
            request=request,
        )
