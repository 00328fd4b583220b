"""Pages and exports of monitoring on the demo city, through the test client."""

import io
import json
import re

import pytest
from openpyxl import load_workbook

from equiserve.monitoring.models import IndicatorEntry, Report
from equiserve.portal.catalogue import load_catalogue
from equiserve.testkit import GUZHEN, XIAOLAN

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_city")]

ROW = re.compile(
    r'<tr data-indicator="(?P<code>[^"]+)" data-place="(?P<place>[^"]+)"'
    r'(?: data-group="(?P<group>[^"]*)")?[^>]*>(?P<body>.*?)</tr>',
    re.S,
)
VALUE = re.compile(r'<td class="num value">([^<]*)</td>')


def page_figures(html: str) -> dict[tuple[str, str, str], str]:
    """Return {(indicator, place, group): value as shown} from a page's figure rows."""
    found = {}
    for match in ROW.finditer(html):
        value = VALUE.search(match["body"])
        if value:
            found[(match["code"], match["place"], match["group"] or "")] = value[1]
    return found


def _text(response) -> str:
    return response.content.decode()


def test_the_office_dashboard_shows_every_domain_coverage_and_the_off_track_list(
    users, login
):
    response = login("office").get("/monitoring/?period=2015H2")
    assert response.status_code == 200
    html = _text(response)
    for domain in load_catalogue().domains:
        assert f'data-domain="{domain.id}"' in html
    assert 'id="off-track"' in html
    assert 'data-indicator="education.preschool_subsidy_coverage"' in html
    # Senior high schools had to be city-run from the 2014 spring term: the demo
    # city has one left, so the city is off track.
    off_track = html.split('id="off-track"')[1].split("</section>")[0]
    assert "General senior high schools run by the city" in off_track
    assert "vendor/echarts-5.6.0/echarts.min.js" in html
    # The dashboard judges targets; indicators without one are listed, linked.
    monitored = html.split("Also monitored, without a target")
    assert len(monitored) > 1
    assert "/monitoring/indicators/sports.fitness_circle/" in html


def test_a_town_officer_sees_their_own_town_only(users, login):
    client = login("town-xiaolan")
    html = _text(client.get("/monitoring/?period=2015H2"))
    assert "Xiaolan" in html.split("</h1>")[0]
    data = client.get(
        "/monitoring/map.json?indicator=culture.e_reading_rooms&period=2015H2"
    ).json()
    values = {
        f["properties"]["name"]: f["properties"]["value"]
        for f in data["towns"]["features"]
    }
    assert values[XIAOLAN] is not None
    assert {code for code, value in values.items() if value is not None} == {XIAOLAN}
    assert (
        client.get(
            f"/monitoring/trend.json?indicator=culture.e_reading_rooms&place={GUZHEN}"
        ).status_code
        == 404
    )
    assert (
        client.get(
            "/monitoring/trend.json?indicator=culture.e_reading_rooms&place=city"
        ).status_code
        == 404
    )
    detail = _text(
        client.get("/monitoring/indicators/culture.e_reading_rooms/?period=2015H2")
    )
    assert f'data-place="{XIAOLAN}"' in detail
    assert f'data-place="{GUZHEN}"' not in detail and 'data-place="city"' not in detail
    assert 'id="equality"' not in detail
    assert client.get("/monitoring/city/2015H2/").status_code == 404


def test_the_trend_gives_every_period_with_target_and_status(users, login):
    data = (
        login("office")
        .get("/monitoring/trend.json?indicator=culture.e_reading_rooms")
        .json()
    )
    assert [p["period"] for p in data["points"]] == [
        "2014H1",
        "2014H2",
        "2015H1",
        "2015H2",
        "2016H1",
        "2016H2",
    ]
    assert {p["target"] for p in data["points"]} == {100.0}
    assert data["points"][0]["status"] in ("on_track", "met")


def test_an_indicator_page_shows_equality_measures_for_the_office(users, login):
    html = _text(
        login("office").get(
            "/monitoring/indicators/culture.e_reading_rooms/?period=2015H2"
        )
    )
    for measure in ("across_towns", "city_to_towns", "urban_rural_gap", "convergence"):
        assert f'data-measure="{measure}"' in html
    assert html.count("<tr data-place=") == 25  # the city and 24 towns


def test_a_department_enters_town_values_on_the_entry_page(users, login):
    client = login("hr-social-security")
    url = (
        "/monitoring/indicators/employment.urban_unemployment_rate/entry/?period=2015H2"
    )
    page = _text(client.get(url))
    assert (
        f'name="v-{XIAOLAN}-numerator-"' in page and 'name="v-city-numerator-"' in page
    )
    response = client.post(
        url,
        {
            f"v-{XIAOLAN}-numerator-": "150",
            f"v-{XIAOLAN}-denominator-": "5,000",
            "v-city-numerator-": "",
        },
    )
    assert response.status_code == 302
    values = dict(
        IndicatorEntry.objects.filter(place=XIAOLAN).values_list("role", "value")
    )
    assert {role: float(value) for role, value in values.items()} == {
        "numerator": 150.0,
        "denominator": 5000.0,
    }
    bad = client.post(url, {f"v-{GUZHEN}-numerator-": "many"}, follow=True)
    assert "Not a number: many" in _text(bad)
    assert not IndicatorEntry.objects.filter(place=GUZHEN).exists()
    # Counted from the registry only: there is nothing to enter.
    assert (
        client.get("/monitoring/indicators/health.t1d_patients/entry/").status_code
        == 404
    )
    # A town officer enters the same indicator for their own town only.
    assert login("town-guzhen").get(url).content.count(b'name="v-') == 2


def test_a_submitted_report_exports_to_xlsx_with_the_figures_of_its_page(users, login):
    officer = login("town-xiaolan")
    response = officer.post("/monitoring/reports/open/", {"period": "2015H2"})
    report = Report.objects.get(period="2015H2", town_id=XIAOLAN)
    assert response["Location"] == f"/monitoring/reports/{report.pk}/"
    form = _text(officer.get(f"/monitoring/reports/{report.pk}/"))
    assert 'name="v-employment.urban_unemployment_rate-numerator-"' in form
    response = officer.post(
        f"/monitoring/reports/{report.pk}/",
        {
            "v-employment.urban_unemployment_rate-numerator-": "130",
            "v-employment.urban_unemployment_rate-denominator-": "4000",
            "v-health.t1d_managed_rate-numerator-": "1",
            "item-3.7-status": "behind",
            "item-3.7-progress": "Two job fairs.",
            "action": "submit",
            # The other items are blank: the submission is confirmed (issue 14).
            "confirmed": "1",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted"

    office = login("office")
    html = _text(office.get(f"/monitoring/reports/{report.pk}/"))
    shown = page_figures(html)
    assert shown[("employment.urban_unemployment_rate", XIAOLAN, "")] == "3.3"
    assert len(shown) > 20
    assert 'id="approve-report"' in html  # the office reviews it here

    xlsx = office.get(f"/monitoring/reports/{report.pk}/export.xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(xlsx.content))
    assert workbook.sheetnames[0] == "Summary"
    names = {XIAOLAN: "Xiaolan Town", "city": "Whole city"}
    groups = {"": None, "zhongshan": "Registered", "elsewhere": "Migrant"}
    exported = {}
    for sheet in workbook.worksheets[1:]:
        rows = [
            row
            for row in sheet.iter_rows(min_row=4, values_only=True)
            if row[2] and "." in str(row[2]) and row[3]
        ]
        for row in rows:
            exported[(row[2], row[3], row[4] or None)] = row[5]
        # Every domain with a value charts it.
        assert bool(sheet._charts) == any(row[5] is not None for row in rows), (
            sheet.title
        )
    assert len(exported) == len(shown)
    for (code, place, group), text in shown.items():
        cell = exported[(code, names.get(place, place), groups[group])]
        assert (text, cell) == (text, None if text == "—" else float(text))

    printable = _text(office.get(f"/monitoring/reports/{report.pk}/print/"))
    assert page_figures(printable) == shown
    assert "Two job fairs." in printable
    assert (
        login("town-guzhen").get(f"/monitoring/reports/{report.pk}/").status_code == 404
    )
    assert (
        login("town-guzhen")
        .get(f"/monitoring/reports/{report.pk}/export.xlsx")
        .status_code
        == 404
    )


def test_the_office_returns_a_report_with_a_comment_the_author_then_reads(users, login):
    officer = login("town-xiaolan")
    officer.post("/monitoring/reports/open/", {"period": "2015H1"})
    report = Report.objects.get(period="2015H1", town_id=XIAOLAN)
    officer.post(
        f"/monitoring/reports/{report.pk}/", {"action": "submit", "confirmed": "1"}
    )
    office = login("office")
    response = office.post(
        f"/monitoring/reports/{report.pk}/review/",
        {"action": "return", "comment": "Add the 3.7 narrative."},
    )
    assert response.status_code == 302
    page = _text(officer.get(f"/monitoring/reports/{report.pk}/"))
    assert "Add the 3.7 narrative." in page and 'id="report-form"' in page
    # Only the office reviews; an author cannot approve their own report.
    assert (
        officer.post(
            f"/monitoring/reports/{report.pk}/review/", {"action": "approve"}
        ).status_code
        == 403
    )


def test_the_city_report_marks_unapproved_figures_and_exports_a_sheet_per_domain(
    users, login
):
    officer = login("town-guzhen")
    officer.post("/monitoring/reports/open/", {"period": "2015H2"})
    report = Report.objects.get(period="2015H2", town_id=GUZHEN)
    officer.post(
        f"/monitoring/reports/{report.pk}/", {"action": "submit", "confirmed": "1"}
    )
    office = login("office")
    html = _text(office.get("/monitoring/city/2015H2/?domain=3.2"))

    def state(place):
        return re.search(
            rf'data-indicator="culture.e_reading_rooms" data-place="{place}" '
            r'data-state="(\w+)"',
            html,
        )[1]

    assert (state(GUZHEN), state(XIAOLAN), state("city")) == (
        "submitted",
        "live",
        "live",
    )
    assert "submitted, not approved" in html
    workbook = load_workbook(
        io.BytesIO(office.get("/monitoring/city/2015H2/export.xlsx").content)
    )
    assert len(workbook.sheetnames) == 1 + len(load_catalogue().domains)
    assert all(sheet._charts for sheet in workbook.worksheets[1:])
    assert office.get("/monitoring/city/2015H2/print/").status_code == 200
    moved = office.get("/monitoring/city/2015H2/?period=2014H1")
    assert moved["Location"] == "/monitoring/city/2014H1/"


def test_a_bad_period_is_a_400(users, login):
    assert login("office").get("/monitoring/?period=2019H1").status_code == 400
    assert login("office").get("/monitoring/city/2013H2/").status_code == 400


def test_the_report_list_shows_every_expected_report_in_few_queries(
    users, login, django_assert_max_num_queries
):
    client = login("office")
    client.get("/monitoring/reports/?period=2015H2")  # warm the catalogue cache
    with django_assert_max_num_queries(12):
        response = client.get("/monitoring/reports/?period=2015H2")
    assert _text(response).count("<tr data-author=") == 8 + 24
    own = _text(login("town-xiaolan").get("/monitoring/reports/?period=2015H2"))
    assert own.count("<tr data-author=") == 1


def test_pages_need_a_login_and_a_role(users, login):
    response = login(None).get("/monitoring/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_coverage_chart_data_is_embedded_for_the_dashboard(users, login):
    html = _text(login("office").get("/monitoring/?period=2015H2"))
    data = json.loads(
        re.search(
            r'<script id="coverage-data" type="application/json">(.*?)</script>',
            html,
            re.S,
        )[1]
    )
    assert {row["label"] for row in data} >= {
        "Kindergarten children receiving the preschool subsidy"
    }


def test_submitting_with_blank_items_asks_first_and_says_how_many(users, login):
    """Issue 14, deliverable 4: a confirmation naming the blank items."""
    from equiserve.monitoring import selectors

    officer = login("town-xiaolan")
    opened = officer.post("/monitoring/reports/open/", {"period": "2015H1"})
    report = Report.objects.get()
    url = opened["Location"]
    step = officer.post(url, {"item-3.7-status": "behind", "action": "submit"})
    assert step.status_code == 200
    page = step.content.decode()
    total = len(selectors.report_items(report))
    assert f"{total - 1} plan items are blank" in page
    assert 'name="confirmed" value="1"' in page
    report.refresh_from_db()
    assert report.status == "draft"
    assert report.items.get(clause="3.7").status == "behind"  # what was typed is kept
    done = officer.post(url, {"action": "submit", "confirmed": "1"})
    assert done.status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted"


def test_the_city_report_lists_failing_towns_and_late_reports_first(users, login):
    """Issue 14, deliverable 6: the long tables put what fails first, and filter."""
    office = login("office")
    html = _text(office.get("/monitoring/city/2015H2/"))
    tables = html.split('class="figures city-matrix"')[1:]
    assert tables
    for table in tables:
        missed = [
            int(n)
            for n in re.findall(r'data-missed="(\d+)"', table.split("</table>")[0])
        ]
        assert missed == sorted(missed, reverse=True)
    failing = _text(office.get("/monitoring/city/2015H2/?towns=failing"))
    shown = re.findall(r'data-missed="(\d+)"', failing)
    assert "0" not in shown
    assert len(shown) < len(re.findall(r'data-missed="(\d+)"', html))
    assert "Show every town" in failing
    late = _text(office.get("/monitoring/city/2015H2/?reports=late"))
    reports = late.split('<table class="reports">')[1].split("</table>")[0]
    assert reports.count("<tr data-author=") <= html.split('<table class="reports">')[
        1
    ].split("</table>")[0].count("<tr data-author=")
    # Plan items' statuses by town read in words, not codes.
    assert not re.search(r"Towns: (not_started|on_schedule|behind|completed) ", html)
