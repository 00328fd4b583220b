"""The permission matrix of the health pages and API (issue 16): every role × every address.

Records (a patient, a school's pupils) are the health role's, a hospital
user's for its own hospital, and a psychology teacher's for their own school;
everyone else sees counts only. The FHIR export needs the health role.
"""

import pytest

from equiserve.accounts.models import Role
from equiserve.accounts.services import DEMO_ACCOUNTS
from equiserve.audit.models import AuditEntry

COLUMNS = [
    ("page", "/health/"),
    ("page", "/health/t1d/"),
    ("page", "/health/t1d/{patient}/"),
    ("page", "/health/t1d/{patient}/follow-up/"),
    ("page", "/health/schools/"),
    ("page", "/health/schools/s-xl-1/"),
    ("page", "/health/schools/s-gz-1/"),
    ("page", "/health/export/fhir.json"),
    ("api", "/api/v1/health/t1d/rates"),
    ("api", "/api/v1/health/t1d/patients"),
    ("api", "/api/v1/health/t1d/patients/{patient}"),
    ("api", "/api/v1/health/t1d/fhir"),
    ("api", "/api/v1/health/pilot"),
    ("api", "/api/v1/health/pilot/schools/s-xl-1/screenings"),
    ("api", "/api/v1/health/pilot/schools/s-gz-1/screenings"),
    # The migrants' family-planning services (3.3.4): the health role's.
    ("page", "/health/migrants/"),
    ("page", "/health/migrants/new/"),
    ("api", "/api/v1/health/migrant-services"),
    ("api", "/api/v1/health/migrant-services/{service}"),
    ("api", "/api/v1/health/migrant-services/coverage"),
]
# fmt: off
#                 ovw  list pat  fu   schl sxl  sgz  fhir  rate A-ls A-pt A-fh pilt A-xl A-gz  mig  mnew A-ms A-m1 A-cov
COUNTS_ONLY =    (200, 404, 404, 404, 200, 404, 404, 404,  200, 404, 404, 404, 200, 404, 404,  404, 404, 404, 404, 200)
HEALTH =         (200, 200, 200, 200, 200, 200, 200, 200,  200, 200, 200, 200, 200, 200, 200,  200, 200, 200, 200, 200)
# Every demo account: the health role reads records, any other role counts only.
MATRIX = {
    **{
        a.username: HEALTH if a.role == Role.HEALTH else COUNTS_ONLY
        for a in DEMO_ACCOUNTS
    },
    "hospital-renmin":            HEALTH,
    # Another hospital's user: not this patient, still the health role (the
    # migrants' services are the whole health role's: the hospitals deliver them).
    "hospital-guzhen":           (200, 200, 404, 404, 200, 200, 200, 200,  200, 200, 404, 200, 200, 200, 200,  200, 200, 200, 200, 200),
    # A psychology teacher: their own school's pupils, counts elsewhere.
    "psych-xl":                  (200, 404, 404, 404, 200, 200, 404, 404,  200, 404, 404, 404, 200, 200, 404,  404, 404, 404, 404, 200),
    "psych-gz":                  (200, 404, 404, 404, 200, 404, 200, 404,  200, 404, 404, 404, 200, 404, 200,  404, 404, 404, 404, 200),
    None:                        (302, 302, 302, 302, 302, 302, 302, 302,  401, 401, 401, 401, 401, 401, 401,  302, 302, 401, 401, 401),
}
# fmt: on


def test_the_matrix_names_every_demo_account(demo_accounts):
    assert set(demo_accounts) <= set(MATRIX)


@pytest.mark.parametrize("username", list(MATRIX), ids=lambda u: u or "anonymous")
def test_permission_matrix(username, world, login, token):
    patient = world["patient"].public_id
    service = world["service"].public_id
    client = login(username)
    headers = {"Authorization": f"Bearer {token(username)}"} if username else {}
    statuses = []
    for kind, url in COLUMNS:
        address = url.format(patient=patient, service=service)
        response = client.get(address, headers=headers if kind == "api" else {})
        statuses.append(response.status_code)
    assert tuple(statuses) == MATRIX[username], list(
        zip(COLUMNS, statuses, strict=True)
    )


@pytest.mark.parametrize(
    "username,status",
    [
        ("hospital-renmin", 201),
        ("health", 201),
        ("hospital-guzhen", 404),
        ("psych-xl", 404),
        ("office", 404),
        ("auditor", 404),
        ("town-xiaolan", 404),
    ],
)
def test_who_records_a_follow_up_through_the_api(
    username, status, world, client, token
):
    response = client.post(
        f"/api/v1/health/t1d/patients/{world['patient'].public_id}/follow-ups",
        {"visited_on": "2016-12-01", "insulin_regimen": "pump", "hba1c": "6.6"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token(username)}"},
    )
    assert response.status_code == status, response.content
    if status == 201:
        assert response.json()["managed"] is True  # the fourth visit in the year


def test_every_read_of_a_record_is_audited(world, login, token):
    patient = world["patient"].public_id
    before = AuditEntry.objects.filter(action="view").count()
    login("health").get(f"/health/t1d/{patient}/")
    login("psych-xl").get("/health/schools/s-xl-1/")
    login("hospital-renmin").get(
        f"/api/v1/health/t1d/patients/{patient}",
        headers={"Authorization": f"Bearer {token('hospital-renmin')}"},
    )
    assert AuditEntry.objects.filter(action="view").count() == before + 3
    login("health").get("/health/export/fhir.json")
    assert AuditEntry.objects.filter(
        action="export", object_type="health_export"
    ).exists()


def test_a_psychology_teacher_sees_only_their_schools_children(world, login, token):
    own = {p.name for p in world["pupils"]["s-xl-1"]}
    other = {p.name for p in world["pupils"]["s-gz-1"]}
    response = login("psych-xl").get("/health/schools/s-xl-1/")
    text = response.content.decode()
    assert all(name in text for name in own)
    assert not any(name in text for name in other)
    rows = (
        login("psych-xl")
        .get(
            "/api/v1/health/pilot/schools/s-xl-1/screenings",
            headers={"Authorization": f"Bearer {token('psych-xl')}"},
        )
        .json()
    )
    assert {row["pupil"] for row in rows} == own
    # The list of schools: exact counts for their own school, "<10" for the other.
    listing = login("psych-xl").get("/health/schools/").content.decode()
    assert listing.count("&lt;10") == 4  # the other school's four counts
    assert "&lt;10" not in login("health").get("/health/schools/").content.decode()


def test_counts_outside_the_health_role_suppress_small_cells(world, login, token):
    rates = (
        login("office")
        .get(
            "/api/v1/health/t1d/rates?on=2016-12-31",
            headers={"Authorization": f"Bearer {token('office')}"},
        )
        .json()
    )
    assert rates["patients"] == "<10" and rates["managed_rate"] is None
    exact = (
        login("health")
        .get(
            "/api/v1/health/t1d/rates?on=2016-12-31",
            headers={"Authorization": f"Bearer {token('health')}"},
        )
        .json()
    )
    assert exact["patients"] == 1 and exact["managed"] == 0
