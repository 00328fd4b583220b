"""Households, stock and applications for the housing tests."""

import datetime as dt
import itertools
from decimal import Decimal

from equiserve.geography.models import Town
from equiserve.housing import services
from equiserve.housing.models import Application, Estate, Unit
from equiserve.testkit import (
    GUZHEN,
    XIAOLAN,
    make_household,
    make_person,
)

__all__ = ["GUZHEN", "XIAOLAN", "AS_OF", "estate", "unit", "household", "apply"]

AS_OF = dt.date(2015, 6, 30)
_serial = itertools.count(1)


def estate(code: str = "E1", town: str = XIAOLAN, name: str = "") -> Estate:
    return services.estate_create(
        code=code,
        name=name or f"测试{code}小区",
        town=Town.objects.get(code=town),
        actor=None,
    )


def unit(
    estate: Estate, code: str = "", *, bedrooms: int = 1, suits=(1, 2), **fields
) -> Unit:
    return services.unit_create(
        estate=estate,
        code=code or f"{estate.code}-{next(_serial):04d}",
        floor_area_m2=fields.pop("floor_area_m2", Decimal("40.00")),
        bedrooms=bedrooms,
        rent_monthly=fields.pop("rent_monthly", Decimal("400.00")),
        suits_min=suits[0],
        suits_max=suits[-1],
        actor=None,
        **fields,
    )


def household(
    town: str = XIAOLAN,
    *,
    size: int = 2,
    floor_area: str = "20.00",
    income: str = "30000.00",
    hukou: str = "zhongshan",
    hukou_kind: str = "urban",
    points: Decimal | int | None = None,
    birth_dates: tuple[dt.date, ...] = (),
    low_income: bool = False,
    names: tuple[str, ...] = (),
    **fields,
):
    """Return (household, first member): registered, urban, 10 m² a head, eligible."""
    home = make_household(
        town,
        floor_area_m2=Decimal(floor_area),
        annual_income=Decimal(income),
        **fields,
    )
    members = []
    for i in range(size):
        extra = {}
        if names:
            extra["name"] = names[i]
        members.append(
            make_person(
                town,
                household=home,
                hukou=hukou,
                hukou_kind=hukou_kind if hukou == "zhongshan" else "",
                points=points if i == 0 else None,
                birth_date=birth_dates[i]
                if i < len(birth_dates)
                else dt.date(1980, 1, 1),
                low_income=low_income,
                **extra,
            )
        )
    return home, members[0]


def apply(
    home,
    person,
    estates=(),
    *,
    submitted_on: dt.date = dt.date(2015, 1, 5),
    disability: bool = False,
    actor=None,
) -> Application:
    return services.application_submit(
        household=home,
        applicant=person,
        submitted_on=submitted_on,
        preferences=list(estates),
        disability=disability,
        actor=actor,
    )
