"""Time simulate in one process against the hand-written Polars floor (issue 20).

The floor (bench/floor_simulate.py) computes every output simulate writes, in
plain Polars written by hand, from the same population files into the same
files. Both run on the same generated population, each in its own child
process, alternately `--repeat` times (simulate, floor, simulate, floor, ...), so
that other work on the shared machine falls on both alike; the best wall time of
each gives the ratio, and the process CPU time (user + system, every Polars
thread) is recorded beside it. Imports are not timed; the plan's load is (it is
part of what simulate costs). After the runs the two outputs are compared, row
for row (not timed): a floor that computed something else would measure nothing.

Run under `nice -n 5`; the 1-minute load average is printed around each run.

    nice -n 5 .venv/bin/python bench/bench_floor.py [--scale 1.11] [--repeat 5]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_distributed import GENERATE, load
from figures import emitter

ROOT = Path(__file__).resolve().parents[1]
DATE = "2015-07-01"
emit = emitter("floor")

# One child script, the call timed; imports are not.
TIMED = """
import datetime as dt, json, resource, sys, time
sys.path.insert(0, sys.argv[4])
from equiserve.simulation.run import simulate
from floor_simulate import floor
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
started, used = time.perf_counter(), cpu()
persons = {call}(date=dt.date.fromisoformat(sys.argv[1]), population=sys.argv[2],
                 out=sys.argv[3])
print(json.dumps({{"seconds": time.perf_counter() - started, "cpu": cpu() - used,
                   "persons": persons,
                   "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}}))
"""
SIMULATE = TIMED.format(call="(lambda **kw: simulate(**kw).persons)")
FLOOR = TIMED.format(call='(lambda **kw: floor(**kw)["persons"])')

COMPARE = """
import json, sys
import polars as pl
from polars.testing import assert_frame_equal
simulated, floor = sys.argv[1], sys.argv[2]
for name in ("persons", "households", "costs"):
    assert_frame_equal(pl.read_parquet(f"{simulated}/{name}.parquet"),
                       pl.read_parquet(f"{floor}/{name}.parquet"), check_exact=True)
with open(f"{simulated}/costs.csv", encoding="utf-8") as a, \\
        open(f"{floor}/costs.csv", encoding="utf-8") as b:
    assert a.read() == b.read()
print(json.dumps({"identical": True}))
"""


def child(script: str, *arguments: str, temp: Path) -> dict:
    """Run a script in its own process; return its last line as JSON."""
    path = temp / f"child-{time.time_ns()}.py"
    path.write_text(script, encoding="utf-8")
    before = load()
    process = subprocess.run(
        [sys.executable, str(path), *arguments],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    after = load()
    if process.returncode != 0:
        print(process.stderr[-4000:], file=sys.stderr)
        raise SystemExit(process.returncode)
    figures = json.loads(process.stdout.strip().splitlines()[-1])
    print(f"# load {before:.2f} → {after:.2f}: {figures}", flush=True)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.11)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    emit("load average (1 min) at start", load(), "")
    with tempfile.TemporaryDirectory(prefix="bench-floor-", dir=ROOT / "var") as t:
        temp = Path(t)
        given = os.environ.get("EQUISERVE_BENCH_POPULATION")
        population = Path(given) if given else temp / "population"
        if not given:
            print(f"# generating the population at scale {args.scale:g} (not timed)")
            subprocess.run(
                [sys.executable, "-c", GENERATE, str(args.scale), str(population)],
                check=True,
            )
        runs: dict[str, list[dict]] = {"simulate": [], "floor": []}
        for _ in range(args.repeat):
            runs["simulate"].append(
                child(
                    SIMULATE,
                    DATE,
                    str(population),
                    str(temp / "sim"),
                    str(ROOT / "bench"),
                    temp=temp,
                )
            )
            runs["floor"].append(
                child(
                    FLOOR,
                    DATE,
                    str(population),
                    str(temp / "floor"),
                    str(ROOT / "bench"),
                    temp=temp,
                )
            )
        same = child(COMPARE, str(temp / "sim"), str(temp / "floor"), temp=temp)
    persons = runs["simulate"][0]["persons"]
    label = f"{persons / 1e6:.2f} M persons"
    best = {name: min(r["seconds"] for r in rs) for name, rs in runs.items()}
    cpu = {name: min(r["cpu"] for r in rs) for name, rs in runs.items()}
    for name, title in (("simulate", "simulate, one process"), ("floor", "floor")):
        seconds = [r["seconds"] for r in runs[name]]
        emit(f"{label}: {title}, best of {args.repeat}", best[name], "s")
        emit(f"{label}: {title}, median", statistics.median(seconds), "s")
        emit(f"{label}: {title}, CPU time (best)", cpu[name], "s")
        emit(
            f"{label}: {title}, peak memory",
            max(r["peak_kib"] for r in runs[name]) / 1024,
            "MiB",
        )
    emit(
        f"{label}: simulate ÷ hand-written floor (best times)",
        best["simulate"] / best["floor"],
        "ratio",
        "≤ 1.5 (aim 1.25)",
    )
    emit(
        f"{label}: simulate ÷ hand-written floor (median times)",
        statistics.median(r["seconds"] for r in runs["simulate"])
        / statistics.median(r["seconds"] for r in runs["floor"]),
        "ratio",
        "",
    )
    emit(
        f"{label}: simulate ÷ hand-written floor (CPU time)",
        cpu["simulate"] / cpu["floor"],
        "ratio",
        "",
    )
    emit(f"{label}: outputs identical to the floor's", int(same["identical"]), "")
    emit("load average (1 min) at end", load(), "")
    return 0


if __name__ == "__main__":
    sys.exit(main())
