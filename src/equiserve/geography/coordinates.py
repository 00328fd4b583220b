"""Convert between WGS-84 and GCJ-02, the offset datum of Chinese web maps.

GCJ-02 ("Mars coordinates") is WGS-84 shifted by a deliberately obscure,
position-dependent offset. AMap, DataV and Tencent maps publish GCJ-02, so the
town centres in `reference/towns.csv` are GCJ-02 and need converting before
they meet anything in WGS-84 (GPS, OpenStreetMap, imported boundaries).

Method. The forward transform `wgs84_to_gcj02` is the community-published
reconstruction of the offset (Krasovsky 1940 ellipsoid, a = 6378245 m,
e² = 0.00669342162296594323, two trigonometric series in the shifted
coordinates x = lon − 105, y = lat − 35), as circulated in
github.com/googollee/eviltransform and github.com/wandergis/coordtransform. No
closed-form inverse exists, so `gcj02_to_wgs84` solves forward(w) = g by
fixed-point iteration: start at w = g and repeat w ← w − (forward(w) − g). The
offset varies slowly with position (its derivatives are of order 1e-4), so each
step shrinks the error about ten-thousandfold; it stops when the residual is
below 1e-10 degrees (about 0.01 mm), after 3 iterations in Zhongshan, at most 30.

Accuracy. The inverse reproduces the forward formula to 1e-10 degrees, and the
forward formula reproduces eviltransform's published test vectors exactly (see
the tests). How close the reconstruction is to the official, unpublished
algorithm cannot be checked here; it is the formula open-source converters
share. Either way the error is far below the precision of the source centres
(given to 3 or 4 decimals: 10 to 100 m).

Outside the rough bounding box of China (72.004–137.8347 E, 0.8293–55.8271 N)
GCJ-02 equals WGS-84 and both functions return the input unchanged.
"""

import math

import numpy as np

_A = 6378245.0  # Krasovsky 1940 semi-major axis, metres
_EE = 0.00669342162296594323  # Krasovsky 1940 first eccentricity squared
_TOLERANCE_DEG = 1e-10
_MAX_ITERATIONS = 30

CHINA_LON = (72.004, 137.8347)
CHINA_LAT = (0.8293, 55.8271)


def out_of_china(lon: float, lat: float) -> bool:
    """Return True where GCJ-02 applies no offset (outside China's bounding box)."""
    return not (
        CHINA_LON[0] <= lon <= CHINA_LON[1] and CHINA_LAT[0] <= lat <= CHINA_LAT[1]
    )


def _offset(lon, lat, sin, cos, sqrt, absolute):
    """Return the GCJ-02 offset (dlon, dlat) in degrees at WGS-84 (lon, lat).

    Written once over injected maths functions so the scalar and the numpy
    variants cannot drift apart.
    """
    pi = math.pi
    x = lon - 105.0
    y = lat - 35.0
    common = (20.0 * sin(6.0 * x * pi) + 20.0 * sin(2.0 * x * pi)) * 2.0 / 3.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y
    dlat = dlat + 0.2 * sqrt(absolute(x)) + common
    dlat = dlat + (20.0 * sin(y * pi) + 40.0 * sin(y / 3.0 * pi)) * 2.0 / 3.0
    dlat = dlat + (160.0 * sin(y / 12.0 * pi) + 320.0 * sin(y * pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y
    dlon = dlon + 0.1 * sqrt(absolute(x)) + common
    dlon = dlon + (20.0 * sin(x * pi) + 40.0 * sin(x / 3.0 * pi)) * 2.0 / 3.0
    dlon = dlon + (150.0 * sin(x / 12.0 * pi) + 300.0 * sin(x / 30.0 * pi)) * 2.0 / 3.0
    radlat = lat / 180.0 * pi
    magic = 1.0 - _EE * sin(radlat) ** 2
    sqrtmagic = sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrtmagic) * pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * cos(radlat) * pi)
    return dlon, dlat


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """Return the GCJ-02 (lon, lat) of a WGS-84 point."""
    if out_of_china(lon, lat):
        return lon, lat
    dlon, dlat = _offset(lon, lat, math.sin, math.cos, math.sqrt, abs)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """Return the WGS-84 (lon, lat) of a GCJ-02 point, by iterating the forward map.

    The result w satisfies |wgs84_to_gcj02(w) − (lon, lat)| < 1e-10 degrees in
    each coordinate; see the module docstring for the method and its accuracy.
    """
    if out_of_china(lon, lat):
        return lon, lat
    w_lon, w_lat = lon, lat
    for _ in range(_MAX_ITERATIONS):
        g_lon, g_lat = wgs84_to_gcj02(w_lon, w_lat)
        e_lon, e_lat = g_lon - lon, g_lat - lat
        if abs(e_lon) < _TOLERANCE_DEG and abs(e_lat) < _TOLERANCE_DEG:
            break
        w_lon, w_lat = w_lon - e_lon, w_lat - e_lat
    return w_lon, w_lat


def _inside_china(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    return (
        (lon >= CHINA_LON[0])
        & (lon <= CHINA_LON[1])
        & (lat >= CHINA_LAT[0])
        & (lat <= CHINA_LAT[1])
    )


def wgs84_to_gcj02_array(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """Return GCJ-02 longitudes and latitudes of arrays of WGS-84 points."""
    lon = np.asarray(lon, dtype=np.float64)
    lat = np.asarray(lat, dtype=np.float64)
    dlon, dlat = _offset(lon, lat, np.sin, np.cos, np.sqrt, np.abs)
    inside = _inside_china(lon, lat)
    return np.where(inside, lon + dlon, lon), np.where(inside, lat + dlat, lat)


def gcj02_to_wgs84_array(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """Return WGS-84 longitudes and latitudes of arrays of GCJ-02 points.

    Same iteration and tolerance as `gcj02_to_wgs84`, run on whole arrays until
    every point has converged.
    """
    lon = np.asarray(lon, dtype=np.float64)
    lat = np.asarray(lat, dtype=np.float64)
    w_lon, w_lat = lon.copy(), lat.copy()
    for _ in range(_MAX_ITERATIONS):
        g_lon, g_lat = wgs84_to_gcj02_array(w_lon, w_lat)
        e_lon, e_lat = g_lon - lon, g_lat - lat
        if np.all(np.abs(e_lon) < _TOLERANCE_DEG) and np.all(
            np.abs(e_lat) < _TOLERANCE_DEG
        ):
            break
        w_lon, w_lat = w_lon - e_lon, w_lat - e_lat
    return w_lon, w_lat


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Return the great-circle distance in metres between two points (haversine)."""
    radius = 6371008.8  # mean Earth radius, metres
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * radius * math.asin(math.sqrt(h))
