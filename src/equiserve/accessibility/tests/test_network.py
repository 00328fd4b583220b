"""The network distances equal a brute-force search on small test networks."""

import json

import networkx as nx
import numpy as np
import polars as pl
import pytest

from equiserve.accessibility import (
    LocalProjection,
    NetworkError,
    RoadNetwork,
    coverage_table,
    haversine_m,
    network_from_geojson,
    network_from_graphml,
    travel_distance,
)
from equiserve.accessibility.reach import catchment_pairs

PROJECTION = LocalProjection()


def grid_network(seed: int, size: int = 9) -> RoadNetwork:
    """Return a jittered grid of streets about 150 m apart, with a few gaps."""
    rng = np.random.default_rng(seed)
    lon0, lat0, step = 113.38, 22.52, 0.0015
    ii, jj = np.meshgrid(np.arange(size), np.arange(size), indexing="ij")
    lon = lon0 + jj.ravel() * step + rng.normal(0, step / 8, size * size)
    lat = lat0 + ii.ravel() * step + rng.normal(0, step / 8, size * size)
    tails, heads = [], []
    for i in range(size):
        for j in range(size):
            node = i * size + j
            if j + 1 < size and rng.random() > 0.15:
                tails.append(node)
                heads.append(node + 1)
            if i + 1 < size and rng.random() > 0.15:
                tails.append(node)
                heads.append(node + size)
    tails, heads = np.array(tails), np.array(heads)
    # Streets wind: each edge is 1.0–1.4 times its straight line.
    length = haversine_m(lon[tails], lat[tails], lon[heads], lat[heads])
    length *= rng.uniform(1.0, 1.4, len(tails))
    return RoadNetwork(lon=lon, lat=lat, tail=tails, head=heads, length_m=length)


def brute_force_nearest(network, f_lon, f_lat, lon, lat, cutoff):
    """Return nearest-facility metres by trying every facility (networkx, no KD-tree)."""
    graph = nx.Graph()
    graph.add_nodes_from(range(network.node_count))
    for u, v, w in zip(network.tail, network.head, network.length_m, strict=True):
        graph.add_edge(int(u), int(v), weight=float(w))
    paths = dict(nx.all_pairs_dijkstra_path_length(graph))
    nodes_xy = PROJECTION.xy(network.lon, network.lat)

    def snap(x, y):
        d = np.hypot(nodes_xy[:, 0] - x, nodes_xy[:, 1] - y)
        return int(np.argmin(d)), float(np.min(d))

    facilities = [snap(*xy) for xy in PROJECTION.xy(f_lon, f_lat)]
    result = []
    for xy in PROJECTION.xy(lon, lat):
        node, offset = snap(*xy)
        best = min(
            (
                offset + paths[node][f_node] + f_offset
                for f_node, f_offset in facilities
                if f_node in paths[node]
            ),
            default=np.inf,
        )
        result.append(best if best <= cutoff else np.inf)
    return np.array(result)


def random_points(rng, count):
    return (
        113.38 + rng.uniform(-0.001, 0.013, count),
        22.52 + rng.uniform(-0.001, 0.013, count),
    )


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_network_distance_equals_brute_force(seed):
    network = grid_network(seed)
    rng = np.random.default_rng(100 + seed)
    f_lon, f_lat = random_points(rng, 4)
    lon, lat = random_points(rng, 300)
    cutoff = 900.0
    reach = travel_distance(lon, lat, f_lon, f_lat, cutoff_m=cutoff, network=network)
    expected = brute_force_nearest(network, f_lon, f_lat, lon, lat, cutoff)
    assert reach.method == "network"
    assert reach.detour_factor is None
    np.testing.assert_array_equal(np.isinf(reach.distance_m), np.isinf(expected))
    finite = np.isfinite(expected)
    assert finite.sum() > 50 and (~finite).sum() > 10  # both sides are exercised
    np.testing.assert_allclose(reach.distance_m[finite], expected[finite], rtol=1e-12)


def test_coverage_share_equals_brute_force_by_group():
    network = grid_network(7)
    rng = np.random.default_rng(8)
    f_lon, f_lat = random_points(rng, 3)
    lon, lat = random_points(rng, 400)
    group = rng.choice(["zhongshan", "elsewhere"], 400)
    cutoff = 700.0
    reach = travel_distance(lon, lat, f_lon, f_lat, cutoff_m=cutoff, network=network)
    table = coverage_table(
        pl.DataFrame({"hukou": group, "covered": reach.within}), ["hukou"]
    )
    expected = brute_force_nearest(network, f_lon, f_lat, lon, lat, cutoff) <= cutoff
    for row in table.iter_rows(named=True):
        members = group == row["hukou"]
        assert row["people"] == members.sum()
        assert row["covered"] == expected[members].sum()
        assert row["share"] == expected[members].sum() / members.sum()


def test_network_pairs_equal_brute_force():
    network = grid_network(5)
    rng = np.random.default_rng(9)
    f_lon, f_lat = random_points(rng, 5)
    lon, lat = random_points(rng, 60)
    cutoff = 800.0
    origin, facility, cost = catchment_pairs(
        lon, lat, f_lon, f_lat, cutoff_m=cutoff, network=network
    )
    got = {(int(o), int(f)): c for o, f, c in zip(origin, facility, cost, strict=True)}
    expected = {}
    for f in range(5):
        one = brute_force_nearest(
            network, f_lon[f : f + 1], f_lat[f : f + 1], lon, lat, cutoff
        )
        expected.update({(o, f): one[o] for o in np.flatnonzero(np.isfinite(one))})
    assert got.keys() == expected.keys()
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, rel=1e-12)


def test_straight_line_uses_the_detour_factor_and_says_so():
    lon0, lat0 = 113.38, 22.52
    # Facility 1,000 m due north (along a meridian the projection is exact).
    north = lat0 + 1000 / (np.pi / 180 * 6_371_008.8)
    reach = travel_distance(
        [lon0, lon0],
        [lat0, lat0 - 0.01],
        [lon0],
        [north],
        cutoff_m=1300.0,
        detour_factor=1.3,
    )
    assert reach.method == "straight_line" and reach.detour_factor == 1.3
    assert reach.distance_m[0] == pytest.approx(1300.0, rel=1e-9)
    assert reach.within.tolist() == [True, False]
    assert np.isinf(reach.distance_m[1])


def test_no_facility_means_no_one_is_within_reach():
    reach = travel_distance([113.4], [22.5], [], [], cutoff_m=1200.0, detour_factor=1.2)
    assert reach.within.tolist() == [False]


def test_projection_agrees_with_great_circle_over_the_city():
    rng = np.random.default_rng(3)
    lon = rng.uniform(113.15, 113.65, (2, 500))
    lat = rng.uniform(22.2, 22.8, (2, 500))
    xy = [PROJECTION.xy(lon[k], lat[k]) for k in (0, 1)]
    flat = np.hypot(*(xy[0] - xy[1]).T)
    great = haversine_m(lon[0], lat[0], lon[1], lat[1])
    assert np.max(np.abs(flat / great - 1)) < 0.006


def test_geojson_lines_join_at_shared_vertices_and_keep_the_shorter_parallel_edge():
    a, b, c = [113.40, 22.50], [113.41, 22.50], [113.41, 22.51]
    document = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": [a, b]},
            },
            {
                "type": "Feature",
                "geometry": {
                    "type": "MultiLineString",
                    "coordinates": [[b, c], [a, b]],
                },
            },
        ],
    }
    network = network_from_geojson(document)
    assert (network.node_count, network.edge_count) == (3, 2)
    # From a to c along a–b–c equals the two great-circle legs.
    legs = haversine_m(a[0], a[1], b[0], b[1]) + haversine_m(b[0], b[1], c[0], c[1])
    d = network.nearest_distance([c[0]], [c[1]], [a[0]], [a[1]], cutoff_m=5000)
    assert d[0] == pytest.approx(legs, rel=1e-12)


def test_geojson_network_lists_every_bad_feature():
    document = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [113, 22]},
            },
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": [[113, 22]]},
            },
            {
                "type": "Feature",
                "geometry": {
                    "type": "LineString",
                    "coordinates": [[500000, 2500000], [1, 2]],
                },
            },
        ],
    }
    with pytest.raises(NetworkError) as error:
        network_from_geojson(document)
    assert error.value.problems == [
        "features[0]: not a LineString or MultiLineString",
        "features[1]: a line needs two points",
        "features[2]: coordinates are not lon/lat",
    ]


def test_graphml_round_trip_uses_lengths_when_given(tmp_path):
    graph = nx.MultiDiGraph()
    graph.add_node("n1", x=113.40, y=22.50)
    graph.add_node("n2", x=113.41, y=22.50)
    graph.add_node("n3", x=113.42, y=22.50)
    graph.add_edge("n1", "n2", length=1500.0)
    graph.add_edge("n2", "n1", length=1500.0)
    graph.add_edge("n2", "n3")  # no length: great circle
    path = tmp_path / "roads.graphml"
    nx.write_graphml(graph, path)
    network = network_from_graphml(path)
    assert (network.node_count, network.edge_count) == (3, 1 + 1)
    d = network.nearest_distance([113.42], [22.50], [113.40], [22.50], cutoff_m=1e5)
    assert d[0] == pytest.approx(1500.0 + haversine_m(113.41, 22.5, 113.42, 22.5))


def test_graphml_without_coordinates_is_refused(tmp_path):
    graph = nx.Graph()
    graph.add_node("a", x=113.4, y=22.5)
    graph.add_node("b")
    graph.add_edge("a", "b")
    path = tmp_path / "roads.graphml"
    nx.write_graphml(graph, path)
    with pytest.raises(NetworkError, match="node b: no numeric x/y"):
        network_from_graphml(path)
    path.write_text(json.dumps({"not": "graphml"}))
    with pytest.raises(NetworkError, match="cannot be read"):
        network_from_graphml(path)
