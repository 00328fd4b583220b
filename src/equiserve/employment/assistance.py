"""The labour register's facts for employment-assistance cases (3.7, issue 15).

The two programmes (`employment_assistance`, `community_employment_subsidy`) are the
plan's (programmes.yaml, rules/clause_3_7.py) and are decided as cases; this module
gives casework the facts only the register holds, as on the day of application. An
unknown fact is None, which the rules read as undetermined, never in the person's
favour.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from equiserve.cases.models import Entitlement
from equiserve.disability.models import DisabilityRecord
from equiserve.employment.models import LabourStatus, Registration, Status
from equiserve.registry.models import Person

ASSISTANCE = "employment_assistance"


def _on(day: dt.date | None) -> dt.date:
    return day or timezone.localdate()


def unemployed_since(person: Person, day: dt.date | None = None) -> str | None:
    """Return the start (ISO) of the registration in force on `day`, or None.

    A registration is in force from its day up to and including its end day. None
    is "not registered": the register is the record of who is (3.7 reads it so).
    """
    day = _on(day)
    start = (
        Registration.objects.filter(person=person, registered_on__lte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))
        .values_list("registered_on", flat=True)
        .first()
    )
    return start.isoformat() if start is not None else None


def zero_employment_family(person: Person, day: dt.date | None = None) -> bool | None:
    """Return whether the person's household is a zero-employment family (零就业家庭).

    As the full-employment assessment counts it (allocation.jobs): a household with
    someone in the labour force and no one employed, by each member's status on
    `day`. A member with no status then is unknown: without an employed member the
    answer is None, not true.
    """
    if not person.household_id:
        return None
    day = _on(day)
    members = set(
        Person.objects.filter(household_id=person.household_id).values_list(
            "pk", flat=True
        )
    )
    current = dict(
        LabourStatus.objects.filter(person_id__in=members, since__lte=day)
        .filter(Q(until__isnull=True) | Q(until__gte=day))
        .order_by("since", "pk")
        .values_list("person_id", "status")
    )
    statuses = set(current.values())
    if Status.EMPLOYED in statuses:
        return False
    if len(current) < len(members):
        return None
    return Status.UNEMPLOYED in statuses


def disability_certificate(person: Person, day: dt.date | None = None) -> bool:
    """Return whether the person holds a disability certificate (残疾人证) on `day`.

    The disability register is the record of who holds one (3.9): a certificate
    issued on or before the day counts; no record there is no certificate.
    """
    return DisabilityRecord.objects.filter(
        person=person, issued_on__lte=_on(day)
    ).exists()


def difficulty_identified(person: Person, day: dt.date | None = None) -> bool:
    """Return whether an approved assistance case identified the person by `day`.

    The community employment subsidy is for a person already identified as having
    employment difficulty: once placed in a community post they are employed, and
    the categories read on the day of the placement would no longer show it.
    """
    return Entitlement.objects.filter(
        case__applicant=person,
        case__programme=ASSISTANCE,
        case__applied_on__lte=_on(day),
        active=True,
    ).exists()


REGISTER_VALUES = {
    "unemployed_since": unemployed_since,
    "zero_employment_family": zero_employment_family,
    "disability_certificate": disability_certificate,
    "employment_difficulty_identified": difficulty_identified,
}
