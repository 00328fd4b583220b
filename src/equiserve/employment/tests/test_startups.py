"""Small guaranteed loans and their interest subsidy, to the fen (issue 15, deliverable 4).

The expected figures are computed here apart from `rules.py`: by hand for a
three-month loan, and in exact fractions (not Decimal) for a longer one.
"""

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from equiserve.audit.models import AuditEntry
from equiserve.employment import rules, services
from equiserve.employment.models import GuaranteedLoan, LoanInstalment
from equiserve.rules.plan_gateway import parameter_on
from equiserve.testkit import XIAOLAN, make_officer, make_person

JAN_31 = dt.date(2015, 1, 31)


def _parameter(share="1", months=24, limit=80000):
    values = {
        "employment.guaranteed_loan_limit": limit,
        "employment.loan_interest_subsidy_share": Decimal(share),
        "employment.loan_subsidy_max_months": months,
    }
    return lambda name, day: values[name]


def _rows(schedule):
    return [
        (str(i.due_on), str(i.principal), str(i.interest), str(i.subsidy))
        for i in schedule
    ]


def test_an_equal_principal_loan_repays_a_third_a_month_the_last_fen_at_the_end():
    # 10,000 at 6 % a year: 0.5 % a month on what is still owed.
    schedule = rules.repayment_schedule(
        principal=Decimal("10000.00"),
        annual_rate=Decimal("0.06"),
        months=3,
        method=rules.EQUAL_PRINCIPAL,
        granted_on=JAN_31,
        parameter=_parameter(),
    )
    assert _rows(schedule) == [
        ("2015-02-28", "3333.33", "50.00", "50.00"),  # 10,000.00 × 0.005
        ("2015-03-31", "3333.33", "33.33", "33.33"),  # 6,666.67 × 0.005 = 33.333
        ("2015-04-30", "3333.34", "16.67", "16.67"),  # 3,333.34 × 0.005 = 16.6667
    ]


def test_an_annuity_pays_a_level_3366_72_and_the_last_instalment_clears_the_rest():
    # Payment 10,000 × 0.005 ÷ (1 − 1.005⁻³) = 3,366.7221… → 3,366.72.
    schedule = rules.repayment_schedule(
        principal=Decimal("10000.00"),
        annual_rate=Decimal("0.06"),
        months=3,
        method=rules.ANNUITY,
        granted_on=JAN_31,
        parameter=_parameter(),
    )
    assert _rows(schedule) == [
        ("2015-02-28", "3316.72", "50.00", "50.00"),
        ("2015-03-31", "3333.30", "33.42", "33.42"),  # 6,683.28 × 0.005 = 33.4164
        ("2015-04-30", "3349.98", "16.75", "16.75"),  # 3,349.98 × 0.005 = 16.7499
    ]


def test_half_the_interest_is_rounded_half_up_per_instalment_not_on_the_total():
    schedule = rules.repayment_schedule(
        principal=Decimal("10000.00"),
        annual_rate=Decimal("0.06"),
        months=3,
        method=rules.EQUAL_PRINCIPAL,
        granted_on=JAN_31,
        parameter=_parameter(share="0.5"),
    )
    # 25.00, 16.665 → 16.67, 8.335 → 8.34: 50.01, a fen above half of the 100.00.
    assert [str(i.subsidy) for i in schedule] == ["25.00", "16.67", "8.34"]
    assert sum(i.subsidy for i in schedule) == Decimal("50.01")


def _half_up(value: Fraction) -> Fraction:
    return Fraction(int(value * 100 + Fraction(1, 2)), 100)  # value ≥ 0


@pytest.mark.parametrize("method", [rules.EQUAL_PRINCIPAL, rules.ANNUITY])
def test_a_36_month_loan_is_subsidised_for_24_months_exactly(method):
    principal, rate, n = Fraction(80000), Fraction(535, 10000) / 12, 36
    level = (
        Fraction(int(principal / n * 100), 100)
        if method == rules.EQUAL_PRINCIPAL
        else _half_up(principal * rate / (1 - (1 + rate) ** -n))
    )
    owed, expected = principal, []
    for k in range(1, n + 1):
        interest = _half_up(owed * rate)
        repaid = owed if k == n else level - (interest if method == "annuity" else 0)
        subsidy = interest if k <= 24 else Fraction(0)
        expected.append((f"{float(repaid):.2f}", f"{float(interest):.2f}", subsidy))
        owed -= repaid
    schedule = rules.repayment_schedule(
        principal=Decimal("80000.00"),
        annual_rate=Decimal("0.0535"),
        months=n,
        method=method,
        granted_on=JAN_31,
        parameter=_parameter(),
    )
    got = [(str(i.principal), str(i.interest), Fraction(i.subsidy)) for i in schedule]
    assert got == expected
    assert sum(i.principal for i in schedule) == Decimal("80000.00")
    assert schedule[23].due_on == dt.date(2017, 1, 31) and schedule[23].subsidy > 0
    assert schedule[24].subsidy == 0


@pytest.fixture
def station(geography):
    return make_officer("town-x", "town", town=XIAOLAN)


def _grant(person, principal, day, actor):
    return services.loan_grant(
        person=person,
        business="灯饰网店",
        principal=Decimal(principal),
        annual_rate=Decimal("0.0535"),
        months=24,
        method=rules.ANNUITY,
        granted_on=day,
        actor=actor,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "day, principal, granted",
    [
        (dt.date(2015, 6, 30), "80000.00", True),
        (dt.date(2015, 6, 30), "80000.01", False),
        (dt.date(2015, 6, 30), "100000.00", False),
        (dt.date(2015, 7, 1), "100000.00", True),
        (dt.date(2015, 7, 1), "100000.01", False),
    ],
)
def test_a_loan_above_the_limit_in_force_on_its_grant_day_is_refused_and_not_saved(
    station, day, principal, granted
):
    person = make_person(XIAOLAN)
    audited = AuditEntry.objects.count()
    if granted:
        loan = _grant(person, principal, day, station)
        assert loan.instalments.count() == 24
        assert AuditEntry.objects.count() == audited + 1
        return
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        _grant(person, principal, day, station)
    limit = "80,000.00" if day < dt.date(2015, 7, 1) else "100,000.00"
    assert f"at most ¥{limit}" in refused.value.messages[0]
    assert not GuaranteedLoan.objects.exists()
    assert not LoanInstalment.objects.exists()
    assert AuditEntry.objects.count() == audited


@pytest.mark.django_db
def test_a_granted_loan_stores_the_schedule_the_rule_computes(station):
    loan = _grant(make_person(XIAOLAN), "50000.00", dt.date(2015, 9, 10), station)
    stored = list(loan.instalments.order_by("number"))
    computed = rules.repayment_schedule(
        principal=Decimal("50000.00"),
        annual_rate=Decimal("0.0535"),
        months=24,
        method=rules.ANNUITY,
        granted_on=dt.date(2015, 9, 10),
        parameter=parameter_on,
    )
    assert [(s.due_on, s.interest, s.subsidy) for s in stored] == [
        (c.due_on, c.interest, c.subsidy) for c in computed
    ]
    assert stored[0].interest == Decimal("222.92")  # 50,000 × 0.0535 ÷ 12 = 222.9166…


@pytest.mark.django_db
def test_the_api_refuses_a_loan_above_the_limit_in_the_callers_language(
    demo_accounts, client, token
):
    person = make_person(XIAOLAN)
    body = {
        "id_number": person.id_number,
        "business": "灯饰网店",
        "principal": "80000.01",
        "annual_rate": "0.0535",
        "months": 24,
        "method": "equal_principal",
        "granted_on": "2015-06-30",
    }
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token('town-xiaolan')}"}
    for language, words in (
        ("zh-hans", "最高为 ¥80,000.00"),
        ("en", "at most ¥80,000.00"),
    ):
        response = client.post(
            "/api/v1/employment/startups/loans", body,
            content_type="application/json",
            HTTP_COOKIE=f"django_language={language}", **auth,
        )  # fmt: skip
        assert response.status_code == 422
        assert words in response.json()["detail"], language
    assert not GuaranteedLoan.objects.exists()
    body["principal"] = "80000.00"
    response = client.post(
        "/api/v1/employment/startups/loans", body,
        content_type="application/json", **auth,
    )  # fmt: skip
    assert response.status_code == 201
    assert (
        response.json()["instalments"][0]["interest"] == "356.67"
    )  # 80,000 × 0.0535 ÷ 12


@pytest.mark.django_db
def test_the_page_refuses_a_loan_above_the_limit_in_chinese_and_saves_nothing(
    demo_accounts, client
):
    person = make_person(XIAOLAN)
    client.login(username="town-xiaolan", password="demo-town-xiaolan")
    form = {
        "id_number": person.id_number,
        "business": "灯饰网店",
        "principal": "100000.00",
        "annual_rate": "0.0535",
        "months": "24",
        "method": "annuity",
        "granted_on": "2015-06-30",
    }
    response = client.post("/employment/startups/loans/new/", form)
    assert response.status_code == 422
    assert "最高为 ¥80,000.00；¥100,000.00 超出上限" in response.content.decode()
    assert not GuaranteedLoan.objects.exists()
    form["granted_on"] = "2015-07-01"
    response = client.post("/employment/startups/loans/new/", form)
    loan = GuaranteedLoan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/employment/startups/loans/{loan.pk}/"


@pytest.mark.django_db
def test_a_loan_granted_before_the_plan_sets_a_limit_is_refused(station):
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        _grant(make_person(XIAOLAN), "1000.00", dt.date(2013, 12, 31), station)
    assert refused.value.messages == ["The plan sets no amount on 2013-12-31."]
    assert not GuaranteedLoan.objects.exists()
