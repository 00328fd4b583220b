"""The demo city's training ledger and loans keep the plan's rules (issue 15)."""

import datetime as dt
from decimal import Decimal

import pytest

from equiserve.employment.demo import employment_demo_load
from equiserve.employment.models import (
    Enrolment,
    GuaranteedLoan,
    LoanInstalment,
    TrainingPayment,
)
from equiserve.testkit import GUZHEN, SHIQI, XIAOLAN, make_person

pytestmark = pytest.mark.django_db
RISE = dt.date(2015, 7, 1)  # both illustrative rises of the plan's parameters


def test_the_demo_pays_each_certified_completer_once_and_lends_within_the_limit(
    geography,
):
    for number in range(600):
        make_person(
            (XIAOLAN, GUZHEN, SHIQI)[number % 3],
            birth_date=dt.date(1965 + number % 30, 3, 1),
        )
    counts = employment_demo_load(seed=2)
    assert counts["enrolments"] > 0 and counts["guaranteed_loans"] > 0
    certified = Enrolment.objects.filter(certified_on__isnull=False)
    assert TrainingPayment.objects.count() == certified.count() > 0
    for payment in TrainingPayment.objects.select_related("enrolment"):
        before = payment.enrolment.certified_on < RISE
        assert payment.amount == Decimal("800.00" if before else "1000.00")
    for loan in GuaranteedLoan.objects.all():
        limit = Decimal("80000" if loan.granted_on < RISE else "100000")
        assert loan.principal <= limit
        repaid = LoanInstalment.objects.filter(loan=loan)
        assert repaid.count() == loan.months
        assert sum(i.principal for i in repaid) == loan.principal
        assert all(i.subsidy == i.interest for i in repaid if i.number <= 24)
        assert all(i.subsidy == 0 for i in repaid if i.number > 24)
