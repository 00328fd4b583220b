"""Who reads and writes budget execution, page and API (issue 18): every role."""

import pytest

from equiserve.budget.models import BudgetLine
from equiserve.budget.tests.factories import demo_like_city

pytestmark = pytest.mark.django_db

# role account → (reads the page, writes a budget)
MATRIX = {
    "office": (True, False),
    "auditor": (True, False),
    "finance": (True, True),
    "civil-affairs": (True, False),
    "town-xiaolan": (True, False),
    None: (False, False),
}
LINE = {
    "year": 2015,
    "programme": "hardship_relief",
    "town": "442000100",
    "funding": "town",
    "amount": "1200.50",
}


@pytest.mark.parametrize("username", list(MATRIX))
def test_budget_pages_by_role(demo_accounts, login, username):
    reads, writes = MATRIX[username]
    client = login(username)
    page = client.get("/budget/?year=2015")
    assert page.status_code == (200 if reads else 302)
    posted = client.post("/budget/enter/", LINE)
    assert posted.status_code == (302 if writes else (404 if reads else 302))
    assert BudgetLine.objects.exists() == writes


@pytest.mark.parametrize("username", [u for u in MATRIX if u])
def test_budget_api_by_role(demo_accounts, client, token, username):
    reads, writes = MATRIX[username]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token(username)}"}
    answer = client.get("/api/v1/budget/execution?year=2015", **auth)
    assert answer.status_code == 200
    created = client.post(
        "/api/v1/budget/lines", LINE, content_type="application/json", **auth
    )
    assert created.status_code == (201 if writes else 404)
    if writes:
        assert created.json()["amount"] == "1200.50"


def test_a_department_reads_its_own_programmes_only(demo_accounts, client, token):
    demo_like_city()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token('education')}"}
    lines = client.get("/api/v1/budget/execution?year=2015", **auth).json()["lines"]
    assert {line["programme"] for line in lines} == {"preschool_subsidy"}
    assert all(line["committed"] == "1500.00" for line in lines)


def test_finance_starts_from_the_lines_forecast_above_budget(demo_accounts, login):
    page = login("finance").get("/start/")
    assert page.status_code == 200
    assert "/budget/?year=2015" in page.content.decode()
