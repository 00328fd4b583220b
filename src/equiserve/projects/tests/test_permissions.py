"""The permission matrix (issue 17, acceptance 4): every role × every projects
page and endpoint. Departments and the office read and download documents;
the lead department updates its own projects (403 on another's); the office
and the lead department edit a project and file its documents, every
department and the office set a new one up, the auditor only reads; town
officers and others 404."""

import datetime as dt

from equiserve.accounts.models import Department
from equiserve.projects.tests.factories import (
    make_document,
    make_milestone,
    make_project,
)

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
    ("get", "/projects/new/"),
    ("post", "/projects/new/"),
    ("get", "/projects/{code}/edit/"),
    ("post", "/projects/{code}/edit/"),
    ("post", "/projects/{code}/documents/"),
    ("get", "/projects/{code}/documents/{document}/"),
    ("api", "/api/v1/projects/{code}/documents"),
    ("api", "/api/v1/projects/{code}/documents/{document}"),
]
# The POSTs to the set-up pages and the upload send an empty form: 422 for
# those allowed (the form's errors), before anything is saved.
# fmt: off
#                                             new  new+ edit edit+ doc+ doc  Adocs Adoc
LEAD =   (200,) * 7 + (302, 302) + (200,) * 5 + (201, 200, 422, 200, 422, 422, 200, 200, 200)
OFFICE = (200,) * 7 + (403, 403) + (200,) * 4 + (403, 403, 200, 422, 200, 422, 422, 200, 200, 200)
DEPT =   (200,) * 7 + (403, 403) + (200,) * 4 + (403, 403, 200, 422, 403, 403, 403, 200, 200, 200)
AUDIT =  (200,) * 7 + (403, 403) + (200,) * 4 + (403, 403, 403, 403, 403, 403, 403, 200, 200, 200)
NONE =   (404,) * 9 + (404,) * 6 + (404,) * 6 + (404, 404)
MATRIX = {
    "disabled-federation": LEAD,
    **{d.value: DEPT for d in Department if d != Department.DISABLED_FEDERATION},
    "civil-affairs-checker": DEPT,
    "office": OFFICE,
    "auditor": AUDIT,
    "town-xiaolan": NONE,
    "town-guzhen": NONE,
    "finance": NONE,
    None: (302,) * 9 + (401,) * 6 + (302,) * 6 + (401, 401),
}
# fmt: on


def test_permission_matrix(demo_accounts, login, token):
    project = make_project(code="training-base")
    milestone = make_milestone(project, dt.date(2015, 6, 30))
    document = make_document(project)
    ids = {"code": project.code, "milestone": milestone.pk, "document": document.pk}
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
            elif method == "post" and url.endswith("spending/"):
                response = client.post(url, {"paid_on": "2015-01-01", "amount": "1.00"})
            elif method == "post":
                response = client.post(url, {})
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
