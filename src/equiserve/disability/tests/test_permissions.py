"""The permission matrix (issue 17, acceptance 4): every role × every disability
page and endpoint × town. The federation records everywhere, town officers in
their town, office and auditor read; every other role gets a 404."""

import datetime as dt

import pytest

from equiserve.accounts.models import Department
from equiserve.disability.models import DisabilityRecord
from equiserve.disability.tests.factories import make_institution, make_record
from equiserve.testkit import GUZHEN, XIAOLAN, make_person

# Columns: method, path ({xl}/{gz}: the register record in Xiaolan/Guzhen).
COLUMNS = [
    ("get", "/disability/"),
    ("get", "/disability/?format=xlsx"),
    ("get", "/disability/register/"),
    ("get", "/disability/register/?format=xlsx"),
    ("get", "/disability/register/new/"),
    ("get", "/disability/register/{xl}/"),
    ("get", "/disability/register/{gz}/"),
    ("post", "/disability/register/{xl}/services/"),
    ("post", "/disability/register/{xl}/waiting/"),
    ("get", "/disability/institutions/"),
    ("get", "/disability/institutions/?format=xlsx"),
    ("api", "/api/v1/disability/register"),
    ("api", "/api/v1/disability/coverage?year=2015"),
    ("api", "/api/v1/disability/institutions"),
    ("apipost", "/api/v1/disability/register/{xl}/services"),
    ("apipost", "/api/v1/disability/register/{gz}/services"),
    ("get", "/disability/waiting/"),
    ("api", "/api/v1/disability/waiting"),
    ("apiregister", "/api/v1/disability/register"),
]
# The register POST names a Xiaolan person not yet registered, with a grade
# digit that does not match: 422 for those who record in Xiaolan, nothing saved.
NONE = (404,) * 11 + (404, 404, 404, 404, 404) + (404, 404, 404)
# fmt: off
#               cov  cxl  reg  rxl  new  r-xl r-gz s-xl w-xl inst ixl  Areg Acov Ains As-xl As-gz wait Await Areg+
FEDERATION = (200, 200, 200, 200, 200, 200, 200, 302, 302, 200, 200, 200, 200, 200, 201, 201, 200, 200, 422)
READER =     (200, 200, 200, 403, 403, 200, 200, 403, 403, 200, 200, 200, 200, 200, 403, 403, 200, 200, 403)
MATRIX = {
    "disabled-federation": FEDERATION,
    "office": READER,
    "auditor": READER,
    "town-xiaolan": (200, 200, 200, 200, 200, 200, 404, 302, 302, 200, 200, 200, 200, 200, 201, 404, 200, 200, 422),
    "town-guzhen":  (200, 200, 200, 200, 200, 404, 200, 404, 404, 200, 200, 200, 200, 200, 404, 201, 200, 200, 404),
    **{d.value: NONE for d in Department if d != Department.DISABLED_FEDERATION},
    "civil-affairs-checker": NONE,
    "finance": NONE,
    None: (302,) * 11 + (401,) * 5 + (302, 401, 401),
}
# fmt: on


@pytest.fixture
def records(demo_accounts):
    institution = make_institution("care", kind="care")
    return {
        "xl": make_record(XIAOLAN).pk,
        "gz": make_record(GUZHEN).pk,
        "institution": institution,
        "unregistered": make_person(XIAOLAN, name="赵六"),
    }


def test_the_matrix_names_every_demo_account(demo_accounts):
    assert set(demo_accounts) <= set(MATRIX) - {None}


def test_permission_matrix(records, demo_accounts, login, token):
    ids = {"xl": records["xl"], "gz": records["gz"]}
    service = {"kind": "rehabilitation", "start_date": "2015-05-01", "cost": "10.00"}
    waiting = {"institution": records["institution"].pk, "since": "2015-05-01"}
    person = records["unregistered"]
    register = {
        "id_number": person.id_number,
        "name": "赵六",
        "certificate_number": person.id_number + "43",
        "category": "physical",
        "grade": 2,
        "issued_on": "2015-03-01",
    }
    failures = {}
    for username in [*demo_accounts, None]:
        client = login(username)
        headers = {"Authorization": f"Bearer {token(username)}"} if username else {}
        statuses = []
        for method, path in COLUMNS:
            url = path.format(**ids)
            if method == "get":
                response = client.get(url)
            elif method == "post":
                data = waiting if url.endswith("waiting/") else service
                response = client.post(url, data)
            elif method == "api":
                response = client.get(url, headers=headers)
            elif method == "apiregister":
                response = client.post(
                    url, register, content_type="application/json", headers=headers
                )
            else:
                response = client.post(
                    url, service, content_type="application/json", headers=headers
                )
            statuses.append(response.status_code)
            # A second wait for the same institution is refused; end it.
            if method == "post" and url.endswith("waiting/"):
                records["institution"].waiting.update(ended_on=dt.date(2015, 6, 1))
        if tuple(statuses) != MATRIX[username]:
            failures[username] = statuses
    assert failures == {}
    assert not DisabilityRecord.objects.filter(person=person).exists()


def test_a_town_officer_lists_and_counts_only_their_town(records, login, token):
    page = login("town-xiaolan").get("/disability/register/")
    assert page.context["page"].object_list[0].pk == records["xl"]
    assert len(page.context["page"].object_list) == 1
    headers = {"Authorization": f"Bearer {token('town-xiaolan')}"}
    api = login(None).get("/api/v1/disability/coverage?year=2015", headers=headers)
    assert [row["key"] for row in api.json()["town"]] == [XIAOLAN]
    listed = login(None).get("/api/v1/disability/register", headers=headers).json()
    assert [r["id"] for r in listed] == [records["xl"]]
    assert "*" in listed[0]["id_number"]


def test_the_openapi_document_lists_every_new_endpoint(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in [
        "/api/v1/disability/register",
        "/api/v1/disability/register/{record_id}/services",
        "/api/v1/disability/coverage",
        "/api/v1/disability/institutions",
        "/api/v1/disability/waiting",
        "/api/v1/projects/",
        "/api/v1/projects/overdue",
        "/api/v1/projects/{code}",
        "/api/v1/projects/{code}/milestones",
        "/api/v1/projects/milestones/{milestone_id}",
        "/api/v1/projects/{code}/spending",
        "/api/v1/projects/{code}/documents",
        "/api/v1/projects/{code}/documents/{document_id}",
    ]:
        assert path in paths, path
