"""The institutions' waiting lists (issue 17, deliverable 3): a page and an API
endpoint listing who waits today, longest first, town-scoped like the
register; the federation's start page counts them, linked to the list."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from equiserve.disability.models import WaitingEntry
from equiserve.disability.tests.factories import make_institution, make_record
from equiserve.testkit import GUZHEN, XIAOLAN


@pytest.fixture
def lists(demo_accounts):
    today = timezone.localdate()
    care = make_institution("care", kind="care", name_en="Care home")
    school = make_institution("school", kind="children-school")
    xl, gz, left = (make_record(XIAOLAN), make_record(GUZHEN), make_record(XIAOLAN))
    entries = {
        "xl-care": WaitingEntry.objects.create(
            record=xl, institution=care, since=today - dt.timedelta(days=40)
        ),
        "gz-care": WaitingEntry.objects.create(
            record=gz, institution=care, since=today - dt.timedelta(days=90)
        ),
        "xl-school": WaitingEntry.objects.create(
            record=xl, institution=school, since=today - dt.timedelta(days=10)
        ),
        # Got a place yesterday: no longer waiting.
        "left": WaitingEntry.objects.create(
            record=left,
            institution=care,
            since=today - dt.timedelta(days=200),
            ended_on=today - dt.timedelta(days=1),
        ),
        # Put on the list from tomorrow: not yet waiting.
        "future": WaitingEntry.objects.create(
            record=left, institution=school, since=today + dt.timedelta(days=1)
        ),
    }
    return {"entries": entries, "records": {"xl": xl, "gz": gz}}


def _api(login, token, username, query=""):
    headers = {"Authorization": f"Bearer {token(username)}"}
    return login(None).get(f"/api/v1/disability/waiting{query}", headers=headers)


def test_the_federation_lists_every_town_longest_waiting_first(lists, login, token):
    response = _api(login, token, "disabled-federation")
    assert response.status_code == 200
    rows = response.json()
    e = lists["entries"]
    assert [row["id"] for row in rows] == [
        e["gz-care"].pk,
        e["xl-care"].pk,
        e["xl-school"].pk,
    ]
    assert [row["days_waiting"] for row in rows] == [90, 40, 10]
    assert rows[0]["town"] == GUZHEN and rows[0]["institution"] == "care"
    assert rows[0]["institution_kind"] == "care"
    assert "*" in rows[0]["id_number"]
    one = _api(login, token, "disabled-federation", "?institution=school").json()
    assert [row["id"] for row in one] == [e["xl-school"].pk]


def test_a_town_officer_sees_only_their_towns_waiting_persons(lists, login, token):
    e = lists["entries"]
    xiaolan = _api(login, token, "town-xiaolan").json()
    assert [row["id"] for row in xiaolan] == [e["xl-care"].pk, e["xl-school"].pk]
    guzhen = _api(login, token, "town-guzhen").json()
    assert [row["id"] for row in guzhen] == [e["gz-care"].pk]
    # The page: the same scope, and no link to another town's person.
    page = login("town-xiaolan").get("/disability/waiting/").content.decode()
    gz_record = lists["records"]["gz"].pk
    assert f'data-record="{gz_record}"' not in page
    assert f"/disability/register/{gz_record}/" not in page
    assert page.count("<tr data-record=") == 2
    guzhen_page = login("town-guzhen").get("/disability/waiting/?institution=care")
    assert re.findall(r'data-record="(\d+)"', guzhen_page.content.decode()) == [
        str(gz_record)
    ]


def test_other_departments_get_no_waiting_list(lists, login, token):
    assert login("education").get("/disability/waiting/").status_code == 404
    assert _api(login, token, "education").status_code == 404
    assert _api(login, token, "office").status_code == 200
    assert login(None).get("/api/v1/disability/waiting").status_code == 401


def test_the_api_refuses_a_malformed_institution_code(lists, login, token):
    assert _api(login, token, "office", "?institution=%3Cx%3E").status_code == 422


def test_the_federation_start_page_counts_the_waiting(lists, login):
    page = login("disabled-federation").get("/start/").content.decode()
    match = re.search(
        r'<h2><a href="/disability/waiting/">Persons waiting for a place at an '
        r'institution</a> <span class="count" data-count="(\d+)">',
        page,
    )
    assert match and match.group(1) == "3"
    xl = lists["records"]["xl"].pk
    assert f'href="/disability/register/{xl}/"' in page
    # Not on a town officer's or another department's start page.
    for username in ("town-xiaolan", "education"):
        other = login(username).get("/start/").content.decode()
        assert "Persons waiting for a place" not in other, username
