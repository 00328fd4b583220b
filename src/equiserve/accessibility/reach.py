"""Decide how far people are from facilities: on the network, or as the crow flies."""

from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from equiserve.accessibility.geometry import LocalProjection
from equiserve.accessibility.network import RoadNetwork

NETWORK = "network"
STRAIGHT_LINE = "straight_line"


def catchment_metres(minutes: float, speed_m_per_min: float) -> float:
    """Return the travel distance covered in `minutes` at a speed in metres/minute."""
    if minutes < 0 or speed_m_per_min <= 0:
        raise ValueError("minutes must be ≥ 0 and the speed > 0")
    return float(minutes) * float(speed_m_per_min)


@dataclass(frozen=True)
class Reach:
    """Travel metres from each origin to its nearest facility, and how they were had.

    `distance_m` is inf where no facility lies within `cutoff_m`. With the
    straight-line method a distance is the crow-flies metres × `detour_factor`.
    """

    distance_m: np.ndarray
    cutoff_m: float
    method: str
    detour_factor: float | None

    @property
    def within(self) -> np.ndarray:
        return self.distance_m <= self.cutoff_m


def _check(cutoff_m: float, detour_factor: float) -> None:
    if cutoff_m < 0:
        raise ValueError("the cutoff must be ≥ 0 metres")
    if detour_factor < 1:
        raise ValueError("the detour factor must be ≥ 1 (a road is never shorter)")


def travel_distance(
    lon,
    lat,
    facility_lon,
    facility_lat,
    *,
    cutoff_m: float,
    network: RoadNetwork | None = None,
    detour_factor: float = 1.0,
    projection: LocalProjection | None = None,
) -> Reach:
    """Return each origin's travel distance to its nearest facility, up to a cutoff.

    On `network` when one is given (one multi-source Dijkstra); otherwise the
    straight-line distance in a local projection times `detour_factor`.
    """
    _check(cutoff_m, detour_factor)
    if network is not None:
        distance = network.nearest_distance(
            facility_lon, facility_lat, lon, lat, cutoff_m=cutoff_m
        )
        return Reach(distance, float(cutoff_m), NETWORK, None)
    projection = projection or LocalProjection()
    origins = projection.xy(lon, lat)
    if len(np.atleast_1d(facility_lon)) == 0:
        return Reach(
            np.full(len(origins), np.inf), float(cutoff_m), STRAIGHT_LINE, detour_factor
        )
    tree = cKDTree(projection.xy(facility_lon, facility_lat))
    # The bound prunes the search: beyond it the answer is inf either way.
    bound = cutoff_m / detour_factor * (1 + 1e-12) if cutoff_m else 0.0
    crow, _ = tree.query(origins, distance_upper_bound=bound, workers=-1)
    distance = crow * detour_factor
    distance[distance > cutoff_m] = np.inf
    return Reach(distance, float(cutoff_m), STRAIGHT_LINE, float(detour_factor))


def catchment_pairs(
    lon,
    lat,
    facility_lon,
    facility_lat,
    *,
    cutoff_m: float,
    network: RoadNetwork | None = None,
    detour_factor: float = 1.0,
    projection: LocalProjection | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (origin index, facility index, travel metres) for pairs within the cutoff."""
    _check(cutoff_m, detour_factor)
    if network is not None:
        return network.pairs_within(
            lon, lat, facility_lon, facility_lat, cutoff_m=cutoff_m
        )
    projection = projection or LocalProjection()
    origins = cKDTree(projection.xy(lon, lat))
    facilities = cKDTree(projection.xy(facility_lon, facility_lat))
    matrix = origins.sparse_distance_matrix(
        facilities, cutoff_m / detour_factor, output_type="ndarray"
    )
    cost = matrix["v"] * detour_factor
    keep = cost <= cutoff_m
    return (
        matrix["i"][keep].astype(np.int64),
        matrix["j"][keep].astype(np.int64),
        cost[keep],
    )
