"""The labour register's part of the permission matrix (issue 15): every role ×
every employment page and endpoint × own and other town.

A job seeker, a vacancy and a referral in Xiaolan ("xl") and in Guzhen ("gz").
A town officer of Xiaolan sees and changes Xiaolan's only: Guzhen's are 404 on
pages, in the API and absent from lists and exports, exactly like records that
do not exist. Office and auditor read every town (no named export); other
departments see nothing.
"""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from equiserve.employment import services
from equiserve.employment.models import IncubationBase, Referral
from equiserve.employment.tests.factories import (
    make_completer,
    make_course,
    make_seeker,
    make_vacancy,
)
from equiserve.testkit import GUZHEN, XIAOLAN

pytestmark = pytest.mark.django_db

REFER = {"vacancy": "{vxl}", "referred_on": "2015-03-05"}
OUTCOME = {"outcome": "declined", "outcome_on": "2015-03-06"}
PAY = {"paid_on": "2015-08-01"}

COLUMNS = [
    ("page", "get", "/employment/", None),
    ("page", "get", "/employment/seekers/", None),
    ("page", "get", "/employment/seekers/?format=xlsx", None),
    ("page", "get", "/employment/seekers/{xl}/", None),
    ("page", "get", "/employment/seekers/{gz}/", None),
    ("page", "get", "/employment/seekers/new/", None),
    ("page", "post", "/employment/seekers/{gz}/refer/", {"vacancy": "{vgz}"}),
    ("page", "post", "/employment/referrals/{rgz}/outcome/", OUTCOME),
    ("page", "get", "/employment/vacancies/", None),
    ("page", "get", "/employment/vacancies/?format=xlsx", None),
    ("page", "get", "/employment/communities/", None),
    ("api", "get", "/api/v1/employment/seekers", None),
    ("api", "get", "/api/v1/employment/seekers/{xl}", None),
    ("api", "get", "/api/v1/employment/seekers/{gz}", None),
    ("api", "get", "/api/v1/employment/seekers.xlsx", None),
    ("api", "get", "/api/v1/employment/vacancies/{vgz}", None),
    ("api", "post", "/api/v1/employment/referrals/{rgz}/outcome", OUTCOME),
    ("api", "get", "/api/v1/employment/rate?period=2015H2", None),
    # Training and start-ups (issue 15, deliverables 3–4).
    ("page", "get", "/employment/training/", None),
    ("page", "get", "/employment/training/?format=xlsx", None),
    ("page", "get", "/employment/startups/", None),
    ("page", "get", "/employment/startups/loans/{lgz}/", None),
    ("page", "get", "/employment/startups/loans/new/", None),
    ("page", "post", "/employment/training/enrolments/{egz}/certify/", None),
    ("api", "get", "/api/v1/employment/training/enrolments", None),
    ("api", "get", "/api/v1/employment/training/enrolments/{egz}", None),
    ("api", "get", "/api/v1/employment/training/ledger.xlsx", None),
    ("api", "get", "/api/v1/employment/startups/loans/{lgz}", None),
    ("api", "post", "/api/v1/employment/training/courses/{c}/pay", PAY),
    # The community employment subsidy's payments and payees (issue 15).
    ("page", "get", "/employment/subsidies/", None),
    ("page", "get", "/employment/subsidies/?format=xlsx", None),
    # Incubation bases and start-up subsidies on pages (issue 15).
    ("page", "get", "/employment/startups/bases/new/", None),
    ("page", "get", "/employment/startups/bases/{bgz}/", None),
    ("page", "get", "/employment/startups/subsidies/new/", None),
]
# One row per role, one status per column above, in order:
# page: overview list xlsx xl gz new refer-gz outcome-gz vacancies vxlsx communities
# api:  list xl gz xlsx vgz outcome-gz rate
# then page: training ledger-xlsx startups loan-gz loan-new certify-gz
#      api:  enrolments enrolment-gz ledger-xlsx loan-gz pay (the bureau's alone)
# then page: subsidy payments, their xlsx; base-new base-gz subsidy-new
# The page refer/outcome posts on Guzhen's records redirect (302) where allowed;
# the bureau's API outcome then finds the outcome recorded already (422).
MATRIX = {
    "town-xiaolan": [200, 200, 200, 200, 404, 200, 404, 404, 200, 200, 200]
    + [200, 200, 404, 200, 404, 404, 200]
    + [200, 200, 200, 404, 200, 404]
    + [200, 404, 200, 404, 403]
    + [200, 200]
    + [200, 404, 200],
    "hr-social-security": [200, 200, 200, 200, 200, 200, 302, 302, 200, 200, 200]
    + [200, 200, 200, 200, 200, 422, 200]
    + [200, 200, 200, 200, 200, 302]
    + [200, 200, 200, 200, 200]
    + [200, 200]
    + [200, 200, 200],
    "office": [200, 200, 403, 200, 200, 403, 403, 403, 200, 200, 200]
    + [200, 200, 200, 403, 200, 403, 200]
    + [200, 403, 200, 200, 403, 403]
    + [200, 200, 403, 200, 403]
    + [200, 403]
    + [403, 403, 403],
    "auditor": [200, 200, 403, 200, 200, 403, 403, 403, 200, 200, 200]
    + [200, 200, 200, 403, 200, 403, 200]
    + [200, 403, 200, 200, 403, 403]
    + [200, 200, 403, 200, 403]
    + [200, 403]
    + [403, 403, 403],
    "education": [404] * 11 + [404] * 7 + [404] * 6 + [404] * 5 + [404] * 2 + [404] * 3,
}


@pytest.fixture
def register(demo_accounts):
    station = demo_accounts["town-xiaolan"]
    xl = make_seeker(XIAOLAN, station)
    gz = make_seeker(GUZHEN, station)
    vxl = make_vacancy(XIAOLAN, station)
    vgz = make_vacancy(GUZHEN, station)
    rgz = Referral.objects.create(
        registration=gz, vacancy=vgz, referred_on=dt.date(2015, 3, 5)
    )
    bureau = demo_accounts["hr-social-security"]
    course = make_course(bureau)
    egz = make_completer(course, GUZHEN, bureau)
    lgz = services.loan_grant(
        person=egz.person,
        business="网店",
        principal=Decimal("50000.00"),
        annual_rate=Decimal("0.0535"),
        months=12,
        method="annuity",
        granted_on=dt.date(2015, 9, 1),
        actor=bureau,
    )
    bgz = IncubationBase.objects.create(
        name="古镇创业园", town_id=GUZHEN, opened_on=dt.date(2014, 6, 1), places=20
    )
    return {
        "bgz": bgz.pk,
        "xl": xl.pk,
        "gz": gz.pk,
        "vxl": vxl.pk,
        "vgz": vgz.pk,
        "rgz": rgz.pk,
        "c": course.pk,
        "egz": egz.pk,
        "lgz": lgz.pk,
    }


def _fill(value, ids):
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


@pytest.mark.parametrize("username", sorted(MATRIX))
def test_every_role_gets_its_status_on_every_employment_page_and_endpoint(
    register, client, token, username
):
    bearer = token(username)
    client.login(username=username, password=f"demo-{username}")
    got = []
    for channel, method, path, body in COLUMNS:
        path, body = _fill(path, register), _fill(body, register)
        if channel == "page":
            response = getattr(client, method)(path, body or {})
        elif method == "get":
            response = client.get(path, HTTP_AUTHORIZATION=f"Bearer {bearer}")
        else:
            response = client.post(
                path, body, content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {bearer}",
            )  # fmt: skip
        got.append(response.status_code)
    assert got == MATRIX[username]


def test_a_town_officer_never_sees_another_towns_seekers_or_vacancies(
    register, client, token
):
    bearer = token("town-xiaolan")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {bearer}"}
    seekers = client.get("/api/v1/employment/seekers", **auth).json()
    vacancies = client.get("/api/v1/employment/vacancies", **auth).json()
    referrals = client.get("/api/v1/employment/referrals", **auth).json()
    assert {s["town"] for s in seekers} == {XIAOLAN}
    assert {v["town"] for v in vacancies} == {XIAOLAN}
    assert referrals == []
    rate = client.get("/api/v1/employment/rate?period=2015H2", **auth).json()
    assert rate["city"] is None and set(rate["towns"]) <= {XIAOLAN}

    client.login(username="town-xiaolan", password="demo-town-xiaolan")
    for path in (
        "/employment/seekers/?format=xlsx",
        "/employment/vacancies/?format=xlsx",
    ):
        sheet = load_workbook(io.BytesIO(client.get(path).content)).active
        rows = list(sheet.iter_rows(min_row=2, values_only=True))
        assert rows and all("古镇" not in str(row) for row in rows)
        assert all("小榄" in str(row) for row in rows)
    page = client.get("/employment/vacancies/").content.decode()
    assert "古镇" not in page
    # A referral to another town's vacancy is refused like a missing one.
    response = client.post(
        f"/employment/seekers/{register['xl']}/refer/",
        {"vacancy": register["vgz"], "referred_on": "2015-03-05"},
    )
    assert response.status_code == 404
