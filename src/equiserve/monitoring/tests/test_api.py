"""`/api/v1/monitoring/…` with bearer tokens, scoped like the pages."""

import pytest

from equiserve.monitoring import services
from equiserve.monitoring.definitions import load_definitions
from equiserve.testkit import XIAOLAN

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, users):
    """Return a function GETting an API path as a demo account."""
    tokens = {}

    def get(username, path):
        if username not in tokens:
            response = client.post(
                "/api/v1/auth/token",
                {"username": username, "password": f"demo-{username}"},
                content_type="application/json",
            )
            tokens[username] = response.json()["token"]
        return client.get(
            f"/api/v1/monitoring{path}",
            HTTP_AUTHORIZATION=f"Bearer {tokens[username]}",
        )

    return get


def test_the_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/monitoring/indicators",
        "/api/v1/monitoring/indicators/{code}",
        "/api/v1/monitoring/indicators/{code}/equality",
        "/api/v1/monitoring/values",
        "/api/v1/monitoring/reports",
        "/api/v1/monitoring/reports/{report_id}",
    ):
        assert path in paths


def test_indicators_carry_their_targets_and_clauses(api):
    response = api("auditor", "/indicators")
    assert response.status_code == 200
    by_code = {row["code"]: row for row in response.json()}
    managed = by_code["health.t1d_managed_rate"]
    assert managed["clause"] == "3.3.2"
    assert managed["targets"][0]["value"] == 80.0
    assert managed["targets"][0]["start"] == "2014-01-01"
    # Counted from the type-1 diabetes registry's records (issue 16).
    assert managed["numerator"]["source"] == "t1d_registry"
    assert api("auditor", "/indicators/nope").status_code == 404


def test_values_are_live_and_judged(api, users, worker):
    services.entries_save(
        indicator=load_definitions().get("employment.urban_unemployment_rate"),
        period="2015H2",
        place="city",
        values={("numerator", ""): 30, ("denominator", ""): 1000},
        actor=users["hr-social-security"],
    )
    worker()  # issue 13: the API reads the values the worker stored
    response = api(
        "office",
        "/values?indicator=employment.urban_unemployment_rate&period=2015H2",
    )
    assert response.status_code == 200
    (row,) = response.json()
    # Each stored value says when it was computed and whether it is updating.
    assert row.pop("computed_at").startswith("20")
    assert row.pop("updating") is False
    assert row == {
        "indicator": "employment.urban_unemployment_rate",
        "period": "2015H2",
        "place": "city",
        "group": "",
        "numerator": 30.0,
        "denominator": 1000.0,
        "value": 3.0,
        "target": 3.5,
        "status": "met",
        # An entered figure counts no rule: nobody is left undetermined.
        "numerator_undetermined": None,
        "denominator_undetermined": None,
    }
    assert api("office", "/values?period=2031H1").status_code == 422
    assert api("office", "/values?level=street").status_code == 422


def test_a_town_officer_gets_their_town_and_their_report_only(
    api, users, computed_values
):
    town = api(
        "town-xiaolan",
        "/values?indicator=employment.full_employment_communities&level=town",
    )
    assert {row["place"] for row in town.json()} == {XIAOLAN}
    assert api("town-xiaolan", "/values?level=city").status_code == 403
    assert (
        api("town-xiaolan", "/indicators/culture.e_reading_rooms/equality").status_code
        == 403
    )
    own = services.report_open(period="2015H2", actor=users["town-xiaolan"])
    other = services.report_open(period="2015H2", actor=users["town-guzhen"])
    listed = api("town-xiaolan", "/reports").json()
    assert [row["id"] for row in listed] == [own.pk]
    assert api("town-xiaolan", f"/reports/{other.pk}").status_code == 404
    detail = api("town-xiaolan", f"/reports/{own.pk}").json()
    assert detail["figures_state"] == "live"
    assert {row["place"] for row in detail["figures"]} == {XIAOLAN}
    office = api("office", "/reports?period=2015H2&status=draft").json()
    assert {row["id"] for row in office} == {own.pk, other.pk}


def test_the_api_needs_a_token(client):
    assert client.get("/api/v1/monitoring/indicators").status_code == 401
