import polars as pl

from equiserve.geography.build_reference import towns_csv_text
from equiserve.geography.coordinates import gcj02_to_wgs84
from equiserve.geography.reference import TOWNS_CSV, towns_frame


def test_the_towns_frame_holds_the_24_units_of_the_2015_code_table():
    towns = towns_frame()
    assert towns.height == 24
    assert towns["code_9"].n_unique() == 24
    assert towns["code_9"].to_list() == sorted(towns["code_9"].to_list())
    assert towns["code_9"][0] == "442000001" and towns["code_9"][-1] == "442000117"
    assert (towns["code_12"] == towns["code_9"] + "000").all()
    assert towns["kind"].value_counts().sort("kind").rows() == [
        ("subdistrict", 6),
        ("town", 18),
    ]
    # SOURCES.md: the 24 census figures add up exactly to 2,363,322.
    assert towns["pop_2000_census"].sum() == 2_363_322


def test_the_towns_frame_has_typed_columns():
    schema = towns_frame().schema
    assert schema["code_9"] == pl.String and schema["code_12"] == pl.String
    assert schema["pop_2000_census"] == pl.Int64
    for column in ("lon_gcj02", "lat_gcj02", "lon_wgs84", "lat_wgs84"):
        assert schema[f"center_{column}"] == pl.Float64


def test_the_towns_frame_is_cached():
    assert towns_frame() is towns_frame()


def test_the_wgs84_centres_in_the_file_are_up_to_date():
    current = TOWNS_CSV.read_text(encoding="utf-8")
    assert towns_csv_text(current) == current


def test_the_wgs84_centres_are_the_converted_gcj02_centres():
    shiqi = towns_frame().row(0, named=True)
    lon, lat = gcj02_to_wgs84(113.405, 22.5247)
    assert (shiqi["center_lon_gcj02"], shiqi["center_lat_gcj02"]) == (113.405, 22.5247)
    assert shiqi["center_lon_wgs84"] == round(lon, 6) == 113.399516
    assert shiqi["center_lat_wgs84"] == round(lat, 6) == 22.527387
