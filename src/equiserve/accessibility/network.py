"""Walkable road networks: read them, snap points to them, search them.

A network is undirected: people on foot use one-way streets both ways. Edge
lengths are metres, taken from the file when it gives them (GraphML `length`)
and otherwise computed along the great circle between the two nodes.
"""

import math
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from equiserve.accessibility.geometry import LocalProjection, haversine_m

# Vertices closer than this (degrees, about 1 cm) are one node in a GeoJSON import.
VERTEX_DECIMALS = 7


class NetworkError(ValueError):
    """A network file that cannot be used; `problems` lists every issue found."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True, eq=False)
class RoadNetwork:
    """Nodes (WGS-84 degrees) and undirected edges with lengths in metres."""

    lon: np.ndarray
    lat: np.ndarray
    tail: np.ndarray
    head: np.ndarray
    length_m: np.ndarray
    projection: LocalProjection = field(default_factory=LocalProjection)

    def __post_init__(self):
        tail, head, length = _dedupe(self.tail, self.head, self.length_m)
        object.__setattr__(self, "tail", tail)
        object.__setattr__(self, "head", head)
        object.__setattr__(self, "length_m", length)

    @property
    def node_count(self) -> int:
        return len(self.lon)

    @property
    def edge_count(self) -> int:
        return len(self.tail)

    @cached_property
    def _xy(self) -> np.ndarray:
        return self.projection.xy(self.lon, self.lat)

    @cached_property
    def _tree(self) -> cKDTree:
        return cKDTree(self._xy)

    def snap(self, lon, lat) -> tuple[np.ndarray, np.ndarray]:
        """Return each point's nearest node and the straight-line metres to it."""
        offset, node = self._tree.query(self.projection.xy(lon, lat), workers=-1)
        return node.astype(np.int64), offset

    def _graph(self, extra_tail=(), extra_head=(), extra_length=(), extra_nodes=0):
        n = self.node_count + extra_nodes
        rows = np.concatenate([self.tail, self.head, np.asarray(extra_tail, np.int64)])
        cols = np.concatenate([self.head, self.tail, np.asarray(extra_head, np.int64)])
        data = np.concatenate(
            [self.length_m, self.length_m, np.asarray(extra_length, np.float64)]
        )
        return sp.csr_array((data, (rows, cols)), shape=(n, n))

    def nearest_distance(
        self, facility_lon, facility_lat, lon, lat, *, cutoff_m: float
    ) -> np.ndarray:
        """Return metres from each point to its nearest facility; inf beyond the cutoff.

        One Dijkstra from a virtual source joined to every facility's nearest
        node by an edge as long as the facility's walk to that node; a point's
        distance is its own walk to its nearest node plus that node's distance.
        """
        f_node, f_offset = self.snap(facility_lon, facility_lat)
        source = self.node_count
        graph = self._graph(
            extra_tail=np.full(len(f_node), source),
            extra_head=f_node,
            extra_length=f_offset,
            extra_nodes=1,
        )
        node_distance = (
            dijkstra(graph, directed=True, indices=source, limit=cutoff_m)
            if len(f_node)
            else np.full(self.node_count + 1, np.inf)
        )
        p_node, p_offset = self.snap(lon, lat)
        distance = p_offset + node_distance[p_node]
        distance[distance > cutoff_m] = np.inf
        return distance

    def pairs_within(
        self, lon, lat, facility_lon, facility_lat, *, cutoff_m: float, chunk: int = 64
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return (origin, facility, metres) for every pair within the cutoff."""
        f_node, f_offset = self.snap(facility_lon, facility_lat)
        p_node, p_offset = self.snap(lon, lat)
        graph = self._graph()
        origins, facilities, costs = [], [], []
        for start in range(0, len(f_node), chunk):
            nodes = f_node[start : start + chunk]
            table = dijkstra(graph, directed=False, indices=nodes, limit=cutoff_m)
            cost = (
                table[:, p_node]
                + p_offset[np.newaxis, :]
                + f_offset[start : start + chunk, np.newaxis]
            )
            f_index, o_index = np.nonzero(cost <= cutoff_m)
            origins.append(o_index)
            facilities.append(f_index + start)
            costs.append(cost[f_index, o_index])
        if not origins:
            empty = np.array([], dtype=np.int64)
            return empty, empty, np.array([], dtype=np.float64)
        return (
            np.concatenate(origins),
            np.concatenate(facilities),
            np.concatenate(costs),
        )


def _dedupe(tail, head, length):
    """Drop self-loops and keep the shortest of parallel edges (sparse sums them)."""
    tail = np.asarray(tail, dtype=np.int64)
    head = np.asarray(head, dtype=np.int64)
    length = np.asarray(length, dtype=np.float64)
    keep = tail != head
    tail, head, length = tail[keep], head[keep], length[keep]
    low, high = np.minimum(tail, head), np.maximum(tail, head)
    order = np.lexsort((length, high, low))
    low, high, length = low[order], high[order], length[order]
    first = np.ones(len(low), dtype=bool)
    first[1:] = (low[1:] != low[:-1]) | (high[1:] != high[:-1])
    return low[first], high[first], length[first]


def _coordinate(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def network_from_graphml(path: Path | str) -> RoadNetwork:
    """Read a GraphML road network (OSMnx-style `x`/`y` or `lon`/`lat` nodes).

    Edge `length` (metres) is used when present, else the great-circle
    distance between the end nodes. Raises NetworkError listing every problem.
    """
    import networkx as nx

    try:
        graph = nx.read_graphml(Path(path))
    except Exception as exc:  # the parser raises many types on bad files
        raise NetworkError([f"the GraphML file cannot be read: {exc}"]) from exc
    problems: list[str] = []
    index: dict = {}
    lons, lats = [], []
    for node, data in graph.nodes(data=True):
        lon = _coordinate(data.get("lon", data.get("x")))
        lat = _coordinate(data.get("lat", data.get("y")))
        if lon is None or lat is None:
            problems.append(f"node {node}: no numeric x/y (lon/lat)")
            continue
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            problems.append(f"node {node}: coordinates are not lon/lat degrees")
            continue
        index[node] = len(lons)
        lons.append(lon)
        lats.append(lat)
    tails, heads, lengths = [], [], []
    for number, (u, v, data) in enumerate(graph.edges(data=True)):
        if u not in index or v not in index:
            continue
        length = data.get("length")
        if length is not None:
            length = _coordinate(length)
            if length is None or length < 0:
                problems.append(f"edge {number} ({u}-{v}): length is not a number ≥ 0")
                continue
        else:
            length = float(
                haversine_m(
                    lons[index[u]], lats[index[u]], lons[index[v]], lats[index[v]]
                )
            )
        tails.append(index[u])
        heads.append(index[v])
        lengths.append(length)
    if not lons:
        problems.append("the network has no nodes")
    if problems:
        raise NetworkError(problems)
    return RoadNetwork(
        lon=np.array(lons),
        lat=np.array(lats),
        tail=np.array(tails, dtype=np.int64),
        head=np.array(heads, dtype=np.int64),
        length_m=np.array(lengths),
    )


def _lines(geometry) -> list | None:
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind == "LineString":
        return [geometry.get("coordinates")]
    if kind == "MultiLineString":
        return geometry.get("coordinates")
    return None


def network_from_geojson(document: dict) -> RoadNetwork:
    """Build a network from a GeoJSON FeatureCollection of (Multi)LineStrings.

    Consecutive vertices become edges; vertices equal to 7 decimals (about
    1 cm) are one node, so lines join where they share a vertex. Raises
    NetworkError listing every feature that cannot be used.
    """
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise NetworkError(["the file is not a GeoJSON FeatureCollection"])
    features = document.get("features")
    if not isinstance(features, list) or not features:
        raise NetworkError(["the FeatureCollection has no features"])
    problems: list[str] = []
    segments: list[tuple[float, float, float, float]] = []
    for number, feature in enumerate(features):
        lines = _lines(feature.get("geometry") if isinstance(feature, dict) else None)
        if lines is None:
            problems.append(f"features[{number}]: not a LineString or MultiLineString")
            continue
        for line in lines:
            try:
                points = [(float(x), float(y)) for x, y, *_ in line]
            except (TypeError, ValueError):
                problems.append(f"features[{number}]: coordinates are not numbers")
                break
            if len(points) < 2:
                problems.append(f"features[{number}]: a line needs two points")
                break
            if any(not (-180 <= x <= 180 and -90 <= y <= 90) for x, y in points):
                problems.append(f"features[{number}]: coordinates are not lon/lat")
                break
            segments.extend(
                (a[0], a[1], b[0], b[1])
                for a, b in zip(points, points[1:], strict=False)
            )
    if problems:
        raise NetworkError(problems)
    ends = np.array(segments, dtype=np.float64)
    vertices = np.round(np.vstack([ends[:, :2], ends[:, 2:]]), VERTEX_DECIMALS)
    nodes, inverse = np.unique(vertices, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    count = len(ends)
    return RoadNetwork(
        lon=nodes[:, 0],
        lat=nodes[:, 1],
        tail=inverse[:count],
        head=inverse[count:],
        length_m=haversine_m(ends[:, 0], ends[:, 1], ends[:, 2], ends[:, 3]),
    )
