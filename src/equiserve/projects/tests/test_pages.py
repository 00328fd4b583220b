"""The tracker's pages: money to the fen, a milestone marked late in the overdue
list and in the lead department's half-yearly report, spending refused when
not to the fen (issue 17, deliverable 4)."""

import datetime as dt
from decimal import Decimal

import pytest

from equiserve.monitoring.services import report_open
from equiserve.projects.demo import projects_demo_load
from equiserve.projects.models import Milestone, Project, Spending
from equiserve.projects.tests.factories import make_milestone, make_project


@pytest.fixture
def lead(demo_accounts):
    project = make_project(code="childrens-school", name="重度残疾儿童学校", name_en="")
    done = make_milestone(
        project,
        dt.date(2015, 3, 31),
        name="选址",
        name_en="",
        status="done",
        actual_date=dt.date(2015, 3, 1),
    )
    future = make_milestone(project, dt.date(2099, 6, 30), name="开学", name_en="")
    return {"project": project, "done": done, "future": future}


def test_a_milestone_marked_late_shows_in_the_overdue_list_and_the_report(
    lead, login, django_user_model
):
    federation, office = login("disabled-federation"), login("office")
    future = lead["future"]
    assert "开学" not in office.get("/projects/overdue/").content.decode()
    response = federation.post(
        f"/projects/milestones/{future.pk}/", {"status": "late", "note": "地基延误"}
    )
    assert response.status_code == 302
    assert Milestone.objects.get(pk=future.pk).status == "late"
    overdue = office.get("/projects/overdue/").content.decode()
    assert "开学" in overdue and "重度残疾儿童学校" in overdue
    # The department's 2015 H1 report shows the milestone done in the period.
    report = report_open(
        period="2015H1",
        actor=django_user_model.objects.get(username="disabled-federation"),
    )
    page = federation.get(f"/monitoring/reports/{report.pk}/").content.decode()
    assert 'id="report-milestones"' in page and "选址" in page
    # Another department's report shows none of it.
    other = report_open(
        period="2015H1", actor=django_user_model.objects.get(username="education")
    )
    page = login("education").get(f"/monitoring/reports/{other.pk}/").content.decode()
    assert 'id="report-milestones"' not in page


def test_spending_is_exact_to_the_fen_and_a_third_decimal_refused(lead, login):
    client = login("disabled-federation")
    url = f"/projects/{lead['project'].code}/spending/"
    client.post(url, {"paid_on": "2015-02-01", "amount": "1,234.56"})
    client.post(url, {"paid_on": "2015-02-01", "amount": "0.015"})
    assert [s.amount for s in Spending.objects.all()] == [Decimal("1234.56")]
    page = client.get(f"/projects/{lead['project'].code}/").content.decode()
    assert "¥1,234.56" in page


def test_the_demo_projects_load_deterministically(geography):
    assert projects_demo_load() == 9
    first = list(Spending.objects.values_list("project__code", "paid_on", "amount"))
    assert projects_demo_load() == 9
    again = list(Spending.objects.values_list("project__code", "paid_on", "amount"))
    assert first == again
    assert set(Project.objects.values_list("clause", flat=True)) == {
        "3.9",
        "3.1.3",
        "3.2.1",
        "3.2.2",
        "3.7",
        "3.8",
    }
    assert all(Project.objects.values_list("illustrative", flat=True))
    assert "2014年春季" in Project.objects.get(code="senior-high-transfer").description
