import csv
import json

import pytest
from typer.testing import CliRunner

from equiserve.cli import app
from equiserve.geography.models import Town
from equiserve.geography.reference import TOWNS_CSV

runner = CliRunner()


def _csv_rows() -> list[dict]:
    with TOWNS_CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_towns_json_lists_exactly_the_24_codes_of_the_data_file():
    # No django_db mark: the command must not touch the database.
    result = runner.invoke(app, ["towns", "--json"])
    assert result.exit_code == 0, result.output
    towns = json.loads(result.stdout)
    rows = _csv_rows()
    assert len(towns) == len(rows) == 24
    assert [town["code"] for town in towns] == [row["code_9"] for row in rows]
    for town, row in zip(towns, rows, strict=True):
        assert town["code_12"] == row["code_12"]
        assert town["name_zh"] == row["name_zh"]
        assert town["short_name_zh"] == row["short_name_zh"]
        assert town["pinyin"] == row["pinyin"]
        assert town["name_en"] == row["name_en"]
        assert town["kind"] == row["kind"]
        assert town["center"] == {
            "lon": float(row["center_lon_wgs84"]),
            "lat": float(row["center_lat_wgs84"]),
            "datum": "WGS-84",
        }
        assert town["center_gcj02"]["datum"] == "GCJ-02"


def test_towns_json_keeps_chinese_characters_readable():
    result = runner.invoke(app, ["towns", "--json"])
    assert '"short_name_zh": "石岐区"' in result.stdout


def test_towns_prints_a_table_with_one_line_per_town():
    result = runner.invoke(app, ["towns"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 2 + 24
    assert lines[0].split()[:3] == ["code", "名称", "kind"]
    assert lines[2].split()[:3] == ["442000001", "石岐区", "subdistrict"]
    assert lines[-1].startswith("442000117  神湾镇")
    assert "113.37055, 22.27948" in lines[-1]


@pytest.mark.django_db
def test_geo_import_prints_the_report_and_changes_the_areas(geography, tmp_path):
    path = tmp_path / "areas.geojson"
    square = [[113.2, 22.7], [113.25, 22.7], [113.25, 22.75], [113.2, 22.7]]
    feature = {
        "type": "Feature",
        "properties": {"code": "442000100"},
        "geometry": {"type": "Polygon", "coordinates": [square]},
    }
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": [feature]}),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["geo", "import", str(path), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "areas.geojson: imported the areas of 1 town(s).",
        "features[0]: 442000100 小榄镇",
    ]
    assert Town.objects.get(code="442000100").area_status == "imported"


@pytest.mark.django_db
def test_geo_import_exits_1_and_reports_in_chinese_on_errors(geography, tmp_path):
    path = tmp_path / "broken.geojson"
    path.write_text("{", encoding="utf-8")
    result = runner.invoke(app, ["geo", "import", str(path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "broken.geojson：1 处错误；未导入任何数据。",
        "不是有效的 JSON（第 1 行，第 2 列）：Expecting property name enclosed in "
        "double quotes",
    ]
    assert not Town.objects.filter(area_status="imported").exists()
