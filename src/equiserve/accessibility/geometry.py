"""Turn longitude/latitude into metres: a local flat projection and great circles."""

import math
from dataclasses import dataclass

import numpy as np

EARTH_RADIUS_M = 6_371_008.8  # mean radius (IUGG)
M_PER_DEG = math.pi / 180.0 * EARTH_RADIUS_M


@dataclass(frozen=True)
class LocalProjection:
    """Project degrees to metres on a plane tangent at latitude `lat0`.

    Equirectangular: x = R·λ·cos φ0, y = R·φ. Over a city 60 km across at
    22.5° N the scale error stays under 0.1 % (|cos φ / cos φ0 − 1| at
    ±0.3°), far below the uncertainty of a walking speed.
    """

    lat0: float = 22.5

    def xy(self, lon, lat) -> np.ndarray:
        """Return an (n, 2) array of metres for arrays of longitudes and latitudes."""
        lon = np.asarray(lon, dtype=np.float64)
        lat = np.asarray(lat, dtype=np.float64)
        kx = M_PER_DEG * math.cos(math.radians(self.lat0))
        return np.column_stack([lon * kx, lat * M_PER_DEG])


def haversine_m(lon1, lat1, lon2, lat2) -> np.ndarray:
    """Return great-circle distances in metres between paired points."""
    lon1, lat1, lon2, lat2 = (
        np.radians(np.asarray(v, dtype=np.float64)) for v in (lon1, lat1, lon2, lat2)
    )
    a = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
