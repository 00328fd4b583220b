"""Count a programme's beneficiaries from the cases app (issue 4).

A beneficiary is a person of the term's population (the same `where`/`when`
filters as a persons term, e.g. kindergarten children) whose case in the
programme, applied for by the period's end, holds an entitlement in force. The
application date is the case's own business date (`applied_on`), so cases
entered late are still counted in the half-year they belong to. The
registered/migrant split is the person's hukou, the place their town.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Exists, OuterRef, Q

REQUIRED_FIELDS = {"case", "active"}


def _entitlement_model():
    try:
        model = apps.get_model("cases", "Entitlement")
    except LookupError:
        return None
    names = {field.name for field in model._meta.get_fields()}
    return model if REQUIRED_FIELDS <= names else None


def beneficiary(period, programme: str) -> Q:
    """Persons with an entitlement in force under `programme`, applied for by the period's end."""
    model = _entitlement_model()
    return Q(
        Exists(
            model.objects.filter(
                case__applicant=OuterRef("pk"),
                case__programme=programme,
                case__applied_on__lte=period.end,
                active=True,
            )
        )
    )


def counts_cases() -> bool:
    """Return whether beneficiaries are counted from cases (else entered by hand)."""
    return _entitlement_model() is not None
