"""Writes for the housing stock: estates and units."""

from decimal import Decimal

from django.db import transaction

from equiserve.audit.models import AuditEntry
from equiserve.audit.services import audit_record
from equiserve.geography.models import Town
from equiserve.housing.models import (
    Estate,
    Unit,
)
from equiserve.housing.services.common import (
    ESTATE,
    UNIT,
)

# Stock -------------------------------------------------------------------


@transaction.atomic
def estate_create(
    *,
    code: str,
    name: str,
    town: Town,
    name_en: str = "",
    address: str = "",
    synthetic: bool = False,
    actor,
    request=None,
) -> Estate:
    """Add an estate to the stock."""
    estate = Estate(
        code=code,
        name=name,
        name_en=name_en,
        town=town,
        address=address,
        synthetic=synthetic,
    )
    estate.full_clean()
    estate.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type=ESTATE,
        object_id=estate.code,
        town_code=town.code,
        summary=f"estate {estate.code} {estate.name}",
        request=request,
    )
    return estate


@transaction.atomic
def unit_create(
    *,
    estate: Estate,
    code: str,
    floor_area_m2: Decimal,
    bedrooms: int,
    rent_monthly: Decimal,
    suits_min: int,
    suits_max: int,
    accessible: bool = False,
    actor,
    request=None,
) -> Unit:
    """Add a unit to an estate; it is available for the next round."""
    unit = Unit(
        estate=estate,
        code=code,
        floor_area_m2=floor_area_m2,
        bedrooms=bedrooms,
        rent_monthly=rent_monthly,
        suits_min=suits_min,
        suits_max=suits_max,
        accessible=accessible,
    )
    unit.full_clean()
    unit.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type=UNIT,
        object_id=unit.code,
        town_code=estate.town_id,
        summary=f"unit {unit.code}: {bedrooms} bedrooms, {floor_area_m2} m², "
        f"suits {suits_min}–{suits_max}",
        request=request,
    )
    return unit
