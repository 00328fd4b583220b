"""Time population runs against their floor and on a Dask cluster (issue 20).

(a) simulate in one process, and beside it on the same population the engine's
    query alone: the plan's compiled Polars query over the whole file in one
    collect, its per-person results written as simulate writes them, without
    simulate's batches, cost table or summary. simulate's time as a ratio of it.
    This is not the hand-written Polars version of every output that issue 20
    asks for (bench_floor.py times simulate against that): it bounds what the
    batching, the table and the writing add, not what the engine's compiled
    expressions cost over hand-written ones.
(b) simulate on a local cluster of `--workers` processes (one thread each), the
    same population, the cluster started before the clock.
(c) `--cities` N synthetic cities at `--scale` generated on that cluster and
    evaluated there, streamed: each worker holds one town (synth) or one batch
    (simulate); the peak resident memory of each worker process and of the
    driver. Issue 20 asks for 10 cities at 1.11 (about 44 million persons); the
    figures' names say the N and the persons actually run.

Each run is a child process. The 1-minute load average is printed before and
after every run and emitted with the figures: the machine is shared, and other
work only ever adds time. Run under `nice -n 5`.

    nice -n 5 .venv/bin/python bench/bench_distributed.py [--scale 1.11]
        [--cities 10] [--city-scale 1.11] [--workers 2]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from figures import emitter

ROOT = Path(__file__).resolve().parents[1]
DATE = "2015-07-01"
emit = emitter("distributed")

GENERATE = """
import sys
from pathlib import Path
from equiserve.synth import synthesize
synthesize(scale=float(sys.argv[1]), seed=1, out_dir=Path(sys.argv[2]), progress=False)
"""

SINGLE = """
import datetime as dt, json, resource, sys, time
from equiserve.simulation.run import simulate
started = time.perf_counter()
result = simulate(date=dt.date.fromisoformat(sys.argv[1]), population=sys.argv[2],
                  out=sys.argv[3])
print(json.dumps({"seconds": time.perf_counter() - started, "persons": result.persons,
                  "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""

QUERY = """
import datetime as dt, json, resource, sys, time
from pathlib import Path
import polars as pl
from equiserve.policy.plan import load_plan
from equiserve.simulation.run import KEEP, UNIQUE_COLUMNS, population_files
started = time.perf_counter()
plan = load_plan()
persons, households = population_files(Path(sys.argv[2]))
out = Path(sys.argv[3])
out.mkdir(parents=True, exist_ok=True)
query_p, query_h = plan.query(pl.scan_parquet(persons), pl.scan_parquet(households),
                              date=dt.date.fromisoformat(sys.argv[1]), keep=KEEP)
result_p, result_h = pl.collect_all([query_p, query_h])
for frame, name in ((result_p, "persons.parquet"), (result_h, "households.parquet")):
    table = frame.to_arrow()
    import pyarrow.parquet as pq
    pq.write_table(table, out / name, compression="zstd",
                   use_dictionary=[c for c in table.column_names
                                   if c not in UNIQUE_COLUMNS])
print(json.dumps({"seconds": time.perf_counter() - started, "persons": result_p.height,
                  "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""

CLUSTER = """
import datetime as dt, json, resource, sys, time


def peak():
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


if __name__ == "__main__":
    from distributed import Client, LocalCluster
    from equiserve.simulation.distributed import simulate_distributed
    from equiserve.synth.distributed import synthesize_distributed

    date, population, out, workers, scale, cities = sys.argv[1:7]
    figures = {}
    with LocalCluster(n_workers=int(workers), threads_per_worker=1, processes=True,
                      dashboard_address=None) as local, Client(local) as client:
        if int(cities):
            started = time.perf_counter()
            made = synthesize_distributed(scale=float(scale), seed=1,
                                          out_dir=population, cities=int(cities),
                                          client=client)
            figures["synth"] = time.perf_counter() - started
            figures["households"] = made.households
        started = time.perf_counter()
        result = simulate_distributed(date=dt.date.fromisoformat(date),
                                      population=population, out=out, client=client)
        figures["simulate"] = time.perf_counter() - started
        figures["persons"] = result.persons
        figures["batches"] = result.batches
        figures["worker_peak_kib"] = sorted(client.run(peak).values())
    figures["driver_peak_kib"] = peak()
    print(json.dumps(figures))
"""


def load() -> float:
    return os.getloadavg()[0]


def child(script: str, *arguments: str, temp: Path) -> dict:
    """Run a script in its own process; return its last line as JSON."""
    path = temp / f"child-{time.time_ns()}.py"
    path.write_text(script, encoding="utf-8")
    print(f"# load average before: {load():.2f}", flush=True)
    process = subprocess.run(
        [sys.executable, str(path), *arguments],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    print(f"# load average after: {load():.2f}", flush=True)
    if process.returncode != 0:
        print(process.stderr[-4000:], file=sys.stderr)
        raise SystemExit(process.returncode)
    return json.loads(process.stdout.strip().splitlines()[-1])


def millions(persons: int) -> str:
    return f"{persons / 1e6:.2f} M persons"


def floor_and_cluster(scale: float, workers: int, temp: Path) -> None:
    given = os.environ.get("EQUISERVE_BENCH_POPULATION")
    population = Path(given) if given else temp / "population"
    if not given:
        print(f"# generating the population at scale {scale:g} (not timed)")
        subprocess.run(
            [sys.executable, "-c", GENERATE, str(scale), str(population)], check=True
        )
    single = child(SINGLE, DATE, str(population), str(temp / "single"), temp=temp)
    query = child(QUERY, DATE, str(population), str(temp / "query"), temp=temp)
    label = millions(single["persons"])
    emit(f"{label}: simulate, one process", single["seconds"], "s")
    emit(
        f"{label}: engine query alone, whole file (not the hand-written floor)",
        query["seconds"],
        "s",
    )
    emit(
        f"{label}: simulate ÷ engine query alone",
        single["seconds"] / query["seconds"],
        "ratio",
        "≤ 1.5 against the hand-written floor",
    )
    emit(f"{label}: engine query alone, peak memory", query["peak_kib"] / 1024, "MiB")
    emit(
        f"{label}: simulate, one process, peak memory", single["peak_kib"] / 1024, "MiB"
    )
    cluster = child(
        CLUSTER,
        DATE,
        str(population),
        str(temp / "cluster"),
        str(workers),
        "0",
        "0",
        temp=temp,
    )
    emit(
        f"{label}: simulate on a local {workers}-worker cluster",
        cluster["simulate"],
        "s",
    )
    emit(
        f"{label}: simulate on {workers} workers, peak memory of the largest worker",
        max(cluster["worker_peak_kib"]) / 1024,
        "MiB",
    )


def cities(scale: float, count: int, workers: int, temp: Path) -> None:
    figures = child(
        CLUSTER,
        DATE,
        str(temp / "cities"),
        str(temp / "cities-out"),
        str(workers),
        str(scale),
        str(count),
        temp=temp,
    )
    label = f"{count} cities at scale {scale:g} ({millions(figures['persons'])})"
    emit(f"{label}: synth on {workers} workers", figures["synth"], "s")
    emit(f"{label}: simulate on {workers} workers", figures["simulate"], "s")
    for number, kib in enumerate(figures["worker_peak_kib"]):
        emit(f"{label}: peak memory of worker {number + 1}", kib / 1024, "MiB")
    emit(
        f"{label}: peak memory of the driver", figures["driver_peak_kib"] / 1024, "MiB"
    )
    emit(f"{label}: persons", figures["persons"], "persons")
    emit(f"{label}: households", figures["households"], "households")
    emit(f"{label}: simulate batches (tasks)", figures["batches"], "tasks")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.11)
    parser.add_argument("--cities", type=int, default=10)
    parser.add_argument("--city-scale", type=float, default=1.11)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-floor", action="store_true")
    args = parser.parse_args()
    emit("load average (1 min) at start", load(), "")
    with tempfile.TemporaryDirectory(
        prefix="bench-distributed-", dir=ROOT / "var"
    ) as t:
        temp = Path(t)
        if not args.skip_floor:
            floor_and_cluster(args.scale, args.workers, temp)
        emit("load average (1 min) between", load(), "")
        if args.cities:
            cities(args.city_scale, args.cities, args.workers, temp)
    emit("load average (1 min) at end", load(), "")
    return 0


if __name__ == "__main__":
    sys.exit(main())
