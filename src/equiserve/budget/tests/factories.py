"""Demo-like casework for budget and publication tests: cases decided and paid.

Made straight in the database (no engine run), so that a test builds it in a
fraction of a second: several programmes, three towns, entitlements in force
and withdrawn, payments and services in 2015 and 2016.
"""

import datetime as dt
from decimal import Decimal

from equiserve.accounts.models import Role
from equiserve.cases.models import PAYMENT, Case, Decision, Delivery, Entitlement
from equiserve.testkit import GUZHEN, SHIQI, XIAOLAN, make_officer, make_person

TOWNS = (XIAOLAN, GUZHEN, SHIQI)


def decided_case(
    programme: str,
    town: str,
    *,
    amount: Decimal | None,
    applied_on: dt.date = dt.date(2015, 3, 1),
    officer,
    items: dict | None = None,
    active: bool = True,
) -> tuple[Case, Entitlement]:
    person = make_person(town)
    case = Case.objects.create(
        programme=programme,
        applicant=person,
        town_id=town,
        status="approved",
        applied_on=applied_on,
        created_by=officer,
        updated_by=officer,
    )
    decision = Decision.objects.create(
        case=case, kind="approve", reason="demo", amount=amount, decided_by=officer
    )
    entitlement = Entitlement.objects.create(
        case=case,
        decision=decision,
        amount=amount,
        items=items or {},
        approved_by=officer,
        active=active,
    )
    return case, entitlement


def pay(entitlement: Entitlement, amount: str, day: dt.date, officer) -> Delivery:
    return Delivery.objects.create(
        case=entitlement.case,
        entitlement=entitlement,
        item=PAYMENT,
        amount=Decimal(amount),
        delivered_on=day,
        recorded_by=officer,
    )


def deliver(entitlement, item: str, quantity: int, day: dt.date, officer) -> Delivery:
    return Delivery.objects.create(
        case=entitlement.case,
        entitlement=entitlement,
        item=item,
        quantity=quantity,
        delivered_on=day,
        recorded_by=officer,
    )


def demo_like_city() -> dict:
    """Build casework across programmes and towns; return the officer and counts."""
    officer = make_officer(
        "civil-affairs-budget", Role.DEPARTMENT, department="civil-affairs"
    )
    made = []
    day = dt.date(2015, 6, 1)
    for index, town in enumerate(TOWNS):
        for n in range(index + 2):
            _case, ent = decided_case(
                "hardship_relief", town, amount=Decimal("2000.10") + n, officer=officer
            )
            pay(ent, "1000.05", day, officer)
            if n % 2:
                pay(ent, "500.00", dt.date(2015, 11, 30), officer)
            made.append(ent)
        _case, ent = decided_case(
            "preschool_subsidy", town, amount=Decimal("1500.00"), officer=officer
        )
        pay(ent, "1500.00", day, officer)
        # Withdrawn on appeal: not committed; its payment was still made.
        _case, gone = decided_case(
            "hardship_relief",
            town,
            amount=Decimal("9999.99"),
            officer=officer,
            active=False,
        )
        pay(gone, "100.00", day, officer)
        # Another year: not in 2015.
        decided_case(
            "hardship_relief",
            town,
            amount=Decimal("777.77"),
            applied_on=dt.date(2016, 2, 1),
            officer=officer,
        )
        # A funeral: services valued at their unit costs.
        _case, funeral = decided_case(
            "funeral", town, amount=None, officer=officer, items={"cremation": 1}
        )
        deliver(funeral, "cremation", 1, day, officer)
        deliver(funeral, "body_storage", 3, day, officer)
    return {"officer": officer, "entitlements": made}
