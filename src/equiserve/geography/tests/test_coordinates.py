import numpy as np
import pytest

from equiserve.geography.coordinates import (
    distance_m,
    gcj02_to_wgs84,
    gcj02_to_wgs84_array,
    wgs84_to_gcj02,
    wgs84_to_gcj02_array,
)
from equiserve.geography.reference import towns_frame

# (WGS-84 lon, lat, GCJ-02 lon, lat): the test vectors published with
# github.com/googollee/eviltransform (python/test.py): Shanghai, Shenzhen, Beijing.
PUBLISHED = [
    (121.5272106, 31.1774276, 121.531541859215, 31.17530398364597),
    (113.912316, 22.543847, 113.9171764808363, 22.540796131694766),
    (116.377817, 39.911954, 116.38404722455657, 39.91334545536069),
]

ZHONGSHAN_GRID = [
    (lon, lat)
    for lon in np.linspace(113.15, 113.70, 12)
    for lat in np.linspace(22.19, 22.78, 12)
]
CHINA_POINTS = [(87.6, 43.8), (126.6, 45.8), (91.1, 29.6), (110.3, 20.0)]


@pytest.mark.parametrize(("wgs_lon", "wgs_lat", "gcj_lon", "gcj_lat"), PUBLISHED)
def test_forward_reproduces_the_published_vectors(wgs_lon, wgs_lat, gcj_lon, gcj_lat):
    lon, lat = wgs84_to_gcj02(wgs_lon, wgs_lat)
    assert lon == pytest.approx(gcj_lon, abs=1e-9)
    assert lat == pytest.approx(gcj_lat, abs=1e-9)


@pytest.mark.parametrize(("wgs_lon", "wgs_lat", "gcj_lon", "gcj_lat"), PUBLISHED)
def test_inverse_recovers_the_published_wgs84_points(
    wgs_lon, wgs_lat, gcj_lon, gcj_lat
):
    lon, lat = gcj02_to_wgs84(gcj_lon, gcj_lat)
    assert abs(lon - wgs_lon) < 1e-6
    assert abs(lat - wgs_lat) < 1e-6


def test_forward_then_inverse_returns_the_point_within_1e_9_degrees():
    for lon, lat in ZHONGSHAN_GRID + CHINA_POINTS:
        back_lon, back_lat = gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat))
        assert abs(back_lon - lon) < 1e-9 and abs(back_lat - lat) < 1e-9, (lon, lat)


def test_inverse_then_forward_returns_the_point_within_1e_9_degrees():
    for lon, lat in ZHONGSHAN_GRID + CHINA_POINTS:
        again_lon, again_lat = wgs84_to_gcj02(*gcj02_to_wgs84(lon, lat))
        assert abs(again_lon - lon) < 1e-9 and abs(again_lat - lat) < 1e-9


def test_array_variants_agree_with_the_scalar_functions():
    lon, lat = np.array(ZHONGSHAN_GRID + CHINA_POINTS).T
    gcj_lon, gcj_lat = wgs84_to_gcj02_array(lon, lat)
    wgs_lon, wgs_lat = gcj02_to_wgs84_array(lon, lat)
    for i, point in enumerate(zip(lon, lat, strict=True)):
        assert (gcj_lon[i], gcj_lat[i]) == pytest.approx(
            wgs84_to_gcj02(*point), abs=1e-12
        )
        assert (wgs_lon[i], wgs_lat[i]) == pytest.approx(
            gcj02_to_wgs84(*point), abs=1e-9
        )


def test_the_offset_in_zhongshan_is_between_600_and_650_metres():
    for town in towns_frame().iter_rows(named=True):
        lon, lat = gcj02_to_wgs84(town["center_lon_gcj02"], town["center_lat_gcj02"])
        offset = distance_m(
            lon, lat, town["center_lon_gcj02"], town["center_lat_gcj02"]
        )
        assert 600 < offset < 650, town["short_name_zh"]
        # GCJ-02 lies east and south of WGS-84 here.
        assert town["center_lon_gcj02"] > lon and town["center_lat_gcj02"] < lat


def test_points_outside_china_are_not_shifted():
    assert wgs84_to_gcj02(-0.1276, 51.5072) == (-0.1276, 51.5072)
    assert gcj02_to_wgs84(139.69, 35.69) == (139.69, 35.69)
    lon, lat = gcj02_to_wgs84_array([139.69, 113.4], [35.69, 22.5])
    assert (lon[0], lat[0]) == (139.69, 35.69)
    assert lon[1] != 113.4


def test_distance_of_one_degree_of_latitude_is_about_111_km():
    assert distance_m(113.0, 22.0, 113.0, 23.0) == pytest.approx(111_195, abs=1)
