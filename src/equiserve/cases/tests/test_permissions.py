"""The cases' part of the permission matrix (issue 4): every role × every case page
and endpoint × own and other town, with the status each must answer.

Cases are free funerals (civil-affairs) in Xiaolan ("xl") and Guzhen ("gz"),
each action on a case of its own in the state that action needs, and one
type-1 diabetes case (health) in Xiaolan. Page actions are sent as htmx
requests, which answer 200 on success. Admin pages need is_staff, which only
the office and the auditor have: others are sent to the admin login (302).
"""

import datetime as dt
import re

import pytest
from django.test import Client

from equiserve.cases import services
from equiserve.cases.tests.factories import GUZHEN, XIAOLAN, eligible_applicant

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
RETURN = {"decision": "return", "reason": "bring the death certificate"}
DELIVER = {"item": "body_transport", "quantity": 1, "delivered_on": "2015-06-25"}
APPEAL = {"reason": "new papers", "lodged_on": "2015-07-01"}

# (channel, method, path, body); {name} is a case or household id from the fixture.
COLUMNS = [
    ("page", "get", "/cases/", None),
    ("page", "get", "/cases/{xl}/", None),
    ("page", "get", "/cases/{gz}/", None),
    ("page", "get", "/cases/{t1d}/", None),
    ("page", "get", "/cases/households/{hxl}/", None),
    ("page", "get", "/cases/households/{hgz}/", None),
    ("page", "get", "/cases/export.csv", None),
    ("page", "get", "/cases/new/", None),
    ("page", "get", "/cases/import/", None),
    ("page", "post", "/cases/{xl}/assess/", {}),
    ("page", "post", "/cases/{gz}/assess/", {}),
    ("page", "post", "/cases/{xl_assessed}/decide/", RETURN),
    ("page", "post", "/cases/{gz_assessed}/decide/", RETURN),
    ("page", "post", "/cases/{xl_approved}/deliver/", DELIVER),
    ("page", "post", "/cases/{xl_rejected}/appeal/", APPEAL),
    ("page", "get", "/admin/cases/case/", None),
    ("page", "get", "/admin/cases/case/{xl}/change/", None),
    ("api", "get", "/api/v1/cases", None),
    ("api", "get", "/api/v1/cases/{xl}", None),
    ("api", "get", "/api/v1/cases/{gz}", None),
    ("api", "post", "/api/v1/cases", "register"),
    ("api", "post", "/api/v1/cases/{api_xl}/assess", {}),
    ("api", "post", "/api/v1/cases/{api_xl_assessed}/decide", RETURN),
    ("api", "post", "/api/v1/cases/{api_gz_assessed}/decide", RETURN),
    ("api", "post", "/api/v1/cases/{api_xl_approved}/deliveries", DELIVER),
    ("api", "post", "/api/v1/cases/{api_xl_rejected}/appeal", APPEAL),
]

# Issue 10: the office and auditors export no named lists (finding 1); a case
# does not open its household to the department (finding 3).
# One row per role, one status per column above, in order:
#  list xl gz t1d hxl hgz csv new imp | assess xl gz · decide xl gz · deliver · appeal
#  | admin list, change | API list xl gz create assess decide-xl decide-gz deliver appeal
READER = (
    200,
    200,
    200,
    200,
    200,
    200,
    403,
    403,
    404,
    403,
    403,
    403,
    403,
    403,
    403,
    200,
    200,
    200,
    200,
    200,
    403,
    403,
    403,
    403,
    403,
    403,
)
LEAD = (
    200,
    200,
    200,
    404,
    404,
    404,
    200,
    200,
    200,
    200,
    200,
    200,
    200,
    200,
    200,
    302,
    302,
    200,
    200,
    200,
    201,
    200,
    200,
    200,
    200,
    200,
)
OTHER_DEPARTMENT_THAT_REGISTERS = (
    200,
    404,
    404,
    404,
    404,
    404,
    200,
    200,
    200,
    404,
    404,
    404,
    404,
    404,
    404,
    302,
    302,
    200,
    404,
    404,
    403,
    404,
    404,
    404,
    404,
    404,
)
DEPARTMENT_WITHOUT_PROGRAMMES = (
    200,
    404,
    404,
    404,
    404,
    404,
    200,
    403,
    404,
    404,
    404,
    404,
    404,
    404,
    404,
    302,
    302,
    200,
    404,
    404,
    403,
    404,
    404,
    404,
    404,
    404,
)
HEALTH = (
    200,
    404,
    404,
    200,
    404,
    404,
    200,
    200,
    200,
    404,
    404,
    404,
    404,
    404,
    404,
    302,
    302,
    200,
    404,
    404,
    403,
    404,
    404,
    404,
    404,
    404,
)
TOWN_XIAOLAN = (
    200,
    200,
    404,
    200,
    200,
    404,
    200,
    200,
    200,
    200,
    404,
    403,
    404,
    403,
    200,
    302,
    302,
    200,
    200,
    404,
    201,
    200,
    403,
    404,
    403,
    200,
)
TOWN_GUZHEN = (
    200,
    404,
    200,
    404,
    404,
    200,
    200,
    200,
    200,
    404,
    200,
    404,
    403,
    404,
    404,
    302,
    302,
    200,
    404,
    200,
    404,
    404,
    404,
    403,
    404,
    404,
)
ANONYMOUS = (
    302,
    302,
    302,
    302,
    302,
    302,
    302,
    302,
    302,
    302,
    302,
    302,
    302,
    302,
    302,
    302,
    302,
    401,
    401,
    401,
    401,
    401,
    401,
    401,
    401,
    401,
)
MATRIX = {
    "office": READER,
    "auditor": READER,
    "civil-affairs": LEAD,
    "education": OTHER_DEPARTMENT_THAT_REGISTERS,
    "hr-social-security": OTHER_DEPARTMENT_THAT_REGISTERS,
    "culture": DEPARTMENT_WITHOUT_PROGRAMMES,
    "housing": DEPARTMENT_WITHOUT_PROGRAMMES,
    "sports": DEPARTMENT_WITHOUT_PROGRAMMES,
    "disabled-federation": DEPARTMENT_WITHOUT_PROGRAMMES,
    "health": HEALTH,
    "town-xiaolan": TOWN_XIAOLAN,
    "town-guzhen": TOWN_GUZHEN,
    None: ANONYMOUS,
}


@pytest.fixture
def world(officers):
    """The cases of the matrix, each in the state its column needs."""
    lead = officers["civil-affairs"]

    def funeral(town, state):
        case = services.case_register(
            programme="funeral",
            applicant=eligible_applicant("funeral", town),
            applied_on=dt.date(2015, 6, 22),
            documents=["death_certificate", "family_id_card"],
            actor=lead,
        )
        if state == "submitted":
            return case
        services.case_assess(case=case, version=case.version, actor=lead)
        if state == "assessed":
            return case
        decision = "approve" if state == "approved" else "reject"
        services.case_decide(
            case=case, version=case.version, decision=decision, reason="r", actor=lead
        )
        return case

    ids = {}
    for prefix in ("", "api_"):
        ids[f"{prefix}xl"] = funeral(XIAOLAN, "submitted")
        ids[f"{prefix}gz"] = funeral(GUZHEN, "submitted")
        for state in ("assessed", "approved", "rejected"):
            ids[f"{prefix}xl_{state}"] = funeral(XIAOLAN, state)
        ids[f"{prefix}gz_assessed"] = funeral(GUZHEN, "assessed")
    t1d = services.case_register(
        programme="t1d_care",
        applicant=eligible_applicant("t1d_care", XIAOLAN),
        applied_on=dt.date(2015, 3, 1),
        actor=officers["health"],
    )
    fields = {name: case.pk for name, case in ids.items()}
    fields["t1d"] = t1d.pk
    fields["hxl"] = ids["xl"].household.public_id
    fields["hgz"] = ids["gz"].household.public_id
    fields["versions"] = {case.pk: case.version for case in ids.values()}
    fields["new_xl"] = eligible_applicant("funeral", XIAOLAN)
    return fields


def _request(username, channel, method, path, body, world):
    client = Client()
    client.cookies["django_language"] = "en"
    url = path.format(**world)
    if channel == "api":
        headers = {}
        if username:
            token = client.post(
                "/api/v1/auth/token",
                {"username": username, "password": f"demo-{username}"},
                content_type="application/json",
            ).json()["token"]
            headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        if method == "get":
            return client.get(url, **headers)
        if body == "register":
            body = {
                "programme": "funeral",
                "applicant": world["new_xl"].id_number,
                "applicant_name": world["new_xl"].name,
                "applied_on": "2015-06-22",
            }
        else:
            case_id = int(url.split("/")[4])
            body = {**body, "version": world["versions"][case_id]}
        return client.post(url, body, content_type="application/json", **headers)
    if username:
        assert client.login(username=username, password=f"demo-{username}")
    if method == "get":
        return client.get(url)
    case_id = int(url.split("/")[2])
    return client.post(url, {**body, "version": world["versions"][case_id]}, **HTMX)


@pytest.mark.parametrize("username", list(MATRIX), ids=lambda name: name or "anonymous")
def test_permission_matrix(username, world):
    expected = MATRIX[username]
    assert len(expected) == len(COLUMNS)
    got = tuple(
        _request(username, channel, method, path, body, world).status_code
        for channel, method, path, body in COLUMNS
    )
    mismatches = [
        f"{method.upper()} {path}: expected {want}, got {have}"
        for (channel, method, path, body), want, have in zip(
            COLUMNS, expected, got, strict=True
        )
        if want != have
    ]
    assert not mismatches, "\n".join(mismatches)


def test_a_town_officer_guessing_another_towns_case_gets_the_same_404_as_a_missing_one(
    world, officers
):
    client = Client()
    client.login(username="town-xiaolan", password="demo-town-xiaolan")
    other_path, missing_path = f"/cases/{world['gz']}/", "/cases/999999/"
    other, missing = client.get(other_path), client.get(missing_path)
    assert other.status_code == missing.status_code == 404

    def unmasked(response, path: str) -> bytes:
        # Django masks the CSRF token afresh on every page, and the language switch
        # returns to the address asked for; nothing else may differ.
        content = response.content.replace(path.encode(), b"<path>")
        return re.sub(rb"[A-Za-z0-9]{64}", b"<csrf>", content)

    assert unmasked(other, other_path) == unmasked(missing, missing_path)


def test_health_details_are_shown_to_health_officers_only(world, officers, login):
    health = login("health").get(f"/cases/{world['t1d']}/").content.decode()
    assert "Health details are shown to health officers only." not in health
    for username in ("office", "town-xiaolan", "auditor"):
        page = login(username).get(f"/cases/{world['t1d']}/").content.decode()
        assert "Health details are shown to health officers only." in page
        assert "diagnosed on" not in page.lower()
    api = Client()
    token = api.post(
        "/api/v1/auth/token",
        {"username": "town-xiaolan", "password": "demo-town-xiaolan"},
        content_type="application/json",
    ).json()["token"]
    body = api.get(
        f"/api/v1/cases/{world['t1d']}", HTTP_AUTHORIZATION=f"Bearer {token}"
    ).json()
    assert (body["health_hidden"], body["facts"]) == (True, None)


def test_the_queue_shows_only_the_officers_scope(world, officers, login):
    def references(username):
        page = login(username).get("/cases/?status=").content.decode()
        return {
            pk
            for name, pk in world.items()
            if isinstance(pk, int)
            and name not in ("hxl", "hgz", "new_xl")
            and f"C{pk:06d}" in page
        }

    funerals = {
        pk for name, pk in world.items() if name.startswith(("xl", "gz", "api_"))
    }
    assert references("civil-affairs") == funerals
    assert references("health") == {world["t1d"]}
    assert references("education") == set()
    guzhen = {world[n] for n in ("gz", "gz_assessed", "api_gz", "api_gz_assessed")}
    assert references("town-guzhen") == guzhen
