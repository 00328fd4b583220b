"""Another town's enrolments and loans are invisible to a town officer, by page, API
and export, and refused like missing records (issue 15, deliverables 3–4)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from equiserve.employment import services
from equiserve.employment.models import Enrolment, TrainingProvider
from equiserve.employment.tests.factories import make_completer, make_course
from equiserve.testkit import GUZHEN, XIAOLAN, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(demo_accounts):
    bureau = demo_accounts["hr-social-security"]
    course = make_course(bureau)
    found = {"course": course.pk}
    for key, town in (("xl", XIAOLAN), ("gz", GUZHEN)):
        person = make_person(town, name=f"学员{key}")
        found[key] = services.enrolment_make(
            course=course, person=person, enrolled_on=course.starts_on, actor=bureau
        ).pk
        found[f"loan_{key}"] = services.loan_grant(
            person=person,
            business=f"网店{key}",
            principal=Decimal("50000.00"),
            annual_rate=Decimal("0.0535"),
            months=12,
            method="equal_principal",
            granted_on=dt.date(2015, 9, 1),
            actor=bureau,
        ).pk
    return found


def test_another_towns_enrolment_and_loan_are_404_by_page_and_api(
    records, client, token
):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token('town-xiaolan')}"}
    api = "/api/v1/employment"
    enrolments = client.get(f"{api}/training/enrolments", **auth).json()
    loans = client.get(f"{api}/startups/loans", **auth).json()
    assert [e["id"] for e in enrolments] == [records["xl"]]
    assert [loan["id"] for loan in loans] == [records["loan_xl"]]
    assert (
        client.get(f"{api}/training/enrolments/{records['xl']}", **auth).status_code
        == 200
    )
    assert (
        client.get(f"{api}/training/enrolments/{records['gz']}", **auth).status_code
        == 404
    )
    assert (
        client.get(f"{api}/startups/loans/{records['loan_xl']}", **auth).status_code
        == 200
    )
    assert (
        client.get(f"{api}/startups/loans/{records['loan_gz']}", **auth).status_code
        == 404
    )
    certify = {
        "completed_on": "2015-04-30",
        "certificate_number": "ZS1",
        "certified_on": "2015-05-15",
    }
    response = client.post(
        f"{api}/training/enrolments/{records['gz']}/certify", certify,
        content_type="application/json", **auth,
    )  # fmt: skip
    assert response.status_code == 404
    assert Enrolment.objects.get(pk=records["gz"]).certified_on is None
    # A town officer does not pay providers: the bureau does.
    response = client.post(
        f"{api}/training/courses/{records['course']}/pay", {"paid_on": "2015-08-01"},
        content_type="application/json", **auth,
    )  # fmt: skip
    assert response.status_code == 403

    client.login(username="town-xiaolan", password="demo-town-xiaolan")
    assert (
        client.get(f"/employment/startups/loans/{records['loan_gz']}/").status_code
        == 404
    )
    assert (
        client.get(f"/employment/startups/loans/{records['loan_xl']}/").status_code
        == 200
    )
    for page in ("/employment/training/", "/employment/startups/"):
        body = client.get(page).content.decode()
        assert "学员xl" in body and "学员gz" not in body, page
    response = client.post(
        f"/employment/training/enrolments/{records['gz']}/certify/", certify
    )
    assert response.status_code == 404


def test_the_bureau_sees_every_town(records, client, token):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token('hr-social-security')}"}
    enrolments = client.get("/api/v1/employment/training/enrolments", **auth).json()
    assert {e["town"] for e in enrolments} == {XIAOLAN, GUZHEN}


def test_the_pages_read_in_chinese(records, client):
    client.login(username="town-xiaolan", password="demo-town-xiaolan")
    client.cookies["django_language"] = "zh-hans"
    pages = {
        "/employment/training/": "培训成果",
        "/employment/startups/": "创业孵化基地",
        f"/employment/startups/loans/{records['loan_xl']}/": "贴息",
        "/employment/startups/loans/new/": "小额担保贷款",
    }
    for path, text in pages.items():
        response = client.get(path)
        assert response.status_code == 200, path
        assert text in response.content.decode(), path


def _queries(client, path, auth) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path, **auth).status_code == 200
    return len(queries)


def test_the_lists_cost_as_many_queries_for_six_records_as_for_two(
    records, demo_accounts, client, token
):
    bureau = demo_accounts["hr-social-security"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token('hr-social-security')}"}
    api = "/api/v1/employment"
    paths = (f"{api}/training/enrolments", f"{api}/startups/loans")
    # The first request writes the token's last use (once a minute): count
    # from the second.
    _queries(client, paths[0], auth)
    before = [_queries(client, path, auth) for path in paths]
    course = Enrolment.objects.get(pk=records["xl"]).course
    for _ in range(4):
        make_completer(course, XIAOLAN, bureau)
        services.loan_grant(
            person=make_person(XIAOLAN),
            business="网店",
            principal=Decimal("20000.00"),
            annual_rate=Decimal("0.0535"),
            months=12,
            method="annuity",
            granted_on=dt.date(2015, 9, 1),
            actor=bureau,
        )
    services.training_course_pay(
        course=course, paid_on=dt.date(2015, 8, 1), actor=bureau
    )
    assert len(client.get(paths[0], **auth).json()) == 6
    assert [_queries(client, path, auth) for path in paths] == before


def test_the_bureau_designates_a_provider_and_adds_a_course_on_the_page(
    demo_accounts, client
):
    client.login(username="hr-social-security", password="demo-hr-social-security")
    response = client.post(
        "/employment/training/providers/new/",
        {"name": "火炬职业培训学校", "town": XIAOLAN, "approved_on": "2015-01-01"},
    )
    assert response.status_code == 302
    provider = TrainingProvider.objects.get(name="火炬职业培训学校")
    course = {
        "provider": provider.pk,
        "title": "育婴员",
        "occupation": "4-07",
        "starts_on": "2015-03-01",
        "ends_on": "2015-04-30",
        "places": "20",
    }
    assert client.post("/employment/training/courses/new/", course).status_code == 302
    assert provider.courses.get().places == 20
    client.login(username="town-xiaolan", password="demo-town-xiaolan")
    assert client.post("/employment/training/courses/new/", course).status_code == 403
    assert provider.courses.count() == 1
