"""Measure how far people are from services: distances, coverage, 2SFCA.

Plain Python (numpy, scipy, Polars, networkx); no Django import. Positions are
WGS-84 longitude/latitude degrees; distances are metres.

Public API:

- `LocalProjection(lat0)`, `haversine_m(lon1, lat1, lon2, lat2)`: flat metres
  for a city-sized area, and great-circle distance to check them.
- `RoadNetwork`: a walkable network (nodes, undirected edges with lengths),
  read with `network_from_graphml(path)` or `network_from_geojson(document)`;
  `RoadNetwork.nearest_distance(...)` runs one multi-source Dijkstra with a
  cutoff from all facilities at once; `RoadNetwork.pairs_within(...)` lists
  origin-facility pairs within a cutoff (for 2SFCA).
- `travel_distance(...)`: distance from each origin to its nearest facility,
  on the network when one is given, otherwise straight line × a detour
  factor; the `Reach` it returns states which.
- `catchment_pairs(...)`: origin-facility pairs within a travel distance, by
  the same two methods.
- `two_step_fca(...)`: the two-step floating catchment area score (Luo and
  Wang 2003) from origin-facility pairs.
- `coverage_table(frame, by, ...)`, `age_band(...)`: shares of people covered
  by group, ready for a page or a spreadsheet.
"""

from equiserve.accessibility.coverage import (
    AGE_BAND_EDGES,
    age_band,
    coverage_table,
)
from equiserve.accessibility.fca import two_step_fca
from equiserve.accessibility.geometry import LocalProjection, haversine_m
from equiserve.accessibility.network import (
    NetworkError,
    RoadNetwork,
    network_from_geojson,
    network_from_graphml,
)
from equiserve.accessibility.reach import (
    Reach,
    catchment_metres,
    catchment_pairs,
    travel_distance,
)

__all__ = [
    "AGE_BAND_EDGES",
    "LocalProjection",
    "NetworkError",
    "Reach",
    "RoadNetwork",
    "age_band",
    "catchment_metres",
    "catchment_pairs",
    "coverage_table",
    "haversine_m",
    "network_from_geojson",
    "network_from_graphml",
    "travel_distance",
    "two_step_fca",
]
