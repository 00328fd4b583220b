import math

import polars as pl
import pytest
import shapely

from equiserve.geography import synthetic
from equiserve.geography.reference import towns_frame
from equiserve.geography.synthetic import (
    natural_villages_frame,
    town_areas,
    unit_counts,
    villages_frame,
)

KM2_PER_DEG2 = synthetic._KM_PER_DEG_LON * synthetic._KM_PER_DEG_LAT


def _regenerate():
    """Return freshly generated frames, bypassing the caches."""
    for function in (synthetic._areas, villages_frame, natural_villages_frame):
        function.cache_clear()
    return villages_frame(), natural_villages_frame(), town_areas()


def test_the_geography_is_the_same_when_generated_again():
    villages, hamlets, areas = villages_frame(), natural_villages_frame(), town_areas()
    again_villages, again_hamlets, again_areas = _regenerate()
    assert villages.equals(again_villages)
    assert hamlets.equals(again_hamlets)
    assert all(areas[code].equals_exact(again_areas[code], 0) for code in areas)


def test_villages_have_the_documented_columns():
    assert villages_frame().schema == pl.Schema(
        {
            "code": pl.String,
            "town": pl.String,
            "name_zh": pl.String,
            "name_en": pl.String,
            "kind": pl.String,
            "is_urban": pl.Boolean,
            "lon": pl.Float64,
            "lat": pl.Float64,
            "population_weight": pl.Float64,
            "synthetic": pl.Boolean,
        }
    )
    assert natural_villages_frame().schema == pl.Schema(
        {
            "code": pl.String,
            "village": pl.String,
            "town": pl.String,
            "name_zh": pl.String,
            "name_en": pl.String,
            "lon": pl.Float64,
            "lat": pl.Float64,
            "synthetic": pl.Boolean,
        }
    )


def test_village_codes_are_unique_and_extend_their_town_code():
    villages = villages_frame()
    assert villages["code"].n_unique() == villages.height
    assert villages["code"].str.contains(r"^\d{12}$").all()
    assert (villages["code"].str.slice(0, 9) == villages["town"]).all()
    assert set(villages["town"]) == set(towns_frame()["code_9"])
    serial = villages["code"].str.slice(9, 3).cast(pl.Int64)
    # NBS rule: communities 001-199, villages 200-399.
    is_community = villages["kind"] == "community"
    assert serial.filter(is_community).is_between(1, 199).all()
    assert serial.filter(~is_community).is_between(200, 399).all()
    assert (villages["is_urban"] == is_community).all()
    assert villages["synthetic"].all()


def test_unit_counts_follow_the_sources_and_the_documented_rule():
    counts = {row["town"]: row for row in unit_counts().iter_rows(named=True)}
    assert (counts["442000100"]["communities"], counts["442000100"]["villages"]) == (
        15,
        0,
    )
    assert (counts["442000001"]["communities"], counts["442000001"]["villages"]) == (
        19,
        0,
    )
    assert (counts["442000004"]["communities"], counts["442000004"]["villages"]) == (
        9,
        0,
    )
    # 三乡镇: round(173,492 / 7,000) = 25, 20 % communities = 5.
    assert (counts["442000114"]["communities"], counts["442000114"]["villages"]) == (
        5,
        20,
    )
    # 五桂山: round(17,713 / 7,000) = 3, raised to the minimum 6; 70 % = 4.2 → 4.
    assert (counts["442000006"]["communities"], counts["442000006"]["villages"]) == (
        4,
        2,
    )
    assert counts["442000114"]["basis"].startswith("illustrative")
    generated = villages_frame().group_by("town", "kind").len()
    for town, kind, n in generated.iter_rows():
        assert n == counts[town]["communities" if kind == "community" else "villages"]
    assert villages_frame().height == 306


def test_subdistricts_are_mostly_communities_and_towns_mostly_villages():
    villages = villages_frame().join(
        towns_frame().select(pl.col("code_9").alias("town"), "kind"),
        on="town",
        suffix="_town",
    )
    shares = villages.group_by("kind_town").agg(
        (pl.col("kind") == "community").mean().alias("community_share")
    )
    share = dict(shares.iter_rows())
    assert share["subdistrict"] > 0.7
    assert share["town"] < 0.3


def test_population_weights_are_positive_and_sum_to_one_in_each_town():
    villages = villages_frame()
    assert (villages["population_weight"] > 0).all()
    sums = villages.group_by("town").agg(pl.col("population_weight").sum())
    assert sums.height == 24
    for town, total in sums.iter_rows():
        assert total == pytest.approx(1.0, abs=1e-12), town


def test_names_look_like_village_and_community_names():
    villages = villages_frame()
    for row in villages.iter_rows(named=True):
        suffix_zh, suffix_en = (
            ("社区", " Community") if row["kind"] == "community" else ("村", " Village")
        )
        assert row["name_zh"].endswith(suffix_zh) and len(row["name_zh"]) in (3, 4)
        assert row["name_en"].endswith(suffix_en)
    assert villages["name_zh"].n_unique() == villages.height


def test_natural_villages_sit_under_administrative_villages_only():
    villages = villages_frame()
    hamlets = natural_villages_frame()
    assert hamlets["code"].n_unique() == hamlets.height
    assert hamlets["code"].str.contains(r"^\d{15}$").all()
    assert (hamlets["code"].str.slice(0, 12) == hamlets["village"]).all()
    assert (hamlets["village"].str.slice(0, 9) == hamlets["town"]).all()
    kinds = dict(villages.select("code", "kind").iter_rows())
    assert {kinds[code] for code in hamlets["village"]} == {"village"}
    per_village = hamlets.group_by("village").len()["len"]
    assert per_village.min() >= 2 and per_village.max() <= 8
    assert per_village.len() == (villages["kind"] == "village").sum()
    assert hamlets["synthetic"].all()


def test_town_areas_are_24_valid_disjoint_polygons_around_their_centres():
    areas = town_areas()
    assert set(areas) == set(towns_frame()["code_9"])
    for town in towns_frame().iter_rows(named=True):
        area = areas[town["code_9"]]
        assert area.geom_type == "Polygon" and area.is_valid
        assert shapely.contains_xy(
            area, town["center_lon_wgs84"], town["center_lat_wgs84"]
        )
    union = shapely.union_all(list(areas.values()))
    total = sum(area.area for area in areas.values())
    assert union.area == pytest.approx(total, rel=1e-9)  # no overlaps
    assert union.geom_type == "Polygon"  # no gaps between cells
    # Hull of the centres buffered by 5 km: about 1,729 km² (the city: ~1,800).
    assert total * KM2_PER_DEG2 == pytest.approx(1729, abs=2)


def test_the_area_reaches_5_km_beyond_the_outermost_centres():
    union = shapely.union_all(list(town_areas().values()))
    guzhen = towns_frame().filter(pl.col("code_9") == "442000105").row(0, named=True)
    # 古镇 is the westernmost centre: 5 km further west is the edge.
    edge_lon = union.bounds[0]
    km = (guzhen["center_lon_wgs84"] - edge_lon) * synthetic._KM_PER_DEG_LON
    assert km == pytest.approx(5.0, abs=0.01)


def test_every_village_and_natural_village_lies_inside_its_town_area():
    areas = town_areas()
    for frame in (villages_frame(), natural_villages_frame()):
        for (town,), group in frame.group_by(["town"]):
            inside = shapely.contains_xy(
                areas[town], group["lon"].to_numpy(), group["lat"].to_numpy()
            )
            assert inside.all(), town


def test_communities_lie_closer_to_the_town_centre_than_villages():
    villages = villages_frame().join(
        towns_frame().select(
            pl.col("code_9").alias("town"), "center_lon_wgs84", "center_lat_wgs84"
        ),
        on="town",
    )
    distance = villages.with_columns(
        (
            ((pl.col("lon") - pl.col("center_lon_wgs84")) * math.cos(0.39)) ** 2
            + (pl.col("lat") - pl.col("center_lat_wgs84")) ** 2
        )
        .sqrt()
        .alias("d")
    )
    mean = dict(distance.group_by("kind").agg(pl.col("d").mean()).iter_rows())
    assert mean["community"] < mean["village"] / 2
