"""Benchmark the 15-minute fitness circle for the whole city at full scale.

About 4 million synthetic residents (`equiserve.synth`, scale 1) against every
sports ground, fitness garden and guidance station of a demo-shaped city: a
ground in three natural villages out of four, a garden in most communities.
Times the straight-line computation (the default without a road network),
the same on a 250 m grid road network (snap + one multi-source Dijkstra), and
the 2SFCA score of every natural village and community. Set
EQUISERVE_BENCH_POPULATION to a directory holding persons.parquet to reuse a
population; otherwise one is generated in a temporary directory (untimed).
"""

import datetime as dt
import json
import math
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

from equiserve.accessibility import (
    RoadNetwork,
    age_band,
    catchment_metres,
    catchment_pairs,
    coverage_table,
    travel_distance,
    two_step_fca,
)
from equiserve.geography.synthetic import (
    natural_villages_frame,
    town_areas,
    villages_frame,
)

BENCH = "fitness_circle"
DAY = dt.date(2016, 12, 31)
CUTOFF_M = catchment_metres(15, 80)  # the shipped parameters: 15 min walking
DETOUR = 1.3
GRID_M = 250.0


def emit(metric, value, unit="", aim=""):
    print(
        json.dumps(
            {"bench": BENCH, "metric": metric, "value": value, "unit": unit, "aim": aim}
        ),
        flush=True,
    )


def generate_population(target: Path) -> Path:
    from equiserve.synth import synthesize

    started = time.perf_counter()
    synthesize(scale=1.0, seed=1, out_dir=target, progress=False)
    print(f"generated the population in {time.perf_counter() - started:.1f} s")
    return target


def sports_facilities(seed: int = 1) -> pl.DataFrame:
    """Return demo-shaped places to exercise: lon, lat, site area (m²)."""
    rng = np.random.default_rng(seed)
    natural = natural_villages_frame()
    keep = rng.random(natural.height) < 0.75
    grounds = natural.filter(pl.Series(keep)).select("lon", "lat")
    villages = villages_frame()
    odds = np.where(villages["kind"].to_numpy() == "community", 0.85, 0.55)
    gardens = villages.filter(pl.Series(rng.random(villages.height) < odds)).select(
        "lon", "lat"
    )
    frame = pl.concat([grounds, gardens])
    return frame.with_columns(
        pl.Series("area", rng.uniform(300, 1500, frame.height)),
    )


def grid_network() -> RoadNetwork:
    """Return a 250 m street grid over the city's towns (a stand-in road network)."""
    bounds = np.array([area.bounds for area in town_areas().values()])
    lon0, lat0 = bounds[:, 0].min(), bounds[:, 1].min()
    lon1, lat1 = bounds[:, 2].max(), bounds[:, 3].max()
    step_lat = GRID_M / 111_195.0
    step_lon = step_lat / math.cos(math.radians((lat0 + lat1) / 2))
    lons = np.arange(lon0, lon1, step_lon)
    lats = np.arange(lat0, lat1, step_lat)
    grid_lon, grid_lat = np.meshgrid(lons, lats)
    rows, cols = grid_lon.shape
    index = np.arange(rows * cols).reshape(rows, cols)
    tails = np.concatenate([index[:, :-1].ravel(), index[:-1, :].ravel()])
    heads = np.concatenate([index[:, 1:].ravel(), index[1:, :].ravel()])
    return RoadNetwork(
        lon=grid_lon.ravel(),
        lat=grid_lat.ravel(),
        tail=tails,
        head=heads,
        length_m=np.full(len(tails), GRID_M),
    )


def main() -> None:
    given = os.environ.get("EQUISERVE_BENCH_POPULATION")
    if given:
        run(Path(given) / "persons.parquet")
        return
    with tempfile.TemporaryDirectory(prefix="equiserve-bench-") as directory:
        run(generate_population(Path(directory)) / "persons.parquet")


def run(persons_path: Path) -> None:
    facilities = sports_facilities()
    f_lon, f_lat = facilities["lon"].to_numpy(), facilities["lat"].to_numpy()

    started = time.perf_counter()
    persons = pl.read_parquet(
        persons_path, columns=["town", "hukou", "birth_date", "lon", "lat"]
    )
    read_s = time.perf_counter() - started
    emit("persons", persons.height, "people")
    emit("sports_facilities", facilities.height, "places")
    emit("read_persons_seconds", round(read_s, 3), "s")

    # Straight line × detour: the computation pages and commands run by default.
    started = time.perf_counter()
    reach = travel_distance(
        persons["lon"].to_numpy(),
        persons["lat"].to_numpy(),
        f_lon,
        f_lat,
        cutoff_m=CUTOFF_M,
        detour_factor=DETOUR,
    )
    frame = persons.with_columns(
        pl.Series("covered", reach.within), age_band("birth_date", DAY)
    )
    tables = {by: coverage_table(frame, [by]) for by in ("town", "hukou", "age_band")}
    total = coverage_table(frame, [])
    elapsed = time.perf_counter() - started
    emit("coverage_straight_line_seconds", round(elapsed, 3), "s", "< 5 s")
    emit("share_within_circle", round(total["share"][0], 4), "share")
    assert tables["town"].height == 24

    # The same on a road network: snap every person, one multi-source Dijkstra.
    network = grid_network()
    emit("grid_network_nodes", network.node_count, "nodes")
    started = time.perf_counter()
    reach = travel_distance(
        persons["lon"].to_numpy(),
        persons["lat"].to_numpy(),
        f_lon,
        f_lat,
        cutoff_m=CUTOFF_M,
        network=network,
    )
    frame = persons.with_columns(
        pl.Series("covered", reach.within), age_band("birth_date", DAY)
    )
    tables = {by: coverage_table(frame, [by]) for by in ("town", "hukou", "age_band")}
    elapsed = time.perf_counter() - started
    emit("coverage_network_seconds", round(elapsed, 3), "s", "< 5 s")
    emit(
        "share_within_circle_network",
        round(coverage_table(frame, [])["share"][0], 4),
        "share",
    )

    # 2SFCA over every natural village and community, people counted there.
    started = time.perf_counter()
    villages = villages_frame()
    origins = pl.concat(
        [
            natural_villages_frame().select("lon", "lat"),
            villages.filter(pl.col("kind") == "community").select("lon", "lat"),
        ]
    )
    demand = np.full(origins.height, persons.height / origins.height)
    pairs = catchment_pairs(
        origins["lon"].to_numpy(),
        origins["lat"].to_numpy(),
        f_lon,
        f_lat,
        cutoff_m=CUTOFF_M,
        detour_factor=DETOUR,
    )
    score = two_step_fca(
        demand, facilities["area"].to_numpy(), *pairs, max_cost=CUTOFF_M
    )
    emit("two_step_fca_seconds", round(time.perf_counter() - started, 3), "s")
    emit("two_step_fca_origins", int(len(score)), "places")


if __name__ == "__main__":
    main()
