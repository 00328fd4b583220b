"""Setting a project up on its page (issue 17, deliverable 4): the office names
any lead department, a department creates its own projects and edits only
them; milestones are added, changed and removed, each change audited; a
refusal saves nothing."""

import datetime as dt
from decimal import Decimal

import pytest

from equiserve.audit.models import AuditEntry
from equiserve.projects.models import Milestone, Project
from equiserve.projects.tests.factories import (
    make_milestone,
    make_project,
    make_spending,
)

FIELDS = {
    "code": "town-incubator",
    "name": "镇区孵化基地",
    "name_en": "Town incubation base",
    "clause": "3.7",
    "town": "",
    "funding_source": "town",
    "status": "planned",
    "budget": "2500000.50",
    "description": "",
}


def _milestones(rows, initial=0) -> dict:
    data = {
        "milestones-TOTAL_FORMS": str(len(rows)),
        "milestones-INITIAL_FORMS": str(initial),
        "milestones-MIN_NUM_FORMS": "0",
        "milestones-MAX_NUM_FORMS": "1000",
    }
    for n, row in enumerate(rows):
        data |= {f"milestones-{n}-{key}": value for key, value in row.items()}
    return data


def _row(name, start, end, position=1, **extra) -> dict:
    return {
        "name": name,
        "name_en": "",
        "planned_start": start,
        "planned_date": end,
        "position": str(position),
        **extra,
    }


def test_a_department_creates_a_project_led_by_itself_with_its_milestones(
    demo_accounts, login
):
    client = login("hr-social-security")
    form = FIELDS | {"lead_department": "education"}  # ignored: not theirs to name
    data = form | _milestones(
        [
            _row("选址", "2015-01-01", "2015-03-31", 1),
            _row("建成", "2015-04-01", "2015-12-31", 2),
            _row("", "", "", 0),  # a blank extra row adds nothing
        ]
    )
    response = client.post("/projects/new/", data)
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == "/projects/town-incubator/"
    project = Project.objects.get(code="town-incubator")
    assert project.lead_department == "hr-social-security"
    assert project.budget == Decimal("2500000.50")
    assert list(project.milestones.values_list("name", "planned_date")) == [
        ("选址", dt.date(2015, 3, 31)),
        ("建成", dt.date(2015, 12, 31)),
    ]
    created = AuditEntry.objects.filter(action="create").order_by("seq")
    assert list(created.values_list("object_type", flat=True)) == [
        "projects.project",
        "projects.milestone",
        "projects.milestone",
    ]
    # The new project is theirs: they edit it; another department may not.
    assert client.get("/projects/town-incubator/edit/").status_code == 200
    other = login("education").get("/projects/town-incubator/edit/")
    assert other.status_code == 403


def test_the_office_names_the_lead_department(demo_accounts, login):
    client = login("office")
    page = client.get("/projects/new/").content.decode()
    assert 'name="lead_department"' in page
    assert 'name="lead_department"' not in (
        login("culture").get("/projects/new/").content.decode()
    )
    data = FIELDS | {"lead_department": "culture"} | _milestones([])
    assert client.post("/projects/new/", data).status_code == 302
    assert Project.objects.get(code="town-incubator").lead_department == "culture"


def test_another_department_cannot_edit_and_nothing_changes(demo_accounts, login):
    project = make_project(code="service-centre", name="综合服务中心")
    data = FIELDS | {"name": "改名"} | _milestones([])
    for username, status in [
        ("education", 403),
        ("auditor", 403),
        ("town-xiaolan", 404),
    ]:
        response = login(username).post(f"/projects/{project.code}/edit/", data)
        assert response.status_code == status, username
    assert Project.objects.get(pk=project.pk).name == "综合服务中心"
    assert not AuditEntry.objects.filter(object_type="projects.project").exists()


def test_the_lead_department_edits_changes_and_removes_milestones(demo_accounts, login):
    project = make_project(code="service-centre", name="综合服务中心")
    keep = make_milestone(project, dt.date(2015, 6, 30), name="立项", position=1)
    drop = make_milestone(project, dt.date(2015, 9, 30), name="招标", position=2)
    client = login("disabled-federation")
    page = client.get(f"/projects/{project.code}/edit/").content.decode()
    assert 'value="立项"' in page and 'value="招标"' in page
    assert 'name="code"' not in page  # the code names the project for good
    data = (
        FIELDS
        | {
            "name": "综合服务中心（一期）",
            "name_en": project.name_en,
            "clause": "3.9",
            "funding_source": "city",
            "status": "in-progress",
            "budget": "1000000.00",
        }
        | _milestones(
            [
                _row("立项", "2015-01-01", "2015-07-31", 1, id=str(keep.pk)),
                _row(
                    "招标", "2015-07-01", "2015-09-30", 2, id=str(drop.pk), DELETE="on"
                ),
                _row("竣工", "2016-01-01", "2016-06-30", 3),
            ],
            initial=2,
        )
    )
    response = client.post(f"/projects/{project.code}/edit/", data)
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.name, project.status) == ("综合服务中心（一期）", "in-progress")
    assert project.lead_department == "disabled-federation"
    assert list(project.milestones.values_list("name", "planned_date")) == [
        ("立项", dt.date(2015, 7, 31)),
        ("竣工", dt.date(2016, 6, 30)),
    ]
    entries = AuditEntry.objects.filter(object_type__startswith="projects.").order_by(
        "seq"
    )
    assert [(e.action, e.object_type) for e in entries] == [
        ("update", "projects.project"),
        ("update", "projects.milestone"),
        ("delete", "projects.milestone"),
        ("create", "projects.milestone"),
    ]
    assert entries[0].changes["before"] == {
        "name": "综合服务中心",
        "status": "planned",
    }
    assert entries[1].changes["after"] == {
        "name_en": "",
        "planned_start": "2015-01-01",
        "planned_date": "2015-07-31",
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("ends-before-start", "The milestone 竣工 is planned to end before it starts."),
        ("duplicate-code", "Project with this Project code already exists."),
        ("reserved-code", "The code overdue names a page; choose another."),
        ("bad-code", "Use lowercase letters, digits and hyphens only."),
        ("negative-budget", "Ensure this value is greater than or equal to 0."),
    ],
)
def test_a_refused_project_saves_nothing_and_says_why(
    demo_accounts, login, change, message
):
    make_project(code="service-centre")
    fields = dict(FIELDS)
    rows = [_row("选址", "2015-01-01", "2015-03-31")]
    if change == "ends-before-start":
        rows.append(_row("竣工", "2016-06-30", "2016-01-01", 2))
    elif change == "duplicate-code":
        fields["code"] = "service-centre"
    elif change == "reserved-code":
        fields["code"] = "overdue"
    elif change == "bad-code":
        fields["code"] = "Town Incubator"
    else:
        fields["budget"] = "-1"
    response = login("sports").post("/projects/new/", fields | _milestones(rows))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert Project.objects.count() == 1
    assert not Milestone.objects.exists()
    assert not AuditEntry.objects.filter(object_type__startswith="projects.").exists()


def test_a_milestone_with_spending_is_not_removed(demo_accounts, login):
    project = make_project(code="service-centre")
    milestone = make_milestone(project, dt.date(2015, 6, 30), name="立项")
    spending = make_spending(project, dt.date(2015, 6, 1), "100.00")
    spending.milestone = milestone
    spending.save()
    data = (
        FIELDS
        | {"name": "新名"}
        | _milestones(
            [
                _row(
                    "立项",
                    "2015-01-01",
                    "2015-06-30",
                    id=str(milestone.pk),
                    DELETE="on",
                )
            ],
            initial=1,
        )
    )
    response = login("disabled-federation").post(
        f"/projects/{project.code}/edit/", data
    )
    assert response.status_code == 422
    assert "has spending recorded against it and cannot be removed" in (
        response.content.decode()
    )
    project.refresh_from_db()
    assert project.name != "新名"  # all or nothing: the project's change too
    assert Milestone.objects.filter(pk=milestone.pk).exists()


def test_a_milestone_of_another_project_is_refused(demo_accounts, login):
    mine = make_project(code="service-centre")
    theirs = make_project(code="library", department="culture")
    foreign = make_milestone(theirs, dt.date(2015, 6, 30), name="开馆")
    data = FIELDS | _milestones(
        [_row("改", "2015-01-01", "2015-06-30", id=str(foreign.pk))], initial=1
    )
    response = login("disabled-federation").post(f"/projects/{mine.code}/edit/", data)
    assert response.status_code == 422
    assert "That milestone is not one of this project&#x27;s." in (
        response.content.decode()
    )
    assert Milestone.objects.get(pk=foreign.pk).name == "开馆"
