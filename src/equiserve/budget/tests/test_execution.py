"""Budget execution (issue 18): committed and paid checked independently of the
selectors, the forecast, budget versions, the finance role and the XLSX export."""

import datetime as dt
import io
from collections import defaultdict
from decimal import Decimal

import pytest
from django.http import Http404
from django.urls import reverse
from openpyxl import load_workbook

from equiserve.accounts.models import Role
from equiserve.budget.models import BudgetLine, Estimate, EstimateKind, Funding
from equiserve.budget.selectors import execution, forecast
from equiserve.budget.services import budget_line_enter
from equiserve.budget.tests.factories import demo_like_city
from equiserve.cases.models import PAYMENT, Delivery, Entitlement
from equiserve.rules import plan_gateway
from equiserve.testkit import GUZHEN, XIAOLAN, make_officer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("geography")]
YEAR_END = dt.date(2015, 12, 31)


def _by_programme_and_town(rows, name):
    found = defaultdict(lambda: Decimal("0.00"))
    for row in rows:
        found[(row.programme, row.town)] += getattr(row, name)
    return {key: value for key, value in found.items() if value}


def test_committed_is_the_sum_of_decided_entitlements_per_programme_and_town():
    demo_like_city()
    expected = defaultdict(Decimal)
    for ent in Entitlement.objects.select_related("case"):
        if ent.active and ent.amount is not None and ent.case.applied_on.year == 2015:
            expected[(ent.case.programme, ent.case.town_id)] += ent.amount
    result = execution(2015, on=YEAR_END)
    assert _by_programme_and_town(result.rows, "committed") == dict(expected)
    assert expected[("hardship_relief", GUZHEN)] == Decimal("6003.30")


def test_paid_is_the_sum_of_payments_and_services_valued_at_unit_costs():
    demo_like_city()
    day = dt.date(2015, 6, 1)
    expected = defaultdict(Decimal)
    for delivery in Delivery.objects.select_related("case"):
        if delivery.item == PAYMENT and delivery.delivered_on.year == 2015:
            expected[(delivery.case.programme, delivery.case.town_id)] += (
                delivery.amount
            )
    # A funeral: the basic services once per case, storage per day.
    basic = plan_gateway.parameter_on("costs.funeral_basic_services_per_case", day)
    per_day = plan_gateway.parameter_on("costs.funeral_body_storage_per_day", day)
    for town in (XIAOLAN, GUZHEN, "442000001"):
        expected[("funeral", town)] += Decimal(basic) + 3 * Decimal(per_day)
    result = execution(2015, on=YEAR_END)
    assert _by_programme_and_town(result.rows, "paid") == dict(expected)
    # Payments alone, per programme and town, equal the payments recorded.
    payments = sum(
        d.amount
        for d in Delivery.objects.filter(
            item=PAYMENT, case__programme="preschool_subsidy"
        )
    )
    assert (
        sum(r.paid for r in result.rows if r.programme == "preschool_subsidy")
        == payments
    )


def test_the_forecast_extrapolates_the_run_rate_to_the_fen():
    assert forecast(Decimal("100.00"), 2015, dt.date(2015, 12, 31)) == Decimal("100.00")
    # 1 July 2015 is day 182 of 365.
    assert forecast(Decimal("100.00"), 2015, dt.date(2015, 7, 1)) == Decimal("200.55")
    assert forecast(Decimal("100.00"), 2015, dt.date(2014, 7, 1)) is None


def test_finance_enters_versions_and_the_latest_is_the_budget():
    finance = make_officer("finance-1", Role.FINANCE)
    for amount in ("5000.00", "7000.50"):
        budget_line_enter(
            year=2015,
            programme="hardship_relief",
            town_code=XIAOLAN,
            funding=Funding.TOWN,
            amount=Decimal(amount),
            actor=finance,
        )
    assert BudgetLine.objects.count() == 2
    Estimate.objects.create(
        year=2015,
        kind=EstimateKind.PROGRAMME,
        code="hardship_relief",
        town_id=XIAOLAN,
        funding=Funding.TOWN,
        amount=Decimal("6000.00"),
    )
    row = next(r for r in execution(2015, on=YEAR_END).rows if r.town == XIAOLAN)
    assert (row.budget, row.budget_version, row.estimate) == (
        Decimal("7000.50"),
        2,
        Decimal("6000.00"),
    )
    assert row.uncommitted == Decimal("7000.50")


def test_only_finance_writes_budgets_and_everyone_else_reads():
    office = make_officer("office-1", Role.OFFICE)
    with pytest.raises(Http404):
        budget_line_enter(
            year=2015,
            programme="funeral",
            town_code=None,
            funding=Funding.CITY,
            amount=Decimal("1"),
            actor=office,
        )


def test_the_page_and_xlsx_have_one_sheet_per_domain(client):
    demo_like_city()
    finance = make_officer("finance-2", Role.FINANCE)
    client.force_login(finance)
    page = client.get(reverse("budget:overview") + "?year=2015")
    assert page.status_code == 200
    assert "¥" in page.content.decode()
    answer = client.get(reverse("budget:export") + "?year=2015")
    book = load_workbook(io.BytesIO(answer.content))
    assert len(book.sheetnames) >= 3  # summary, 3.1, 3.4, 3.5
    assert any(name.startswith("3.4") for name in book.sheetnames)
    posted = client.post(
        reverse("budget:enter"),
        {"year": 2015, "programme": "funeral", "funding": "city", "amount": "10.00"},
    )
    assert posted.status_code == 302
    assert BudgetLine.objects.filter(programme="funeral").exists()


def test_a_town_officer_reads_only_their_town_and_anonymous_nothing(client):
    demo_like_city()
    assert client.get(reverse("budget:overview")).status_code == 302
    client.force_login(make_officer("town-1", Role.TOWN, town=XIAOLAN))
    page = client.get(reverse("budget:overview") + "?year=2015").content.decode()
    assert "小榄" in page and "古镇" not in page.split("<main")[1]
    assert client.post(reverse("budget:enter"), {}).status_code == 404
