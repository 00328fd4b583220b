"""Incubation bases and start-up subsidies on pages (issue 15, deliverable 4): the
bureau and, for their own town, a town labour station create and correct them, with
the API's scope, validation and audit."""

import datetime as dt

import pytest

from equiserve.audit.models import AuditEntry
from equiserve.employment.models import IncubationBase, StartupSubsidy
from equiserve.testkit import GUZHEN, XIAOLAN, make_person

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _login(client, username):
    client.login(username=username, password=f"demo-{username}")
    return client


def _base(town=XIAOLAN, name="小榄创业园"):
    return IncubationBase.objects.create(
        name=name, town_id=town, opened_on=dt.date(2014, 6, 1), places=20
    )


def test_a_town_station_records_and_corrects_a_base_of_its_own_town(
    demo_accounts, client
):
    _login(client, "town-xiaolan")
    form = client.get("/employment/startups/bases/new/", **ZH).content.decode()
    assert "登记创业孵化基地" in form
    assert f'value="{XIAOLAN}"' in form and f'value="{GUZHEN}"' not in form
    other = client.post(
        "/employment/startups/bases/new/",
        {"name": "古镇创业园", "town": GUZHEN, "opened_on": "2014-06-01", "places": 10},
    )
    assert other.status_code == 422 and not IncubationBase.objects.exists()
    done = client.post(
        "/employment/startups/bases/new/",
        {
            "name": "小榄创业园",
            "town": XIAOLAN,
            "opened_on": "2014-06-01",
            "places": 20,
        },
    )
    assert done.status_code == 302
    base = IncubationBase.objects.get()
    assert (base.name, base.town_id, base.places) == ("小榄创业园", XIAOLAN, 20)
    zero = client.post(
        f"/employment/startups/bases/{base.pk}/",
        {"name": "小榄创业园", "opened_on": "2014-06-01", "places": 0},
    )
    assert zero.status_code == 422
    saved = client.post(
        f"/employment/startups/bases/{base.pk}/",
        {"name": "小榄创新创业园", "opened_on": "2014-07-01", "places": 25},
    )
    assert saved.status_code == 302
    base.refresh_from_db()
    assert (base.name, base.opened_on, base.places, base.town_id) == (
        "小榄创新创业园",
        dt.date(2014, 7, 1),
        25,
        XIAOLAN,
    )
    logged = AuditEntry.objects.filter(
        object_type="employment.incubation_base", object_id=str(base.pk)
    )
    assert sorted(e.action for e in logged) == ["create", "update"]
    assert {e.actor_username for e in logged} == {"town-xiaolan"}


def test_a_town_station_cannot_change_another_towns_base(demo_accounts, client):
    guzhen = _base(GUZHEN, "古镇创业园")
    _login(client, "town-xiaolan")
    assert "古镇创业园" in client.get("/employment/startups/").content.decode()
    path = f"/employment/startups/bases/{guzhen.pk}/"
    assert client.get(path).status_code == 404
    body = {"name": "x", "opened_on": "2014-06-01", "places": 1}
    assert client.post(path, body).status_code == 404
    assert IncubationBase.objects.get().name == "古镇创业园"
    _login(client, "office")
    assert client.get(path).status_code == 403
    _login(client, "hr-social-security")
    assert client.post(path, body | {"name": "古镇创业孵化基地"}).status_code == 302
    assert IncubationBase.objects.get().name == "古镇创业孵化基地"


def test_a_town_station_grants_and_corrects_a_start_up_subsidy(demo_accounts, client):
    base = _base()
    guzhen_base = _base(GUZHEN, "古镇创业园")
    person = make_person(XIAOLAN)
    outsider = make_person(GUZHEN)
    _login(client, "town-xiaolan")
    form = client.get("/employment/startups/subsidies/new/", **ZH).content.decode()
    assert "小榄创业园" in form and "古镇创业园" not in form
    body = {"business": "网店", "base": base.pk, "granted_on": "2015-09-01"}
    refused = client.post(
        "/employment/startups/subsidies/new/",
        body | {"id_number": outsider.id_number},
        **ZH,
    )
    assert refused.status_code == 422
    assert "您所辖镇区内没有此身份证号码的居民。" in refused.content.decode()
    wrong_base = client.post(
        "/employment/startups/subsidies/new/",
        body | {"id_number": person.id_number, "base": guzhen_base.pk},
    )
    assert wrong_base.status_code == 422
    done = client.post(
        "/employment/startups/subsidies/new/", body | {"id_number": person.id_number}
    )
    assert done.status_code == 302
    subsidy = StartupSubsidy.objects.get()
    assert (subsidy.person, subsidy.base, str(subsidy.amount)) == (
        person,
        base,
        "5000.00",
    )
    again = client.post(
        "/employment/startups/subsidies/new/",
        body | {"id_number": person.id_number},
        **ZH,
    )
    assert again.status_code == 422 and StartupSubsidy.objects.count() == 1
    assert "此人已领取过一次性创业补贴。" in again.content.decode()
    saved = client.post(
        f"/employment/startups/subsidies/{subsidy.pk}/",
        {"business": "奶茶店", "base": "", "granted_on": "2015-10-01"},
    )
    assert saved.status_code == 302
    subsidy.refresh_from_db()
    assert (subsidy.business, subsidy.base, subsidy.granted_on) == (
        "奶茶店",
        None,
        dt.date(2015, 10, 1),
    )
    assert str(subsidy.amount) == "5000.00"
    logged = AuditEntry.objects.filter(
        object_type="employment.startup_subsidy", object_id=str(subsidy.pk)
    )
    assert sorted(e.action for e in logged) == ["create", "update"]
    _login(client, "town-guzhen")
    assert (
        client.get(f"/employment/startups/subsidies/{subsidy.pk}/").status_code == 404
    )
