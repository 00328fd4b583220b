"""The one-standard indicator of 3.4.3 is measured from grants paid (issue 13, deliverable 4)."""

import datetime as dt
from decimal import Decimal

import pytest

from equiserve.cases.engine import assess
from equiserve.cases.models import (
    PAYMENT,
    Assessment,
    Case,
    Decision,
    Delivery,
    Entitlement,
)
from equiserve.cases.programmes import programme
from equiserve.monitoring.definitions import load_definitions
from equiserve.monitoring.periods import period_get
from equiserve.monitoring.sources import CITY_PLACE
from equiserve.monitoring.values import compute
from equiserve.registry.models import Person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_city")]

CODE = "social.veterans_rural_grant_share"


def _paid_grant(person, discharged, payments, officer):
    """Decide a conscript's grant with the engine and record `payments` (day, share)."""
    grant = programme("veteran_grant")
    facts = {"veteran_kind": "conscript", "veteran_discharged": discharged.isoformat()}
    applied_on = discharged + dt.timedelta(days=30)
    result = assess(grant, person, facts, applied_on)
    case = Case.objects.create(
        programme="veteran_grant",
        applicant=person,
        town_id=person.town_id,
        status="approved",
        applied_on=applied_on,
        facts=facts,
        created_by=officer,
        updated_by=officer,
    )
    assessment = Assessment.objects.create(
        case=case,
        evaluated_on=result.evaluated_on,
        assessed_by=officer,
        plan=result.plan,
        eligible=result.eligible,
        inputs=result.inputs,
        answer=result.answer,
        proposal=result.proposal,
    )
    amount = Decimal(result.proposal["amount"])
    decision = Decision.objects.create(
        case=case,
        assessment=assessment,
        kind="approve",
        reason="test",
        amount=amount,
        decided_by=officer,
    )
    entitlement = Entitlement.objects.create(
        case=case, decision=decision, amount=amount, approved_by=officer
    )
    for day, share in payments:
        Delivery.objects.create(
            case=case,
            entitlement=entitlement,
            item=PAYMENT,
            amount=(amount * share).quantize(Decimal("0.01")),
            delivered_on=day,
            recorded_by=officer,
        )
    return amount


def test_rural_grants_count_at_the_unified_standard_only_when_paid_at_the_urban_amount(
    django_user_model,
):
    officer = django_user_model.objects.create_user("civil-test", password="x")
    adults = Person.objects.filter(
        hukou="zhongshan", death_date__isnull=True, birth_date__lt=dt.date(1990, 1, 1)
    ).order_by("pk")
    rural = list(adults.filter(hukou_kind="rural")[:3])
    urban = adults.filter(hukou_kind="urban").first()
    # Discharged in 2014: the plan only narrows the gap, a rural conscript is
    # paid a share of the urban grant — not the one standard.
    narrowed = _paid_grant(
        rural[0], dt.date(2014, 6, 1), [(dt.date(2014, 8, 1), 1)], officer
    )
    _paid_grant(urban, dt.date(2014, 6, 1), [(dt.date(2014, 8, 1), 1)], officer)
    # Discharged in 2015: one standard; paid in full, and paid only half so far.
    full = _paid_grant(
        rural[1], dt.date(2015, 2, 1), [(dt.date(2015, 4, 1), 1)], officer
    )
    _paid_grant(
        rural[2],
        dt.date(2015, 2, 1),
        [(dt.date(2015, 4, 1), Decimal("0.5")), (dt.date(2015, 8, 1), Decimal("0.5"))],
        officer,
    )
    assert narrowed < full  # the 2014 rural share is below the urban grant
    indicator = load_definitions().get(CODE)
    periods = [period_get(p) for p in ("2014H1", "2014H2", "2015H1", "2015H2")]
    values = compute([indicator], periods=periods, levels=["city", "town"])
    h1_2014, h2_2014, h1_2015, h2_2015 = (
        values.get(CODE, p, CITY_PLACE) for p in periods
    )
    assert h1_2014.value is None  # nothing paid: no data, not a declared 80 or 100
    assert (h2_2014.numerator, h2_2014.denominator) == (0, 1)  # the urban one not
    assert (h1_2015.numerator, h1_2015.denominator) == (1, 2)
    assert h1_2015.value == pytest.approx(50.0)
    # The half paid in 2015H2 completes the second grant at the urban amount.
    assert (h2_2015.numerator, h2_2015.denominator) == (1, 1)
    # A town's figure counts the grants of its cases; the city is their sum.
    towns = values.select(CODE, periods[2], places=[p.town_id for p in rural[1:]])
    assert sum(v.denominator for v in towns) == 2
    assert sum(v.numerator for v in towns) == 1
