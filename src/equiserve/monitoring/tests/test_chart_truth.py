"""The dashboard's map colours towns against the target and its tables put each
figure under its own heading (issue 14, deliverable 7)."""

import re

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_city")]


def test_the_map_says_met_or_not_met_against_the_target_and_the_tables_read_right(
    users, login
):
    office = login("office")
    data = office.get(
        "/monitoring/map.json",
        {"indicator": "culture.village_rooms", "period": "2015H2"},
    ).json()
    assert data["target"] is not None
    statuses = set()
    for town in data["towns"]["features"]:
        value, status = town["properties"]["value"], town["properties"]["status"]
        statuses.add(status)
        if value is None:
            assert status == "no_data"
        elif data["direction"] == "at_least":
            assert status == ("met" if value >= data["target"] else "not_met")
    assert statuses <= {"met", "not_met", "no_data"}
    assert statuses & {"met", "not_met"}  # the demo city has figures to judge

    html = office.get("/monitoring/?period=2015H2").content.decode()
    figures = html.split('<table class="domain-figures"')[1].split("</thead>")[0]
    assert re.findall(r'<th scope="col">([^<]+)</th>', figures) == [
        "Indicator",
        "Value",
        "Target",
        "Status",
    ]
    summary = html.split('<table class="domain-status">')[1].split("</table>")[0]
    # A zero count is never coloured as a status, a failure never as a success.
    assert 'status-off_track">0<' not in summary
    for cell in re.findall(r'<td class="num count status-met">(\d+)</td>', summary):
        assert int(cell) > 0
