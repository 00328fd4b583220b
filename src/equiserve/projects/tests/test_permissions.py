"""The permission matrix (issue 17, acceptance 4): every role × every projects
page and endpoint. Departments and the office read; the lead department
updates its own projects (403 on another's); town officers and others 404."""

import datetime as dt

from equiserve.accounts.models import Department
from equiserve.projects.tests.factories import make_milestone, make_project

COLUMNS = [
    ("get", "/projects/"),
    ("get", "/projects/export.xlsx"),
    ("get", "/projects/gantt.json"),
    ("get", "/projects/gantt.json?project={code}"),
    ("get", "/projects/overdue/"),
    ("get", "/projects/overdue/?format=xlsx"),
    ("get", "/projects/{code}/"),
    ("post", "/projects/milestones/{milestone}/"),
    ("post", "/projects/{code}/spending/"),
    ("api", "/api/v1/projects/"),
    ("api", "/api/v1/projects/overdue"),
    ("api", "/api/v1/projects/{code}"),
    ("api", "/api/v1/projects/{code}/milestones"),
    ("patch", "/api/v1/projects/milestones/{milestone}"),
    ("apipost", "/api/v1/projects/{code}/spending"),
]
# fmt: off
LEAD =   (200,) * 7 + (302, 302) + (200,) * 5 + (201,)
READER = (200,) * 7 + (403, 403) + (200,) * 4 + (403, 403)
NONE =   (404,) * 9 + (404,) * 6
MATRIX = {
    "disabled-federation": LEAD,
    **{d.value: READER for d in Department if d != Department.DISABLED_FEDERATION},
    "civil-affairs-checker": READER,
    "office": READER,
    "auditor": READER,
    "town-xiaolan": NONE,
    "town-guzhen": NONE,
    "finance": NONE,
    None: (302,) * 9 + (401,) * 6,
}
# fmt: on


def test_permission_matrix(demo_accounts, login, token):
    project = make_project(code="training-base")
    milestone = make_milestone(project, dt.date(2015, 6, 30))
    ids = {"code": project.code, "milestone": milestone.pk}
    failures = {}
    for username in [*demo_accounts, None]:
        client = login(username)
        headers = {"Authorization": f"Bearer {token(username)}"} if username else {}
        statuses = []
        for method, path in COLUMNS:
            url = path.format(**ids)
            if method == "get":
                response = client.get(url)
            elif method == "post" and "milestones" in url:
                response = client.post(url, {"status": "late"})
            elif method == "post":
                response = client.post(url, {"paid_on": "2015-01-01", "amount": "1.00"})
            elif method == "api":
                response = client.get(url, headers=headers)
            elif method == "patch":
                response = client.patch(
                    url,
                    {"status": "late"},
                    content_type="application/json",
                    headers=headers,
                )
            else:
                response = client.post(
                    url,
                    {"paid_on": "2015-01-01", "amount": "1.00"},
                    content_type="application/json",
                    headers=headers,
                )
            statuses.append(response.status_code)
        if tuple(statuses) != MATRIX.get(username):
            failures[username] = statuses
    assert failures == {}


def test_the_admin_sets_projects_up_readers_only_look(
    demo_accounts, login, admin_client
):
    project = make_project(code="service-centre")
    office = login("office")
    assert office.get("/admin/projects/project/").status_code == 200
    assert office.get("/admin/projects/project/add/").status_code == 403
    assert admin_client.get("/admin/projects/project/add/").status_code == 200
    change = f"/admin/projects/project/{project.pk}/change/"
    assert admin_client.get(change).status_code == 200
    assert login("town-xiaolan").get("/admin/projects/project/").status_code == 302
