"""Time the policy engine: a whole city from Parquet to Parquet, and one case by HTTP.

(a) City run: `equiserve.simulation.run.simulate` (every rule, per-person results
    written as Parquet, the cost and coverage table) on a synthetic population of
    about 4.4 million people, in a child process. The population is generated
    first, untimed, at scale 1.11 (4,406,256 persons: the size issue 3 states its
    aim for, near the 2020 census count of 4,418,060; scale 1 is the 2015 count,
    3,969,600), or read from $EQUISERVE_BENCH_POPULATION. Figures: the child's
    wall time from start to exit (interpreter, imports, plan load, read, evaluate,
    write), the run itself as simulate times it, and the child's peak resident
    memory (getrusage in the child, so the figure is its own); its CPU time too,
    which other work on a shared machine does not inflate as much as wall time.
(b) Single case: POST /api/v1/evaluate?explain=true for one household of four
    (Django's test client, in process), 200 warm-up requests then 2,000 timed;
    p50 and p99 of the wall time of each request.

Prints one JSON object per figure, as bench/run.py records them, and the 1-minute
load average before and after (the machine may be shared: other work only ever
adds time).

    .venv/bin/python bench/bench_policy.py [--scale 1.11] [--requests 2000]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATE = "2015-07-01"

GENERATE = """
import sys
from pathlib import Path
from equiserve.synth import synthesize
synthesize(scale=float(sys.argv[1]), seed=1, out_dir=Path(sys.argv[2]), progress=False)
"""

CITY = """
import time
started = time.perf_counter()
import datetime as dt, json, os, resource, sys
from equiserve.simulation.run import simulate
result = simulate(date=dt.date.fromisoformat(sys.argv[1]), population=sys.argv[2],
                  out=sys.argv[3])
print(json.dumps({
    "persons": result.persons, "households": result.households,
    "batches": result.batches, "simulate": result.seconds,
    "process": time.perf_counter() - started,
    "cpu": sum(os.times()[:2]),
    "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
}))
"""

HOUSEHOLD = {
    "date": DATE,
    "households": [
        {"id": "h1", "town": "442000106", "floor_area_m2": 42.0, "annual_income": 52000}
    ],
    "persons": [
        {
            "id": "p1",
            "household": "h1",
            "birth_date": "1984-05-02",
            "sex": "F",
            "hukou": "elsewhere",
            "town": "442000106",
            "resident_since": "2011-03-01",
            "points": 180,
        },
        {
            "id": "p2",
            "household": "h1",
            "birth_date": "1982-11-20",
            "sex": "M",
            "hukou": "elsewhere",
            "town": "442000106",
            "resident_since": "2011-03-01",
            "points": 150,
            "hardship": {"cause": "accident", "date": "2015-06-10"},
        },
        {
            "id": "p3",
            "household": "h1",
            "birth_date": "2007-09-01",
            "sex": "F",
            "hukou": "elsewhere",
            "town": "442000106",
            "resident_since": "2011-03-01",
            "school_stage": "primary",
            "guardian": "p1",
        },
        {
            "id": "p4",
            "household": "h1",
            "birth_date": "1994-02-01",
            "sex": "M",
            "hukou": "zhongshan",
            "hukou_kind": "rural",
            "town": "442000106",
            "veteran": {
                "kind": "demobilized_nco",
                "discharged": "2015-03-01",
                "nco_years": 5,
            },
        },
    ],
}


def emit(metric: str, value: float | int, unit: str, aim: str = "") -> None:
    print(
        json.dumps(
            {
                "bench": "policy",
                "metric": metric,
                "value": round(value, 3) if isinstance(value, float) else value,
                "unit": unit,
                "aim": aim,
            }
        ),
        flush=True,
    )


def load() -> float:
    return os.getloadavg()[0]


def city(scale: float) -> int:
    given = os.environ.get("EQUISERVE_BENCH_POPULATION")
    with tempfile.TemporaryDirectory(prefix="bench-policy-") as temp:
        population = Path(given) if given else Path(temp) / "population"
        if not given:
            print(f"# generating the population at scale {scale:g} (not timed)")
            subprocess.run(
                [sys.executable, "-c", GENERATE, str(scale), str(population)],
                check=True,
            )
        print(f"# load average before the city run: {load():.2f}", flush=True)
        started = time.perf_counter()
        child = subprocess.run(
            [sys.executable, "-c", CITY, DATE, str(population), f"{temp}/out"],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        wall = time.perf_counter() - started
    if child.returncode != 0:
        print(child.stderr[-4000:], file=sys.stderr)
        return child.returncode
    figures = json.loads(child.stdout.strip().splitlines()[-1])
    persons = figures["persons"]
    label = f"city run ({persons / 1e6:.2f} M persons)"
    emit(f"{label}: wall time, process start to exit", wall, "s", "< 5 s")
    emit(f"{label}: simulate, Parquet in to Parquet out", figures["simulate"], "s")
    emit(f"{label}: CPU time (user + system, all threads)", figures["cpu"], "s")
    emit(f"{label}: peak memory", figures["peak_kib"] / 1024, "MiB", "< 2048 MiB")
    emit(f"{label}: persons", persons, "persons")
    emit(f"{label}: households", figures["households"], "households")
    emit(f"{label}: batches", figures["batches"], "batches")
    emit(f"{label}: persons per second", persons / figures["simulate"], "persons/s")
    return 0


def single_case(requests: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "equiserve.settings")
    import django

    django.setup()
    from django.test import Client

    client = Client()
    body = json.dumps(HOUSEHOLD)
    url = "/api/v1/evaluate?explain=true&lang=en"

    def call() -> float:
        started = time.perf_counter()
        response = client.post(url, body, content_type="application/json")
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise SystemExit(f"unexpected {response.status_code}: {response.content!r}")
        return elapsed

    for _ in range(200):
        call()
    print(f"# load average before the API run: {load():.2f}", flush=True)
    times = sorted(call() for _ in range(requests))
    p50 = times[len(times) // 2] * 1000
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))] * 1000
    label = "API one household of 4, explain=true"
    emit(f"{label}: p50", p50, "ms", "< 10 ms")
    emit(f"{label}: p99", p99, "ms", "< 50 ms")
    emit(f"{label}: requests timed", requests, "requests")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.11)
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    emit("load average (1 min) at start", load(), "")
    status = city(args.scale)
    if status:
        return status
    single_case(args.requests)
    emit("load average (1 min) at end", load(), "")
    return 0


if __name__ == "__main__":
    sys.exit(main())
