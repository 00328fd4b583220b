"""How stored values are shown: when computed, updating, undetermined (issue 13).

A small registry of three urban households in Xiaolan, one eligible for public
rental housing (3.8), one not, and one whose floor area is missing, so the
engine cannot decide it: the API and the indicator page give each stored value
its computation time and updating flag, and the undetermined household apart,
never counted in the numerator. The worker is `values_refresh`, run in the test.
"""

import datetime as dt
from decimal import Decimal

import pytest

from equiserve.monitoring.definitions import CITY, TOWN, load_definitions
from equiserve.monitoring.periods import period_get
from equiserve.monitoring.stored import stored_values, values_refresh
from equiserve.testkit import XIAOLAN, make_household, make_person

pytestmark = pytest.mark.django_db

PERIOD = period_get("2015H2")
RATE = "housing.urban_lower_middle_difficulty"
SOLVED = "housing.difficulty_solved"


@pytest.fixture
def households(geography, demo_accounts):
    made = {}
    for name, area in (("eligible", "20.00"), ("roomy", "200.00"), ("unknown", None)):
        home = make_household(
            XIAOLAN,
            floor_area_m2=None if area is None else Decimal(area),
            annual_income=Decimal("10000.00"),
        )
        for _ in range(2):
            member = make_person(
                XIAOLAN,
                household=home,
                hukou="zhongshan",
                hukou_kind="urban",
                birth_date=dt.date(1980, 1, 1),
            )
        made[name] = (home, member)
    definitions = load_definitions()
    chosen = [definitions.get(RATE), definitions.get(SOLVED)]
    # Asked for once: written as pending rows, then computed by the worker.
    stored_values(chosen, periods=[PERIOD], levels=[CITY, TOWN])
    values_refresh()
    return made


def _row(api_get, code):
    response = api_get(f"/values?indicator={code}&period={PERIOD.id}&level=town")
    assert response.status_code == 200
    (row,) = [r for r in response.json() if r["place"] == XIAOLAN]
    return row


@pytest.fixture
def api_get(client, token):
    bearer = token("office")

    def get(path):
        return client.get(
            f"/api/v1/monitoring{path}", HTTP_AUTHORIZATION=f"Bearer {bearer}"
        )

    return get


def test_the_api_gives_when_computed_updating_and_undetermined(
    households, api_get, client
):
    row = _row(api_get, RATE)
    assert (row["numerator"], row["denominator"]) == (1.0, 3.0)
    # The household without a floor area is neither eligible nor counted as such.
    assert row["numerator_undetermined"] == 1.0
    assert row["denominator_undetermined"] is None
    assert row["updating"] is False
    computed = row["computed_at"]
    solved = _row(api_get, SOLVED)
    assert (solved["numerator"], solved["denominator"]) == (0.0, 1.0)
    assert solved["denominator_undetermined"] == 1.0
    # A registry change marks the value updating; the previous value is kept.
    home, member = households["roomy"]
    home.floor_area_m2 = Decimal("20.00")
    home.save()
    row = _row(api_get, RATE)
    assert row["updating"] is True
    assert (row["numerator"], row["computed_at"]) == (1.0, computed)
    values_refresh()
    row = _row(api_get, RATE)
    assert (row["numerator"], row["updating"]) == (2.0, False)
    assert dt.datetime.fromisoformat(row["computed_at"]) >= dt.datetime.fromisoformat(
        computed
    )
    schema = client.get("/api/v1/openapi.json").json()
    fields = schema["components"]["schemas"]["ValueOut"]["properties"]
    assert {"computed_at", "updating", "numerator_undetermined"} <= set(fields)


def test_the_indicator_page_shows_undetermined_and_when_computed(households, login):
    office = login("office")
    page = office.get(f"/monitoring/indicators/{RATE}/?period={PERIOD.id}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<th>Undetermined</th>" in html
    assert "never in their favour" in html
    row = html.split(f'data-place="{XIAOLAN}"', 1)[1].split("</tr>", 1)[0]
    assert '<td class="num undetermined">1</td>' in row
    assert '<td class="computed-at"><time datetime="' in row
    # While the worker recomputes it, the previous value is marked updating.
    home, _member = households["roomy"]
    home.annual_income = Decimal("10001.00")
    home.save()
    html = office.get(f"/monitoring/indicators/{RATE}/?period={PERIOD.id}")
    row = html.content.decode().split(f'data-place="{XIAOLAN}"', 1)[1]
    assert 'class="updating"' in row.split("</tr>", 1)[0]
    # An indicator that counts no rule has no undetermined column.
    other = office.get(
        f"/monitoring/indicators/employment.urban_unemployment_rate/?period={PERIOD.id}"
    )
    assert "<th>Undetermined</th>" not in other.content.decode()


def test_the_city_report_says_when_its_values_were_computed(households, login):
    page = login("office").get(f"/monitoring/city/{PERIOD.id}/")
    assert page.status_code == 200
    assert "Values as computed at" in page.content.decode()


def test_a_draft_reports_live_figures_say_when_they_were_computed(households, login):
    officer = login("town-xiaolan")
    opened = officer.post("/monitoring/reports/open/", {"period": PERIOD.id})
    html = officer.get(opened.url).content.decode()
    row = html.split(f'data-indicator="{RATE}" data-place="{XIAOLAN}"', 1)[1]
    assert '<small class="computed-at">Computed at 20' in row.split("</tr>", 1)[0]
