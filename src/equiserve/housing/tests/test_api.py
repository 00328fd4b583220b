"""The JSON API: scoped reads, housing-department writes, public rounds, 409s."""

import pytest

from equiserve.housing import services
from equiserve.housing.models import Offer, round_reference
from equiserve.housing.tests.factories import (
    AS_OF,
    GUZHEN,
    XIAOLAN,
    apply,
    estate,
    household,
    unit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(demo_accounts):
    e1 = estate("E1")
    unit(e1, "E1-101")
    xl_home, xl_person = household(XIAOLAN, names=("王小明", "王大明"))
    gz_home, gz_person = household(GUZHEN)
    return {
        "e1": e1,
        "xl": apply(xl_home, xl_person, [e1]),
        "gz": apply(gz_home, gz_person, [e1], submitted_on=AS_OF),
        "person": xl_person,
    }


def _get(client, path, token):
    return client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}")


def _post(client, path, body, token=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(path, body, content_type="application/json", **headers)


def test_applications_are_scoped_and_masked(city, client, token):
    xl, gz = city["xl"], city["gz"]
    housing = token("housing")
    rows = _get(client, "/api/v1/housing/applications", housing).json()
    assert [row["code"] for row in rows] == [gz.code, xl.code]
    mine = next(row for row in rows if row["code"] == xl.code)
    person = city["person"]
    assert mine["applicant_name"] == "王**"
    assert mine["applicant_id_number"] == (
        person.id_number[:6] + "********" + person.id_number[-4:]
    )
    town = token("town-guzhen")
    assert [
        r["code"] for r in _get(client, "/api/v1/housing/applications", town).json()
    ] == [gz.code]
    assert (
        _get(client, f"/api/v1/housing/applications/{xl.pk}", town).status_code == 404
    )
    other = token("education")
    assert _get(client, "/api/v1/housing/applications", other).status_code == 404
    assert (
        _get(client, f"/api/v1/housing/applications/{xl.pk}", other).status_code == 404
    )


def test_an_application_carries_the_engines_explanation_and_its_position(
    city, client, token
):
    client.cookies["django_language"] = "zh-hans"  # the explanation in Chinese
    body = _get(
        client, f"/api/v1/housing/applications/{city['gz'].pk}", token("office")
    ).json()
    assert body["status"] == "waiting"
    assert body["explanation"].startswith("符合公共租赁住房申请资格（第3.8条）")
    assert (body["position"], body["score"], body["preferences"]) == (2, 50, ["E1"])


def test_the_waiting_list_gives_positions_and_reasons(city, client, token):
    rows = _get(client, "/api/v1/housing/waiting-list", token("housing")).json()
    assert [(r["application"], r["position"]) for r in rows] == [
        (city["xl"].code, 1),
        (city["gz"].code, 2),
    ]
    # Same group and score: the earlier application waits less.
    assert rows[1]["waiting_since"] == AS_OF.isoformat()


def test_the_housing_department_files_and_others_cannot(city, client, token):
    home, person = household(XIAOLAN)
    body = {
        "household": home.key,
        "applicant_id_number": person.id_number,
        "applicant_name": person.name,
        "submitted_on": "2015-02-01",
        "preferences": ["E1"],
        "disability": True,
    }
    forbidden = _post(
        client, "/api/v1/housing/applications", body, token("town-xiaolan")
    )
    assert forbidden.status_code == 403
    hidden = _post(client, "/api/v1/housing/applications", body, token("education"))
    assert hidden.status_code == 404
    created = _post(client, "/api/v1/housing/applications", body, token("housing"))
    assert created.status_code == 201, created.content
    assert created.json()["priority"] == "disability"
    again = _post(client, "/api/v1/housing/applications", body, token("housing"))
    assert again.status_code == 409
    unknown = _post(
        client,
        "/api/v1/housing/applications",
        {**body, "preferences": ["E9"]},
        token("housing"),
    )
    assert (unknown.status_code, unknown.json()["detail"]) == (422, "unknown estate E9")


def test_stock_is_added_and_listed(city, client, token):
    housing = token("housing")
    created = _post(
        client,
        "/api/v1/housing/estates",
        {"code": "E2", "name": "测试二区", "town": GUZHEN},
        housing,
    )
    assert created.status_code == 201
    unit_body = {
        "code": "E2-101", "estate": "E2", "floor_area_m2": "52.50", "bedrooms": 2,
        "rent_monthly": "525.00", "suits_min": 2, "suits_max": 4, "accessible": True,
    }  # fmt: skip
    made = _post(client, "/api/v1/housing/units", unit_body, housing)
    assert made.status_code == 201
    assert made.json()["suits"] == [2, 3, 4]
    bad = _post(
        client, "/api/v1/housing/units", {**unit_body, "code": "E2-102",
                                          "suits_min": 5}, housing
    )  # fmt: skip
    assert bad.status_code == 422
    units = _get(client, "/api/v1/housing/units?estate=E2", token("office")).json()
    assert [u["code"] for u in units] == ["E2-101"]
    estates = _get(client, "/api/v1/housing/estates", token("office")).json()
    assert [(e["code"], e["units"]) for e in estates] == [("E1", 1), ("E2", 1)]


def test_a_round_is_frozen_drawn_and_published_through_the_api(city, client, token):
    housing = token("housing")
    frozen = _post(
        client,
        "/api/v1/housing/rounds",
        {"id": "api-1", "title": "API round", "as_of": "2015-06-30"},
        housing,
    )
    assert frozen.status_code == 201, frozen.content
    assert frozen.json()["seed"] is None
    assert frozen.json()["migrant_quota"] == 225
    public = client.get("/api/v1/housing/rounds/api-1")
    assert public.status_code == 200 and public.json()["seed"] is None
    assert client.get("/api/v1/housing/rounds/api-1/round.json").status_code == 404
    town = _post(client, "/api/v1/housing/rounds/api-1/draw", {}, token("town-xiaolan"))
    assert town.status_code == 403
    drawn = _post(client, "/api/v1/housing/rounds/api-1/draw", {}, housing)
    assert drawn.status_code == 200
    exported = client.get("/api/v1/housing/rounds/api-1/round.json")
    assert exported.json()["seed"] == drawn.json()["seed"]
    assert exported.json()["allocation"] == {
        round_reference("api-1", city["xl"].pk): "E1-101"
    }
    again = _post(client, "/api/v1/housing/rounds/api-1/draw", {}, housing)
    assert again.status_code == 409


def test_answering_an_offer_twice_is_a_409_naming_the_first_answer(city, client, token):
    services.round_freeze(round_id="r1", title="r1", as_of=AS_OF, actor=None)
    services.round_draw(round_id="r1", actor=None)
    offer = Offer.objects.get()
    housing = token("housing")
    path = f"/api/v1/housing/offers/{offer.pk}/answer"
    first = _post(client, path, {"answer": "accept", "version": 1}, housing)
    assert first.status_code == 200
    assert (first.json()["status"], first.json()["version"]) == ("accepted", 2)
    second = _post(client, path, {"answer": "refuse", "version": 1}, housing)
    assert second.status_code == 409
    assert second.json()["offer"]["status"] == "accepted"
    assert second.json()["errors"] == []  # the API's one error format
    assert second.json()["detail"].startswith(
        "This offer was already answered (Accepted) by housing at "
    )
    town = _post(client, path, {"answer": "refuse", "version": 2}, token("town-guzhen"))
    assert town.status_code == 404
    listed = _get(client, "/api/v1/housing/offers?round=r1", token("town-xiaolan"))
    assert [o["unit"] for o in listed.json()] == ["E1-101"]
