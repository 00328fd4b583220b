import json
from pathlib import Path

import pytest
from django.utils import timezone, translation

from equiserve.audit.models import AuditEntry
from equiserve.audit.services import audit_verify
from equiserve.geography.coordinates import wgs84_to_gcj02
from equiserve.geography.models import NaturalVillage, Town, Village
from equiserve.geography.selectors import town_get, town_list, village_list
from equiserve.geography.services import (
    APPROXIMATE_AREA_SOURCE,
    geography_load_reference,
    town_areas_import,
)
from equiserve.geography.synthetic import (
    natural_villages_frame,
    town_areas,
    villages_frame,
)
from equiserve.testkit import GUZHEN, SHIQI, XIAOLAN

pytestmark = pytest.mark.django_db


def _square(lon: float, lat: float, half: float = 0.01) -> dict:
    ring = [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
        [lon - half, lat - half],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def _feature(properties: dict, geometry: dict | None = None) -> dict:
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": geometry or _square(113.2, 22.7),
    }


def _write(tmp_path: Path, features: list, name: str = "towns.geojson") -> Path:
    path = tmp_path / name
    document = {"type": "FeatureCollection", "features": features}
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def _snapshot() -> list[tuple]:
    return list(
        Town.objects.order_by("code").values_list(
            "code", "area_status", "area_source", "area_geometry"
        )
    )


def test_load_creates_the_towns_villages_and_natural_villages(geography):
    assert geography == {
        "towns": 24,
        "towns_created": 24,
        "imported_areas_kept": 0,
        "villages": 306,
        "natural_villages": natural_villages_frame().height,
    }
    assert Town.objects.count() == 24
    assert Village.objects.count() == villages_frame().height == 306
    assert NaturalVillage.objects.count() == natural_villages_frame().height
    shiqi = Town.objects.get(code=SHIQI)
    assert (shiqi.code_12, shiqi.short_name_zh, shiqi.kind) == (
        "442000001000",
        "石岐区",
        "subdistrict",
    )
    assert (shiqi.center_lon, shiqi.center_lat) == (113.399516, 22.527387)
    assert (shiqi.center_lon_gcj02, shiqi.center_lat_gcj02) == (113.405, 22.5247)
    assert shiqi.area_status == Town.AreaStatus.APPROXIMATE
    assert "approximate" in shiqi.area_source
    assert shiqi.area_geometry["type"] == "Polygon"
    expected = [list(xy) for xy in town_areas()[SHIQI].exterior.coords]
    assert shiqi.area_geometry["coordinates"][0] == expected
    first = Village.objects.get(code=villages_frame()["code"][0])
    assert first.population_weight == villages_frame()["population_weight"][0]


def test_load_is_idempotent(geography):
    before = (
        list(Town.objects.values_list()),
        list(Village.objects.values_list()),
        list(NaturalVillage.objects.values_list()),
    )
    again = geography_load_reference()
    assert again["towns_created"] == 0
    assert again["villages"] == geography["villages"]
    after = (
        list(Town.objects.values_list()),
        list(Village.objects.values_list()),
        list(NaturalVillage.objects.values_list()),
    )
    assert after == before


def test_load_repairs_an_edited_town(geography):
    Town.objects.filter(code=SHIQI).update(name_en="edited", area_geometry=None)
    geography_load_reference()
    shiqi = Town.objects.get(code=SHIQI)
    assert shiqi.name_en == "Shiqi Subdistrict"
    assert shiqi.area_geometry["type"] == "Polygon"


def test_import_replaces_the_areas_of_the_matched_towns(geography, tmp_path):
    path = _write(
        tmp_path,
        [
            _feature({"code": XIAOLAN}, _square(113.22, 22.70)),
            _feature({"name": "古镇镇"}, _square(113.16, 22.68)),
            _feature({"code_12": "442000001000", "adcode": 442000001}),
        ],
    )
    report = town_areas_import(path)
    assert report.ok and report.errors == []
    assert report.saved["matched"] == {XIAOLAN: 0, GUZHEN: 1, SHIQI: 2}
    xiaolan = Town.objects.get(code=XIAOLAN)
    assert xiaolan.area_status == Town.AreaStatus.IMPORTED
    assert xiaolan.area_source == f"towns.geojson ({timezone.localdate().isoformat()})"
    assert xiaolan.area_geometry == _square(113.22, 22.70)
    assert Town.objects.filter(area_status="imported").count() == 3
    assert Town.objects.get(code="442000117").area_status == "approximate"
    with translation.override("en"):
        assert report.lines()[0] == "towns.geojson: imported the areas of 3 town(s)."


def test_import_records_one_audit_entry_per_town(geography, tmp_path):
    path = _write(
        tmp_path,
        [_feature({"code": XIAOLAN}), _feature({"code": GUZHEN})],
    )
    assert town_areas_import(path).ok
    entries = list(AuditEntry.objects.order_by("seq"))
    assert [(e.action, e.object_type, e.object_id, e.town_code) for e in entries] == [
        ("import", "geography.town", XIAOLAN, XIAOLAN),
        ("import", "geography.town", GUZHEN, GUZHEN),
    ]
    source = f"towns.geojson ({timezone.localdate().isoformat()})"
    assert entries[0].changes == {
        "area_status": ["approximate", "imported"],
        "area_source": [APPROXIMATE_AREA_SOURCE, source],
    }
    assert audit_verify().ok


def test_import_matches_renamed_and_short_names(geography, tmp_path):
    path = _write(
        tmp_path,
        [
            _feature({"name": "中山港街道"}),
            _feature({"name_zh": "东区街道办事处"}),
            _feature({"short_name_zh": "五桂山", "code_9": "442000006"}),
        ],
    )
    report = town_areas_import(path)
    assert report.saved["matched"] == {"442000003": 0, "442000002": 1, "442000006": 2}


def test_imported_areas_survive_a_later_load(geography, tmp_path):
    path = _write(tmp_path, [_feature({"code": XIAOLAN}, _square(113.22, 22.70))])
    assert town_areas_import(path).ok
    report = geography_load_reference()
    assert report["imported_areas_kept"] == 1
    xiaolan = Town.objects.get(code=XIAOLAN)
    assert xiaolan.area_status == "imported"
    assert xiaolan.area_geometry == _square(113.22, 22.70)
    assert xiaolan.area_source.startswith("towns.geojson (")
    assert Town.objects.get(code=GUZHEN).area_status == "approximate"


def test_import_can_convert_gcj02_coordinates(geography, tmp_path):
    lon, lat = wgs84_to_gcj02(113.22, 22.70)
    path = _write(tmp_path, [_feature({"code": XIAOLAN}, _square(lon, lat))])
    assert town_areas_import(path, datum="GCJ-02").ok
    ring = Town.objects.get(code=XIAOLAN).area_geometry["coordinates"][0]
    assert ring[0] == pytest.approx([113.21, 22.69], abs=1e-4)


def _assert_rejected(path: Path, expected: list[str]) -> None:
    before = _snapshot()
    with translation.override("en"):
        report = town_areas_import(path)
        lines = report.lines()
    assert not report.ok
    assert report.saved == {}
    assert [str(issue) for issue in report.errors] == expected
    assert lines[0].endswith(f"{len(expected)} error(s); nothing was imported.")
    assert _snapshot() == before
    assert not AuditEntry.objects.exists()


def test_import_rejects_malformed_json(geography, tmp_path):
    path = tmp_path / "broken.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    _assert_rejected(path, ["not valid JSON (line 1, column 44): Expecting value"])


def test_import_rejects_a_file_that_is_not_a_feature_collection(geography, tmp_path):
    path = tmp_path / "point.geojson"
    path.write_text('{"type": "Point", "coordinates": [113, 22]}', encoding="utf-8")
    _assert_rejected(path, ["the file is not a GeoJSON FeatureCollection"])


def test_import_rejects_an_unknown_town(geography, tmp_path):
    path = _write(
        tmp_path,
        [_feature({"code": XIAOLAN}), _feature({"code": "442000118"})],
    )
    _assert_rejected(path, ["features[1]: unknown town: code = 442000118"])


def test_import_rejects_an_invalid_polygon(geography, tmp_path):
    bowtie = {
        "type": "Polygon",
        "coordinates": [
            [[113.2, 22.7], [113.3, 22.8], [113.3, 22.7], [113.2, 22.8], [113.2, 22.7]]
        ],
    }
    path = _write(
        tmp_path, [_feature({"code": GUZHEN}), _feature({"code": XIAOLAN}, bowtie)]
    )
    _assert_rejected(
        path, ["features[1]: the polygon is not valid: Self-intersection[113.25 22.75]"]
    )


def test_import_rejects_a_town_given_twice(geography, tmp_path):
    path = _write(
        tmp_path,
        [_feature({"code": XIAOLAN}), _feature({"name": "小榄镇"})],
    )
    _assert_rejected(
        path, ["features[1]: town 442000100 already has an area, from features[0]"]
    )


def test_import_lists_every_error_of_the_file(geography, tmp_path):
    point = {"type": "Point", "coordinates": [113.2, 22.7]}
    path = _write(
        tmp_path,
        [
            _feature({"code": XIAOLAN}),
            _feature({"name": "东升镇"}, point),
            _feature({"label": "somewhere"}),
            _feature({"code": GUZHEN, "name": "小榄镇"}),
            {"type": "Polygon"},
            _feature({"code": SHIQI}, _square(11_340_000, 2_250_000, 1000)),
        ],
    )
    _assert_rejected(
        path,
        [
            "features[1]: geometry type Point is not allowed (Polygon or MultiPolygon)",
            "features[2]: no property names the town (expected one of: code, code_9, "
            "code_12, adcode, name_zh, short_name_zh, name)",
            "features[3]: properties name different towns: code → 442000105, "
            "name → 442000100",
            "features[4]: not a GeoJSON Feature",
            "features[5]: coordinates are not longitude/latitude degrees",
        ],
    )


def test_import_rejects_a_projected_crs(geography, tmp_path):
    path = tmp_path / "projected.geojson"
    document = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "EPSG:3857"}},
        "features": [_feature({"code": XIAOLAN})],
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    _assert_rejected(
        path, ["coordinate reference system EPSG:3857 is not WGS-84 longitude/latitude"]
    )


def test_import_errors_read_in_chinese_for_a_chinese_user(geography, tmp_path):
    path = _write(tmp_path, [_feature({"code": "442000999"})])
    with translation.override("zh-hans"):
        report = town_areas_import(path)
        lines = report.lines()
    assert lines == [
        "towns.geojson：1 处错误；未导入任何数据。",
        "features[0]: 未知的镇区：code = 442000999",
    ]


def test_town_selectors(geography, django_assert_num_queries):
    assert [town.code for town in town_list()][:2] == ["442000001", "442000002"]
    assert town_list().count() == 24
    assert town_get("442000100").short_name_zh == "小榄镇"
    assert town_get("442000100000").code == "442000100"
    with pytest.raises(Town.DoesNotExist):
        town_get("442000118")


def test_village_list_fetches_towns_in_one_query(geography, django_assert_num_queries):
    with django_assert_num_queries(1):
        names = [(v.code, v.town.short_name_zh) for v in village_list(XIAOLAN)]
    assert len(names) == 15
    assert names[0] == ("442000100001", "小榄镇")
    assert village_list().count() == 306
