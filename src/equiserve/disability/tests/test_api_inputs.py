"""A service's kind is one of the document's values (make fuzz): an empty or
unknown kind is refused by the schema, in the API's error format, and nothing is saved."""

import datetime as dt

import pytest

from equiserve.disability.models import Service, ServiceKind
from equiserve.disability.tests.factories import make_record
from equiserve.testkit import XIAOLAN

pytestmark = pytest.mark.django_db


def test_a_service_of_no_known_kind_is_refused_by_its_schema(
    demo_accounts, client, token
):
    document = client.get("/api/v1/openapi.json").json()
    kind = document["components"]["schemas"]["ServiceIn"]["properties"]["kind"]
    assert kind["enum"] == list(ServiceKind.values)
    record = make_record(XIAOLAN)
    for unknown in ("", "massage"):
        response = client.post(
            f"/api/v1/disability/register/{record.pk}/services",
            {"kind": unknown, "start_date": str(dt.date(2015, 3, 1))},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token('disabled-federation')}",
        )
        assert response.status_code == 422, unknown
        assert [e["path"] for e in response.json()["errors"]] == ["body.kind"]
    assert not Service.objects.exists()


def test_a_service_dated_by_a_number_is_refused(demo_accounts, client, token):
    """make fuzz: `"start_date": 0` was read as 1970-01-01 and saved."""
    record = make_record(XIAOLAN)
    response = client.post(
        f"/api/v1/disability/register/{record.pk}/services",
        {"kind": ServiceKind.values[0], "start_date": 0, "end_date": "2000-01-01"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token('disabled-federation')}",
    )
    assert response.status_code == 422
    assert [e["path"] for e in response.json()["errors"]] == ["body.start_date"]
    assert not Service.objects.exists()
