"""The library's pages and API: public catalogue, scoped circulation, who lends (issue 19).

Role × page × API as in the registry's and cases' permission tests.
"""

import pytest

from equiserve.library.models import DigitalResource, EReadingRoom, ItemStatus
from equiserve.library.selectors import e_reading_room_villages
from equiserve.library.services import digital_use_record
from equiserve.library.tests.factories import (
    make_item,
    make_network,
    make_patron,
    make_work,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def net(demo_accounts):
    net = make_network()
    net["patron"] = make_patron(net["city"], card="440001")
    net["item"] = make_item(
        net["xiaolan"], make_work("中山市志", "编纂委员会"), barcode="XL0001"
    )
    return net


def _auth(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_anyone_searches_the_catalogue_in_chinese(net, login):
    page = login(None, "zh-hans").get("/library/", {"q": "山市"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "中山市志" in text and "图书馆" in text
    work = login(None).get(f"/library/works/{net['item'].work_id}/")
    assert "XL0001" in work.content.decode() and "On the shelf" in work.content.decode()


@pytest.mark.parametrize(
    ("user", "status", "sees_guzhen"),
    [
        ("culture", 200, True),
        ("office", 200, True),
        ("auditor", 200, True),
        ("town-xiaolan", 200, False),
        ("education", 404, False),
        (None, 404, False),
    ],
)
def test_the_circulation_page_is_scoped(net, login, user, status, sees_guzhen):
    page = login(user).get("/library/circulation/")
    assert page.status_code == status
    if status == 200:
        assert ("Guzhen Library" in page.content.decode()) is sees_guzhen
        assert login(user).get("/library/digital/").status_code == 200


@pytest.mark.parametrize(
    ("user", "status"),
    [("culture", 302), ("office", 403), ("town-xiaolan", 403), ("education", 404)],
)
def test_only_the_culture_bureau_lends_at_the_desk(net, login, user, status):
    lend = {"library": "XL", "action": "lend", "card": "440001", "barcode": "XL0001"}
    assert login(user).post("/library/desk/", lend).status_code == status
    net["item"].refresh_from_db()
    lent = ItemStatus.ON_LOAN if status == 302 else ItemStatus.AVAILABLE
    assert net["item"].status == lent


def test_the_desk_refuses_an_unknown_card_or_copy_and_sends_a_copy_home(net, login):
    client = login("culture")
    lend = {"library": "XL", "action": "lend", "card": "440001", "barcode": "NONE"}
    page = client.post("/library/desk/", lend, follow=True)
    assert "No copy has this barcode." in page.content.decode()
    page = client.post("/library/desk/", {**lend, "card": "9", "barcode": "XL0001"})
    page = client.get(page["Location"])
    assert "No reader has this card." in page.content.decode()
    client.post("/library/desk/", {**lend, "barcode": "XL0001"})
    back = {"library": "GZ", "action": "return", "barcode": "XL0001"}
    page = client.post("/library/desk/", back, follow=True)
    text = page.content.decode()
    assert "中山市志 taken back: in transit to Xiaolan Library." in text
    assert "Back to its home library" in text
    net["item"].refresh_from_db()
    assert (net["item"].status, net["item"].location.code) == ("in_transit", "GZ")


def test_the_api_lends_and_takes_back_anywhere_for_the_culture_bureau_only(
    net, client, token
):
    public = client.get("/api/v1/library/works", {"q": "中山"})
    assert [w["title"] for w in public.json()] == ["中山市志"]
    body = {"card": "440001", "barcode": "XL0001", "library": "XL"}
    town = token("town-xiaolan")
    refused = client.post(
        "/api/v1/library/loans", body, content_type="application/json", **_auth(town)
    )
    assert refused.status_code == 403
    other = client.post(
        "/api/v1/library/loans",
        body,
        content_type="application/json",
        **_auth(token("education")),
    )
    assert other.status_code == 404
    culture = token("culture")
    lent = client.post(
        "/api/v1/library/loans", body, content_type="application/json", **_auth(culture)
    )
    assert lent.status_code == 201, lent.content
    again = client.post(
        "/api/v1/library/loans", body, content_type="application/json", **_auth(culture)
    )
    assert again.status_code == 409
    back = client.post(
        "/api/v1/library/returns",
        {"barcode": "XL0001", "library": "GZ"},
        content_type="application/json",
        **_auth(culture),
    )
    assert back.json()["in_transit_to"] == "XL"
    assert back.json()["status"] == ItemStatus.IN_TRANSIT
    rows = client.get("/api/v1/library/circulation", **_auth(town)).json()
    assert {row["library"] for row in rows} == {"XL", "XL-24H"}


def test_digital_use_by_card_counts_per_library_town_and_village(net, client, token):
    village = net["xiaolan"].town.villages.order_by("code").first()
    room = EReadingRoom.objects.create(village=village, opened_on="2014-06-01")
    books = DigitalResource.objects.create(
        code="ebooks-1", title="电子书库", category="ebooks", library=net["city"]
    )
    digital_use_record(patron=net["patron"], resource=books, room=room)
    digital_use_record(patron=net["patron"], resource=books, library=net["guzhen"])
    usage = client.get(
        "/api/v1/library/digital/usage", **_auth(token("culture"))
    ).json()
    assert usage["by_category"] == [{"key": "ebooks", "sessions": 2}]
    assert usage["by_village"] == [{"key": village.code, "sessions": 1}]
    assert {row["key"] for row in usage["by_town"]} == {"442000100", "442000105"}
    assert usage["villages_with_e_reading_room"] == 1
    import datetime as dt

    assert e_reading_room_villages(dt.date(2014, 5, 31))[village.code] is False
    assert e_reading_room_villages(dt.date(2014, 6, 1))[village.code] is True
