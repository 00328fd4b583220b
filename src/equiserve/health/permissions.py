"""Who may read and write the health registries: the one place the rules live.

Starts from `accounts.scope` (`Scope.sees_health`, the health role):

- a health officer of the bureau (health role, no hospital): every patient,
  screening and referral; records and exports them;
- a hospital user (health role bound to one hospital, `HospitalStaff`): the
  type-1 diabetes patients treated at that hospital, and records their visits;
- a school psychology teacher (any account bound to one pilot school through
  `PsychologyTeacher.user`): that school's pupils' screenings and referrals;
- everyone else (office, auditor, departments, town officers, an
  administrator): counts only, small cells suppressed (`suppress`); a
  person's record is a 404, like one that does not exist.

The migrants' family-planning services (3.3.4) are the health role's (the
bureau and the hospitals, who deliver them); a town officer, the education
department and everyone else see the coverage counts only.

Exports of health data (FHIR) are for the health role only.
"""

import uuid

from django.db.models import QuerySet
from django.http import Http404

from equiserve.accounts.scope import scope_of
from equiserve.health.models import (
    Enrolment,
    HospitalStaff,
    MigrantService,
    PilotSchool,
    PsychologyTeacher,
    Screening,
)

NOT_FOUND = "no such health record"
# Counts below this are shown as "<10" to whoever may not read the records.
SMALL_CELL = 10


def is_health(user) -> bool:
    """Return whether `user` has the health role (bureau or hospital)."""
    scope = scope_of(user)
    return scope is not None and scope.sees_health and not scope.administers


def hospital_of(user):
    """Return the hospital a hospital user works at (None for anyone else)."""
    if not is_health(user):
        return None
    staff = HospitalStaff.objects.filter(user=user).select_related("hospital").first()
    return staff.hospital if staff else None


def school_of(user) -> PilotSchool | None:
    """Return the one school whose psychology teacher `user` is (None otherwise)."""
    if scope_of(user) is None:
        return None
    teacher = (
        PsychologyTeacher.objects.filter(user=user).select_related("school").first()
    )
    return teacher.school if teacher else None


def reads_counts(user) -> bool:
    """Return whether `user` may see the registries' counts (every signed-in officer)."""
    return scope_of(user) is not None or school_of(user) is not None


def require_counts(user) -> None:
    if not reads_counts(user):
        raise Http404(NOT_FOUND)


def require_health(user) -> None:
    """Raise Http404 unless `user` has the health role (records and exports)."""
    if not is_health(user):
        raise Http404(NOT_FOUND)


def enrolment_list_for(user) -> QuerySet[Enrolment]:
    """Return the type-1 diabetes patients `user` may read (none for most roles)."""
    enrolments = Enrolment.objects.select_related("person", "hospital")
    if not is_health(user):
        return enrolments.none()
    hospital = hospital_of(user)
    return enrolments if hospital is None else enrolments.filter(hospital=hospital)


def access_enrolment(user, public_id) -> Enrolment:
    """Return the patient if `user` may read them; raise Http404 otherwise."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:  # a malformed id is a 404 too
        raise Http404(NOT_FOUND) from None
    found = enrolment_list_for(user).filter(public_id=key).first()
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def screening_list_for(user) -> QuerySet[Screening]:
    """Return the screenings `user` may read: health role all, a teacher their school's."""
    screenings = Screening.objects.select_related("person", "school")
    if is_health(user):
        return screenings
    school = school_of(user)
    return screenings.none() if school is None else screenings.filter(school=school)


def reads_school(user, school: PilotSchool) -> bool:
    """Return whether `user` reads this school's pupils' records."""
    return is_health(user) or school_of(user) == school


def access_school_records(user, code) -> PilotSchool:
    """Return the school if `user` reads its pupils' records; raise Http404 otherwise."""
    school = PilotSchool.objects.filter(code=str(code or "")).first()
    if school is None or not reads_school(user, school):
        raise Http404(NOT_FOUND)
    return school


def suppress(count: int, *, exact: bool) -> int | str:
    """Return the count, or "<10" for a small cell shown to a counts-only reader."""
    if exact or count >= SMALL_CELL:
        return count
    return f"<{SMALL_CELL}"


def migrant_service_list_for(user) -> QuerySet[MigrantService]:
    """Return the family-planning service records `user` may read (health role only)."""
    services = MigrantService.objects.select_related("person", "recorded_by")
    return services if is_health(user) else services.none()


def access_migrant_service(user, public_id) -> MigrantService:
    """Return the service record if `user` may read it; raise Http404 otherwise."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise Http404(NOT_FOUND) from None
    found = migrant_service_list_for(user).filter(public_id=key).first()
    if found is None:
        raise Http404(NOT_FOUND)
    return found
