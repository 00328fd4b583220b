import datetime as dt
from decimal import Decimal

import pytest

from equiserve.projects import selectors
from equiserve.projects.tests.factories import (
    make_milestone,
    make_project,
    make_spending,
)
from equiserve.testkit import XIAOLAN

pytestmark = pytest.mark.usefixtures("geography")


def test_project_budgets_sum_spending_to_the_fen_by_year_and_up_to_a_day():
    project = make_project(budget=Decimal("500000.05"), town_id=XIAOLAN)
    other = make_project(department="education", clause="3.1.3")
    make_spending(project, dt.date(2014, 3, 1), "100000.01")
    make_spending(project, dt.date(2015, 3, 1), "0.02")
    make_spending(project, dt.date(2015, 9, 1), "10.00")
    make_spending(other, dt.date(2015, 1, 1), "7.00")

    rows = selectors.project_budgets(year=2015, department="disabled-federation")
    assert [r.code for r in rows] == [project.code]
    row = rows[0]
    assert row.budget == Decimal("500000.05")
    assert row.spent == Decimal("10.02")
    assert row.spent_to_date == Decimal("100010.03")
    assert row.remaining == Decimal("399990.02")
    assert row.town_code == XIAOLAN and row.funding_source == "city"

    upto = selectors.project_budgets(on=dt.date(2015, 6, 30), town_code=XIAOLAN)
    assert upto[0].spent == upto[0].spent_to_date == Decimal("100000.03")
    everything = {r.code: r for r in selectors.project_budgets()}
    assert everything[other.code].spent == Decimal("7.00")


def test_overdue_is_late_or_not_done_by_the_planned_date():
    project = make_project()
    today = dt.date(2015, 7, 1)
    past = make_milestone(project, dt.date(2015, 6, 1))
    marked = make_milestone(project, dt.date(2015, 12, 1), status="late")
    make_milestone(project, dt.date(2015, 12, 1))
    make_milestone(
        project, dt.date(2015, 6, 1), status="done", actual_date=dt.date(2015, 5, 1)
    )
    assert list(selectors.overdue_milestones(today=today)) == [past, marked]
