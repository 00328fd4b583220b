"""Writes for applications: filing, assessing again, withdrawing."""

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from equiserve.audit.models import AuditEntry
from equiserve.audit.services import audit_record
from equiserve.housing.assessment import (
    Assessment,
    assess_households,
    ranking_for,
)
from equiserve.housing.models import (
    Application,
    ApplicationPreference,
    ApplicationStatus,
    Estate,
    OfferStatus,
)
from equiserve.housing.services.common import (
    APPLICATION,
    HousingError,
)
from equiserve.registry.models import Household, Person

# Applications --------------------------------------------------------------


def _apply_assessment(application: Application, assessment: Assessment, date, ranking):
    application.eligible = assessment.eligible
    application.assessed_on = date
    application.explanation = assessment.explanation
    application.priority = assessment.priority or ""
    application.score = assessment.score
    application.household_size = assessment.household_size
    application.migrant = assessment.migrant
    application.ranking_version = ranking.version


# What a reassessment can change that the audit trail records.
LOGGED_FIELDS = ["status", "priority", "score", "household_size", "migrant"]
ASSESSED_FIELDS = [
    "status",
    "eligible",
    "assessed_on",
    "explanation",
    "priority",
    "score",
    "household_size",
    "migrant",
    "ranking_version",
]


@transaction.atomic
def application_submit(
    *,
    household: Household,
    applicant: Person,
    submitted_on: dt.date,
    preferences: Sequence[Estate],
    disability: bool = False,
    actor,
    request=None,
) -> Application:
    """Record a household's application, assessed by the engine on `submitted_on`.

    An eligible household joins the waiting list; an ineligible one is
    recorded with the engine's explanation. A household waits once.
    """
    if applicant.household_id != household.pk:
        raise HousingError(_("The applicant is not a member of the household."))
    if len({estate.pk for estate in preferences}) != len(preferences):
        raise HousingError(_("An estate is chosen twice."))
    # Lock the household so two clerks cannot file it twice at once.
    Household.objects.select_for_update().filter(pk=household.pk).first()
    if Application.objects.filter(
        household=household,
        status__in=[ApplicationStatus.WAITING, ApplicationStatus.HOUSED],
    ).exists():
        raise HousingError(
            _("The household is already on the waiting list or already housed.")
        )
    ranking = ranking_for()
    assessment = assess_households(
        [household], date=submitted_on, disability={household.pk: disability},
        ranking=ranking,
    )[household.pk]  # fmt: skip
    application = Application(
        household=household,
        applicant=applicant,
        submitted_on=submitted_on,
        disability=disability,
        status=ApplicationStatus.WAITING
        if assessment.eligible
        else ApplicationStatus.NOT_ELIGIBLE,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _apply_assessment(application, assessment, submitted_on, ranking)
    application.full_clean()
    application.save()
    for rank, estate in enumerate(preferences, start=1):
        ApplicationPreference.objects.create(
            application=application, estate=estate, rank=rank
        )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type=APPLICATION,
        object_id=application.code,
        town_code=household.town_id,
        summary=f"application of household {household.key}: {application.status}",
        changes={
            "status": application.status,
            "priority": application.priority,
            "score": application.score,
            "preferences": [estate.code for estate in preferences],
        },
        request=request,
    )
    return application


@transaction.atomic
def application_reassess(
    *, application: Application, date: dt.date, actor, request=None
) -> Application:
    """Assess a waiting or ineligible application again, e.g. after the registry changed."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status not in (
        ApplicationStatus.WAITING,
        ApplicationStatus.NOT_ELIGIBLE,
    ):
        raise HousingError(_("Only a waiting or ineligible application is reassessed."))
    if application.status == ApplicationStatus.NOT_ELIGIBLE and (
        Application.objects.filter(
            household_id=application.household_id, status=ApplicationStatus.WAITING
        ).exists()
    ):
        raise HousingError(_("The household has another application waiting."))
    applications_assess(
        [application], date=date, ranking=ranking_for(), actor=actor, request=request
    )
    return application


def applications_assess(
    applications, *, date, ranking, actor, request=None
) -> list[Application]:
    """Assess applications on `date`, save, and log each one that changes.

    Return those whose status changed (waiting ↔ not eligible).
    """
    households = [a.household for a in applications]
    assessed = assess_households(
        households,
        date=date,
        disability={a.household_id: a.disability for a in applications},
        ranking=ranking,
    )
    changed = []
    for application in applications:
        before = {name: getattr(application, name) for name in LOGGED_FIELDS}
        _apply_assessment(
            application, assessed[application.household_id], date, ranking
        )
        application.status = (
            ApplicationStatus.WAITING
            if application.eligible
            else ApplicationStatus.NOT_ELIGIBLE
        )
        differences = {
            name: [before[name], getattr(application, name)]
            for name in LOGGED_FIELDS
            if before[name] != getattr(application, name)
        }
        if "status" in differences:
            changed.append(application)
        if differences:
            audit_record(
                actor=actor,
                action=AuditEntry.Action.UPDATE,
                object_type=APPLICATION,
                object_id=application.code,
                town_code=application.household.town_id,
                summary=f"reassessed on {date}: {before['status']} → "
                f"{application.status}",
                changes=differences,
                request=request,
            )
    Application.objects.bulk_update(applications, ASSESSED_FIELDS, batch_size=500)
    return changed


@transaction.atomic
def application_withdraw(*, application: Application, actor, request=None) -> None:
    """Take a waiting application off the list at the household's request."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != ApplicationStatus.WAITING:
        raise HousingError(_("Only a waiting application can be withdrawn."))
    if application.offers.filter(status=OfferStatus.PENDING).exists():
        raise HousingError(_("Answer the pending offer first."))
    application.status = ApplicationStatus.WITHDRAWN
    application.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type=APPLICATION,
        object_id=application.code,
        town_code=application.household.town_id,
        summary="withdrawn",
        changes={"status": ["waiting", "withdrawn"]},
        request=request,
    )
