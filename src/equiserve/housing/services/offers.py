"""Offers: a household's answer, recorded once."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from equiserve.audit.models import AuditEntry
from equiserve.audit.services import audit_record
from equiserve.housing.models import (
    Application,
    ApplicationStatus,
    Offer,
    OfferStatus,
    Unit,
    UnitStatus,
    application_code,
)
from equiserve.housing.services.common import (
    OFFER,
    HousingError,
    OfferConflict,
)

# Offers --------------------------------------------------------------------

ANSWERS = {"accept": OfferStatus.ACCEPTED, "refuse": OfferStatus.REFUSED}


@transaction.atomic
def offer_answer(
    *, offer_id: int, answer: str, version: int, actor, request=None
) -> Offer:
    """Record a household's answer to an offer given at `version`.

    Of two officers answering at once, the first to write wins; the other gets
    OfferConflict naming the answer already recorded. Accepting lets the unit
    and houses the household; refusing frees the unit for a later round and
    counts a refusal (past the ranking's limit a household moves down).
    """
    if answer not in ANSWERS:
        raise HousingError(_("The answer is accept or refuse."))
    status = ANSWERS[answer]
    now = timezone.now()
    recorder = actor if getattr(actor, "is_authenticated", False) else None
    # The version check and the write are one statement: whoever comes second
    # finds the version moved on and changes nothing.
    updated = Offer.objects.filter(
        pk=offer_id, version=version, status=OfferStatus.PENDING
    ).update(
        status=status, version=F("version") + 1, answered_at=now, answered_by=recorder
    )
    offer = Offer.objects.select_related("application", "unit").get(pk=offer_id)
    if updated != 1:
        raise OfferConflict(_conflict_message(offer), offer)
    application = offer.application
    if status == OfferStatus.ACCEPTED:
        let = Unit.objects.filter(pk=offer.unit_id, status=UnitStatus.OFFERED).update(
            status=UnitStatus.LET
        )
        if let != 1:
            raise HousingError(_("The unit is no longer on offer."))
        Application.objects.filter(pk=application.pk).update(
            status=ApplicationStatus.HOUSED
        )
    else:
        Unit.objects.filter(pk=offer.unit_id, status=UnitStatus.OFFERED).update(
            status=UnitStatus.AVAILABLE
        )
        Application.objects.filter(pk=application.pk).update(refusals=F("refusals") + 1)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.DECIDE,
        object_type=OFFER,
        object_id=offer.pk,
        town_code=application.household.town_id,
        summary=f"offer of {offer.unit.code} to {application_code(application.pk)}: "
        f"{status}",
        changes={"status": ["pending", status], "version": offer.version},
        request=request,
    )
    return offer


def _conflict_message(offer: Offer) -> str:
    if offer.status == OfferStatus.PENDING:
        return _(
            "The offer changed since you opened it. Reload the page and answer again."
        )
    who = offer.answered_by.get_username() if offer.answered_by else _("the system")
    return _(
        "This offer was already answered (%(answer)s) by %(who)s at %(when)s; "
        "your answer was not recorded."
    ) % {
        "answer": offer.get_status_display(),
        "who": who,
        "when": timezone.localtime(offer.answered_at).strftime("%Y-%m-%d %H:%M:%S"),
    }
