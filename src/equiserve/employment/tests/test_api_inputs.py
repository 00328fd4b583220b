"""What the employment API accepts is what its document says (make fuzz): an empty
occupation is refused by the schema, and a second certificate is a conflict."""

import pytest

from equiserve.employment.models import Enrolment, Vacancy
from equiserve.employment.tests.factories import make_completer, make_course
from equiserve.testkit import XIAOLAN

pytestmark = pytest.mark.django_db

API = "/api/v1/employment"


def _vacancy(**changes) -> dict:
    """Return a valid vacancy's body at Xiaolan, with `changes`."""
    return {
        "employer": "中山某厂",
        "title": "普工",
        "occupation": "6-08",
        "town": XIAOLAN,
        "wage": "2500.00",
        "hours_per_week": 40,
        "posted_on": "2015-03-02",
        **changes,
    }


def test_a_vacancy_without_an_occupation_is_refused_by_its_schema(
    demo_accounts, client, token
):
    document = client.get("/api/v1/openapi.json").json()
    vacancy = document["components"]["schemas"]["VacancyIn"]["properties"]
    assert vacancy["occupation"]["minLength"] == 1
    assert vacancy["occupation"]["maxLength"] == 8
    body = _vacancy(occupation="")
    response = client.post(
        f"{API}/vacancies", body, content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token('town-xiaolan')}",
    )  # fmt: skip
    assert response.status_code == 422
    assert [e["path"] for e in response.json()["errors"]] == ["body.occupation"]
    assert not Vacancy.objects.exists()


def test_a_vacancy_of_no_position_is_refused_by_its_schema(
    demo_accounts, client, token
):
    """make fuzz found the schema allowing 0 positions, which only the database's
    check refused, in a message naming the constraint."""
    document = client.get("/api/v1/openapi.json").json()
    vacancy = document["components"]["schemas"]["VacancyIn"]["properties"]
    assert vacancy["positions"]["minimum"] == 1
    body = _vacancy(positions=0)
    response = client.post(
        f"{API}/vacancies", body, content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token('town-xiaolan')}",
    )  # fmt: skip
    assert response.status_code == 422
    assert [e["path"] for e in response.json()["errors"]] == ["body.positions"]
    assert not Vacancy.objects.exists()


def test_certifying_a_certified_enrolment_again_is_a_conflict(
    demo_accounts, client, token
):
    bureau = demo_accounts["hr-social-security"]
    enrolment = make_completer(make_course(bureau), XIAOLAN, bureau)
    certificate = enrolment.certificate_number
    again = {
        "completed_on": str(enrolment.completed_on),
        "certificate_number": "ZS-AGAIN",
        "certified_on": str(enrolment.certified_on),
    }
    response = client.post(
        f"{API}/training/enrolments/{enrolment.pk}/certify", again,
        content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans",
        HTTP_AUTHORIZATION=f"Bearer {token('hr-social-security')}",
    )  # fmt: skip
    assert response.status_code == 409
    assert response.json()["detail"] == "该学员已登记取证。"
    assert Enrolment.objects.get(pk=enrolment.pk).certificate_number == certificate


def test_a_course_filter_beyond_any_id_is_refused_not_a_server_error(
    demo_accounts, client, token
):
    """make fuzz: a course of -10^35 overflowed SQLite's integer (a 500)."""
    for course in ("-125495722192707201500121286033014784", str(2**63)):
        response = client.get(
            f"{API}/training/enrolments?course={course}",
            HTTP_AUTHORIZATION=f"Bearer {token('hr-social-security')}",
        )
        assert response.status_code == 422, course
        assert [e["path"] for e in response.json()["errors"]] == ["query.course"]
