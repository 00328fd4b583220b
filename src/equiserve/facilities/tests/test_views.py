"""Pages need a login, keep town officers to their town, and match CLI and XLSX."""

import datetime as dt
import io
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from typer.testing import CliRunner

from equiserve.accounts.models import Role
from equiserve.cli import app
from equiserve.facilities.exports import sheet_records
from equiserve.facilities.models import Facility, Kind
from equiserve.facilities.standards import STANDARDS
from equiserve.facilities.tests.factories import make_facility
from equiserve.testkit import make_officer

pytestmark = pytest.mark.django_db
DAY = "2015-06-01"


@pytest.fixture
def checked_city(city):
    a = city["a"]
    make_facility(Kind.GUIDANCE_STATION, a, instructors=1)
    make_facility(Kind.SENIOR_HIGH, a, managed_by="town")
    make_facility(Kind.CULTURE_CENTRE, a, indoor_area_m2=2100, free_opening=True)
    make_facility(
        Kind.CULTURE_ROOM,
        a,
        village=city["village"],
        indoor_area_m2=180,
        e_reading_room=True,
    )
    return city


@pytest.fixture
def officer(client, two_towns):
    user = make_officer("town-a", Role.TOWN, town=two_towns["a"])
    client.force_login(user)
    return user


@pytest.fixture
def office(client, two_towns):
    user = make_officer("office", Role.OFFICE)
    client.force_login(user)
    return user


def get(client, name, *args, **params):
    with translation.override("en"):
        return client.get(reverse(f"facilities:{name}", args=args), params)


def test_pages_need_a_login(client, two_towns):
    response = get(client, "overview")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert get(client, "export", date=DAY).status_code == 302


def test_town_officer_sees_own_town_and_gets_404_for_another(
    client, officer, checked_city
):
    assert get(client, "town", "442000100", date=DAY).status_code == 200
    assert get(client, "town", "442000105", date=DAY).status_code == 404
    assert get(client, "town", "442999999", date=DAY).status_code == 404
    assert get(client, "export", date=DAY, town="442000105").status_code == 404
    assert get(client, "map", date=DAY, town="442000105").status_code == 404
    # City-wide pages show the officer's town only.
    overview = get(client, "overview", date=DAY)
    assert [row["code"] for row in overview.context["matrix"]] == ["442000100"]
    data = get(client, "map", date=DAY).json()
    assert [f["properties"]["name"] for f in data["towns"]["features"]] == ["442000100"]
    assert {row[4][:9] for row in data["villages"]} == {"442000100"}
    book = load_workbook(io.BytesIO(get(client, "export", date=DAY).content))
    assert {
        row[0] for row in book["summary"].iter_rows(min_row=3, values_only=True)
    } == {"442000100"}
    # A town officer writes its own town's facilities (issue 10, finding 4).
    assert get(client, "import").status_code == 200


def test_user_without_a_role_sees_no_town(client, two_towns):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_user("nobody"))
    assert get(client, "town", "442000100", date=DAY).status_code == 404
    assert get(client, "overview", date=DAY).context["matrix"] == []


def test_bad_date_and_unknown_standard(client, office):
    assert get(client, "overview", date="2015-13-01").status_code == 400
    assert get(client, "overview", date="2013-06-01").status_code == 400
    assert get(client, "standard", "culture.nothing", date=DAY).status_code == 404


def run_cli(*args) -> dict:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_standards_same_through_command_line_page_and_xlsx(
    client, office, checked_city
):
    cli = run_cli("standards", "check", "--date", DAY, "--json")
    page = get(client, "overview", date=DAY)
    html = page.content.decode()
    book = load_workbook(io.BytesIO(get(client, "export", date=DAY).content))
    # An empty cell reads back as None: the city-wide row has no town.
    xlsx = [
        {key: "" if value is None else value for key, value in row.items()}
        for row in sheet_records(book["summary"])
    ]
    assert xlsx == cli["summary"]
    # What people read: headings and each code's label, in their language
    # (issue 14); the JSON keys sit in a hidden second row.
    header = next(book["summary"].iter_rows(values_only=True))
    assert header[:4] == ("镇区代码", "镇", "标准代码", "标准")
    assert book["summary"].row_dimensions[2].hidden
    for row in cli["summary"]:
        if not row["town"]:
            continue
        town_row = html.split(f'<tr data-town="{row["town"]}">')[1].split("</tr>")[0]
        cell = re.search(
            rf'data-standard="{re.escape(row["standard"])}"[^>]*>([^<]*)</td>', town_row
        )
        assert cell.group(1) == f"{row['short']}/{row['subjects']}", row
    findings = sheet_records(book["findings"])
    assert len(findings) == len(cli["findings"])
    station = next(
        f for f in cli["findings"] if f["standard"] == "sports.station_instructors"
    )
    assert (station["status"], station["shortfall"]) == ("short", 1)
    town = get(client, "town", "442000100", date=DAY).content.decode()
    assert (
        f'data-subject="{station["subject"]}" data-standard="sports.station_instructors"'
        in town
    )


def test_fitness_circle_same_through_command_line_page_and_xlsx(
    client, office, checked_city
):
    cli = run_cli("access", "fitness-circle", "--date", DAY, "--json")
    html = get(client, "circle", date=DAY).content.decode()
    book = load_workbook(io.BytesIO(get(client, "export", date=DAY).content))
    sheet = sheet_records(book["fitness_circle"])
    assert sheet[0]["share"] == cli["total"]["share"] == 7 / 11
    by_town = [row for row in sheet if row["group"] == "town"]
    assert [(r["value"], r["share"], r["people"]) for r in by_town] == [
        (r["town"], r["share"], r["people"]) for r in cli["by_town"]
    ]
    for row in cli["by_town"]:
        shown = re.search(
            rf'<tr data-town="{row["town"]}">.*?<td class="share">([^<]*)</td>',
            html,
            re.S,
        ).group(1)
        assert shown == f"{row['share'] * 100:.1f}%"
    for row in cli["by_hukou"]:
        shown = re.search(
            rf'data-group="hukou-{row["hukou"]}">.*?<td class="share">([^<]*)</td>',
            html,
            re.S,
        ).group(1)
        assert shown == f"{row['share'] * 100:.1f}%"
    villages = sheet_records(book["villages"])
    # The workbook keeps 17 significant digits, enough to read back the figure.
    assert [row["fca_m2_per_person"] for row in villages] == [
        pytest.approx(v["fca_m2_per_person"], rel=1e-15) for v in cli["villages"]
    ]
    about = dict(book["about"].iter_rows(values_only=True))
    assert about["fitness_circle.method"] == cli["method"] == "straight_line"
    assert about["fitness_circle.cutoff_m"] == 1200


def test_town_and_standard_pages_render(client, office, checked_city):
    for standard in STANDARDS:
        assert get(client, "standard", standard.id, date=DAY).status_code == 200
    page = get(client, "town", "442000100", date=DAY)
    assert page.status_code == 200
    assert "vendor/echarts-5.6.0/echarts.min.js" in page.content.decode()
    assert "http" not in re.sub(
        r'href="[^"]*"|xmlns="[^"]*"', "", page.content.decode()
    )


def test_import_page_imports_all_or_nothing(client, two_towns):
    client.force_login(make_officer("culture", Role.DEPARTMENT, department="culture"))
    bad = io.BytesIO(b"code,kind,name_zh,town,lon,lat\nA,library,,442000100,113,22\n")
    bad.name = "bad.csv"
    client.cookies["django_language"] = "en"
    response = client.post(reverse("facilities:import"), {"file": bad})
    # The one import page (issue 11, deliverable 6): 422 and the cell's row.
    assert response.status_code == 422
    assert "<td>2</td><td>name_zh</td><td></td><td>required</td>" in (
        response.content.decode()
    )
    good = io.BytesIO(
        b"code,kind,name_zh,town,lon,lat\nA,library,tsg,442000100,113,22\n"
    )
    good.name = "good.csv"
    response = client.post(reverse("facilities:import"), {"file": good})
    assert response.status_code == 200
    assert "good.csv: 1 facilities created, 0 updated." in response.content.decode()
    assert Facility.objects.get(code="A").opening_date is None


def test_command_line_rejects_bad_input(two_towns):
    runner = CliRunner()
    unknown = runner.invoke(app, ["standards", "check", "--town", "442999999"])
    assert unknown.exit_code == 2 and "unknown town" in unknown.output
    early = runner.invoke(app, ["access", "fitness-circle", "--date", "2013-01-01"])
    assert early.exit_code == 2 and "has no value on 2013-01-01" in early.output
    table = runner.invoke(app, ["access", "fitness-circle", "--date", DAY])
    assert table.exit_code == 0 and "1200 m (straight_line × 1.3)" in table.output
    assert dt.date.fromisoformat(DAY)


def test_command_line_exports_registry_and_report(checked_city, tmp_path):
    runner = CliRunner()
    registry = tmp_path / "facilities.xlsx"
    assert runner.invoke(app, ["facilities", "export", str(registry)]).exit_code == 0
    rows = list(load_workbook(registry).active.iter_rows(values_only=True))
    assert len(rows) - 1 == Facility.objects.count()
    report = tmp_path / "report.xlsx"
    result = runner.invoke(
        app, ["facilities", "export", str(report), "--report", "--date", DAY]
    )
    assert result.exit_code == 0, result.output
    cli = run_cli("standards", "check", "--date", DAY, "--json")
    findings = list(load_workbook(report)["findings"].iter_rows(values_only=True))
    assert len(findings) - 2 == len(cli["findings"])  # headings, hidden keys
    # Every kind in the file: only an administrator may write them all.
    get_user_model().objects.create_superuser("admin", password="pw-123456!")
    with translation.override("en"):
        imported = runner.invoke(
            app, ["facilities", "import", str(registry), "--user", "admin"]
        )
    assert imported.exit_code == 0 and "0 facilities created" in imported.output
