"""Imports are all or nothing and report every problem by row; exports read back."""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from equiserve.audit.models import AuditEntry
from equiserve.facilities.exports import facilities_workbook
from equiserve.facilities.importing import COLUMNS
from equiserve.facilities.models import Facility, Kind
from equiserve.facilities.services import facilities_import
from equiserve.facilities.tests.factories import make_facility

pytestmark = pytest.mark.django_db


@pytest.fixture
def importer(db):
    """An administrator, who may write every facility."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("admin", password="pw-123456!")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


HEADER = "code,kind,name_zh,town,village,natural_village,lon,lat,opening_date,indoor_area_m2,basketball_courts,table_tennis_tables,e_reading_room,instructors"


def test_csv_creates_facilities_and_fills_places_from_the_natural_village(
    two_towns, importer
):
    hamlet = two_towns["hamlet_1"].code
    report = facilities_import(
        actor=importer,
        content=csv_bytes(
            HEADER,
            "C1,culture_room,村1文化室,442000100,442000100201,,113.27,22.66,2010-05-01,199.9,0,0,是,",
            f"S1,sports_ground,篮球场,,,{hamlet},113.272,22.661,,,1,2,no,",
        ),
        filename="facilities.csv",
    )
    assert report.ok, report.lines()
    assert (report.saved["created"], report.saved["updated"]) == (["C1", "S1"], [])
    room = Facility.objects.get(code="C1")
    assert (room.indoor_area_m2, room.opening_date, room.e_reading_room) == (
        Decimal("199.90"),
        dt.date(2010, 5, 1),
        True,
    )
    ground = Facility.objects.get(code="S1")
    assert (ground.town_id, ground.village_id, ground.natural_village_id) == (
        "442000100",
        "442000100201",
        hamlet,
    )
    assert (ground.basketball_courts, ground.table_tennis_tables) == (1, 2)
    assert report.lines() == ["facilities.csv: 2 facilities created, 0 updated."]
    assert AuditEntry.objects.filter(action="import").count() == 1


def test_one_bad_row_imports_nothing_and_every_problem_is_listed(two_towns, importer):
    existing = make_facility(Kind.LIBRARY, two_towns["a"], code="L1", name_zh="旧名")
    report = facilities_import(
        actor=importer,
        content=csv_bytes(
            HEADER,
            "L1,library,新名,442000100,,,113.25,22.65,,,0,0,,",
            "X1,castle,城堡,442000100,,,113.25,22.65,,,0,0,,",
            "X2,culture_room,室,442000105,442000100201,,113.25,22.65,2014-02-30,-5,0,0,maybe,",
            "X3,guidance_station,站,442999999,,,east,22.65,,,1.5,0,,",
            "L1,library,重复,442000100,,,113.25,22.65,,,0,0,,",
        ),
        filename="bad.csv",
    )
    assert not report.ok
    assert [str(issue) for issue in report.errors] == [
        # The choices by their labels, as the file may hold them (issue 14).
        "row 3, kind: castle is not one of: " + ", ".join(map(str, Kind.labels)),
        "row 4, opening_date: 2014-02-30 is not a real date",
        "row 4, indoor_area_m2: expected a number ≥ 0, got -5",
        "row 4, e_reading_room: expected yes or no, got maybe",
        "row 4, village: village 442000100201 is not in town 442000105",
        "row 5, lon: expected a number, got east",
        "row 5, basketball_courts: expected a whole number ≥ 0, got 1.5",
        "row 5, town: unknown town 442999999",
        "row 6, code: code L1 already used in row 2",
    ]
    assert report.lines()[0] == "bad.csv: 9 error(s); nothing was imported."
    existing.refresh_from_db()
    assert existing.name_zh == "旧名"
    assert Facility.objects.count() == 1
    assert not AuditEntry.objects.filter(action="import").exists()


def test_header_problems_stop_before_the_rows(two_towns, importer):
    report = facilities_import(
        actor=importer,
        content=csv_bytes("code,kind,colour,lon", "A,library,red,113"),
        filename="x.csv",
    )
    assert [str(issue) for issue in report.errors] == [
        "row 1: unknown column(s): colour",
        "row 1: missing column(s): name_zh, lat",
    ]


def test_schools_and_disability_services_need_their_typed_attribute(
    two_towns, importer
):
    report = facilities_import(
        actor=importer,
        content=csv_bytes(
            "code,kind,name_zh,town,lon,lat,managed_by,disability_component",
            "H1,senior_high,高中,442000100,113.25,22.65,,",
            "D1,disability_service,康复中心,442000100,113.25,22.65,,",
            "H2,senior_high,高中,442000100,113.25,22.65,county,",
        ),
        filename="schools.csv",
    )
    assert [str(issue) for issue in report.errors] == [
        "row 2, managed_by: a school needs its managing authority (city or town)",
        "row 3, disability_component: a disability service needs its component",
        "row 4, managed_by: county is not one of: City-run, Town-run",
    ]


def xlsx_bytes(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_with_numeric_codes_and_date_cells(two_towns, importer):
    content = xlsx_bytes(
        [
            [
                "code",
                "kind",
                "name_zh",
                "town",
                "lon",
                "lat",
                "opening_date",
                "instructors",
            ],
            [
                "G1",
                "guidance_station",
                "指导站",
                442000100,
                113.25,
                22.65,
                dt.datetime(2015, 3, 1),
                1,
            ],
            [None] * 8,
            ["G2", "guidance_station", "指导站", 442000105, 113.19, 22.61, None, None],
        ]
    )
    report = facilities_import(
        actor=importer, content=content, filename="stations.xlsx"
    )
    assert report.ok, report.lines()
    station = Facility.objects.get(code="G1")
    assert (station.town_id, station.opening_date, station.instructors) == (
        "442000100",
        dt.date(2015, 3, 1),
        1,
    )


def test_xlsx_errors_name_spreadsheet_rows(two_towns, importer):
    content = xlsx_bytes(
        [
            ["code", "kind", "name_zh", "town", "lon", "lat"],
            ["G1", "guidance_station", "", 442000100, 113.25, 22.65],
            ["G2", "guidance_station", "站", 442000100, 113.25, 95],
        ]
    )
    report = facilities_import(
        actor=importer, content=content, filename="stations.xlsx"
    )
    assert [str(issue) for issue in report.errors] == [
        "row 2, name_zh: required",
        "row 3, lat: latitude must be between -90 and 90",
    ]
    assert not Facility.objects.exists()


def test_geojson_points(two_towns, importer):
    document = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [113.25, 22.65]},
                "properties": {
                    "code": "F1",
                    "kind": "fitness_ground",
                    "name_zh": "健身苑",
                    "village": "442000100001",
                    "site_area_m2": 650.5,
                },
            }
        ],
    }
    report = facilities_import(
        actor=importer,
        content=json.dumps(document).encode(),
        filename="grounds.geojson",
    )
    assert report.ok, report.lines()
    ground = Facility.objects.get(code="F1")
    assert (ground.town_id, ground.site_area_m2, ground.lon) == (
        "442000100",
        Decimal("650.50"),
        113.25,
    )


def test_geojson_errors_name_features(two_towns, importer):
    document = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": []}},
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [113.25, 22.65]},
                "properties": {"code": "F1", "kind": "fitness_ground", "owner": "x"},
            },
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [113.25, 22.65]},
                "properties": {"code": "F2", "town": "442000100"},
            },
        ],
    }
    report = facilities_import(
        actor=importer, content=json.dumps(document).encode(), filename="g.json"
    )
    assert [str(issue) for issue in report.errors] == [
        "features[0], geometry: a facility must be a Point",
        "features[1]: unknown propert(ies): owner",
    ]
    fixed = {**document, "features": document["features"][2:]}
    report = facilities_import(
        actor=importer, content=json.dumps(fixed).encode(), filename="g.json"
    )
    assert [str(issue) for issue in report.errors] == [
        "features[0], kind: required",
        "features[0], name_zh: required",
    ]


def test_unknown_file_type_and_broken_files(two_towns, importer):
    assert [
        str(i)
        for i in facilities_import(actor=importer, content=b"", filename="a.pdf").errors
    ] == ["unknown file type pdf (expected .csv, .xlsx or .geojson)"]
    assert [
        str(i)
        for i in facilities_import(
            actor=importer, content=b"PK..", filename="a.xlsx"
        ).errors
    ] == ["the file is not an XLSX workbook"]


def test_export_reads_back_with_openpyxl_and_reimports_unchanged(two_towns, importer):
    make_facility(
        Kind.CULTURE_CENTRE,
        two_towns["a"],
        code="C1",
        indoor_area_m2="2000.5",
        free_opening=True,
        opening_date=dt.date(2009, 9, 1),
    )
    make_facility(Kind.SENIOR_HIGH, two_towns["b"], code="H1", managed_by="city")
    content = facilities_workbook(Facility.objects.order_by("code"))
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == COLUMNS
    first = dict(zip(rows[0], rows[1], strict=True))
    assert (first["code"], first["indoor_area_m2"], first["town"]) == (
        "C1",
        2000.5,
        "442000100",
    )
    before = {
        f.code: [getattr(f, c.attname) for c in Facility._meta.concrete_fields[1:-2]]
        for f in Facility.objects.all()
    }
    report = facilities_import(actor=importer, content=content, filename="export.xlsx")
    assert report.ok, report.lines()
    assert (report.saved["created"], sorted(report.saved["updated"])) == (
        [],
        ["C1", "H1"],
    )
    after = {
        f.code: [getattr(f, c.attname) for c in Facility._meta.concrete_fields[1:-2]]
        for f in Facility.objects.all()
    }
    assert after == before
