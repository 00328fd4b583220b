"""A standard's findings and the circle's villages are paged, sorted and filtered,
what fails first (issue 14, deliverable 6: one standard's page was 35,700 px tall)."""

import re

import pytest
from django.urls import reverse

from equiserve.accounts.models import Role
from equiserve.facilities.models import Kind
from equiserve.facilities.tests.factories import make_facility
from equiserve.testkit import make_officer

pytestmark = pytest.mark.django_db
DAY = "2015-06-01"
STANDARD = "culture.e_reading_room"


@pytest.fixture
def office(client, city):
    client.force_login(make_officer("office", Role.OFFICE))
    client.cookies["django_language"] = "en"
    a = city["a"]
    # One village has an e-reading room; the other two villages have none.
    make_facility(
        Kind.CULTURE_ROOM,
        a,
        village=city["village"],
        indoor_area_m2=180,
        e_reading_room=True,
    )
    return city


def page(client, name, *args, **params):
    response = client.get(reverse(f"facilities:{name}", args=args), params)
    assert response.status_code == 200
    return response.content.decode()


def statuses(html: str) -> list[str]:
    return re.findall(r'<tr class="status-(\w+)" data-subject', html)


def test_a_standard_lists_what_falls_short_first(client, office):
    html = page(client, "standard", STANDARD, date=DAY)
    found = statuses(html)
    assert "short" in found and "met" in found
    assert found == sorted(found, key=["short", "unknown", "not_due", "met"].index)
    assert 'aria-sort="ascending"' in html


def test_a_standard_filters_by_status_and_town(client, office):
    assert set(
        statuses(page(client, "standard", STANDARD, date=DAY, status="met"))
    ) == {"met"}
    other_town = page(client, "standard", STANDARD, date=DAY, town="442000105")
    assert 'data-subject="442000105201"' in other_town
    assert 'data-subject="442000100' not in other_town.split("<tbody>")[1]
    assert "No findings match these filters." in page(
        client, "standard", STANDARD, date=DAY, town="nowhere"
    )


def test_a_standard_pages_and_the_links_keep_date_and_filters(
    client, office, monkeypatch
):
    monkeypatch.setattr("equiserve.listing.PER_PAGE", 1)
    all_rows = statuses(page(client, "standard", STANDARD, date=DAY))
    assert len(all_rows) == 1
    html = page(client, "standard", STANDARD, date=DAY, status="short")
    pages = int(re.search(r"Page 1 of (\d+)", html).group(1))
    assert pages >= 2
    assert f"?date={DAY}&amp;status=short&amp;sort=status&amp;page=2" in html


def test_an_unknown_sort_key_is_ignored(client, office):
    assert statuses(page(client, "standard", STANDARD, date=DAY, sort="__dict__")) == (
        statuses(page(client, "standard", STANDARD, date=DAY))
    )


def shares(html: str) -> list[float]:
    villages = html.split('<table class="villages">')[1]
    return [
        float(text.rstrip("%"))
        for text in re.findall(r'<td class="share">([\d.]+)%</td>', villages)
    ]


def test_the_circle_lists_the_least_covered_villages_first(client, office):
    found = shares(page(client, "circle", date=DAY))
    assert len(found) >= 2 and found == sorted(found)
    assert shares(page(client, "circle", date=DAY, sort="share", order="desc")) == (
        sorted(found, reverse=True)
    )
    one_town = page(client, "circle", date=DAY, town="442000105")
    assert all(
        code.startswith("442000105")
        for code in re.findall(r'<tr data-village="(\d+)"', one_town)
    )


def test_the_map_colours_towns_against_the_target_not_by_their_share(client, office):
    """Issue 14, deliverable 7: a town's share was drawn green by its size; the
    plan sets the circle no target, so every town is neutral and labelled."""
    data = client.get(reverse("facilities:map"), {"date": DAY}).json()
    assert data["target"] is None
    towns = {
        f["properties"]["name"]: f["properties"] for f in data["towns"]["features"]
    }
    assert towns and {town["status"] for town in towns.values()} == {"no_target"}
    assert all(town["label"] for town in towns.values())
