"""Writes of disability services: the register, services, waiting lists (issue 17).

Each change is atomic, checked before it is saved, and audited in the same
transaction; a refusal raises `DisabilityError` with a message for the user
and saves nothing.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from equiserve.audit.services import audit_record
from equiserve.disability.certificate import certificate_problems, normalise
from equiserve.disability.models import (
    DisabilityRecord,
    Institution,
    Service,
    ServiceKind,
    WaitingEntry,
)
from equiserve.registry.models import Person

RECORD = "disability.record"


class DisabilityError(Exception):
    """A request the rules refuse; the message is for the user."""


def _check(instance) -> None:
    try:
        instance.full_clean()
    except ValidationError as error:
        raise DisabilityError(" ".join(error.messages)) from None


@transaction.atomic
def disability_register(
    *,
    person: Person,
    certificate_number: str,
    category: str,
    grade,
    issued_on: dt.date,
    actor,
    request=None,
) -> DisabilityRecord:
    """Put a person with a disability certificate on the register."""
    problems = certificate_problems(
        id_number=person.id_number,
        certificate_number=certificate_number,
        category=category,
        grade=grade,
    )
    if problems:
        raise DisabilityError(" ".join(problems))
    if DisabilityRecord.objects.filter(person=person).exists():
        raise DisabilityError(_("This person is already on the register."))
    number = normalise(certificate_number)
    if DisabilityRecord.objects.filter(certificate_number=number).exists():
        raise DisabilityError(_("This certificate number is already registered."))
    record = DisabilityRecord(
        person=person,
        certificate_number=number,
        category=category,
        grade=int(grade),
        issued_on=issued_on,
    )
    _check(record)
    record.save()
    audit_record(
        actor=actor,
        action="create",
        object_type=RECORD,
        object_id=record.pk,
        town_code=person.town_id,
        summary=f"{person.key}: registered, {category} grade {grade}",
        request=request,
    )
    return record


@transaction.atomic
def service_record(
    *,
    record: DisabilityRecord,
    kind: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    institution: Institution | None = None,
    cost: Decimal = Decimal("0.00"),
    attendance_days: int = 0,
    actor,
    request=None,
) -> Service:
    """Record a service to a person; a place taken ends their wait there."""
    if kind not in ServiceKind.values:
        raise DisabilityError(_("Unknown service."))
    if cost is None or cost < 0 or cost != cost.quantize(Decimal("0.01")):
        raise DisabilityError(_("A cost is a sum in yuan of 0 or more, to the fen."))
    if end_date is not None and end_date < start_date:
        raise DisabilityError(_("A service cannot end before it starts."))
    service = Service(
        record=record,
        kind=kind,
        institution=institution,
        start_date=start_date,
        end_date=end_date,
        cost=cost,
        attendance_days=attendance_days,
    )
    _check(service)
    service.save()
    if institution is not None:
        WaitingEntry.objects.filter(
            record=record, institution=institution, ended_on__isnull=True
        ).update(ended_on=start_date)
    audit_record(
        actor=actor,
        action="create",
        object_type=RECORD,
        object_id=record.pk,
        town_code=record.person.town_id,
        summary=f"{record.person.key}: {kind} from {start_date}",
        changes={"cost": str(cost), "institution": getattr(institution, "code", "")},
        request=request,
    )
    return service


@transaction.atomic
def waiting_add(
    *,
    record: DisabilityRecord,
    institution: Institution,
    since: dt.date,
    actor,
    request=None,
) -> WaitingEntry:
    """Put a person on an institution's waiting list."""
    if WaitingEntry.objects.filter(
        record=record, institution=institution, ended_on__isnull=True
    ).exists():
        raise DisabilityError(_("This person already waits for this institution."))
    entry = WaitingEntry(record=record, institution=institution, since=since)
    _check(entry)
    entry.save()
    audit_record(
        actor=actor,
        action="create",
        object_type=RECORD,
        object_id=record.pk,
        town_code=record.person.town_id,
        summary=f"{record.person.key}: waits for {institution.code} since {since}",
        request=request,
    )
    return entry
