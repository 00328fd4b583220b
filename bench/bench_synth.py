"""Time the synthetic population at full scale (about 4 million people) and its memory.

Runs `synthesize(scale=1, seed=1)` in a child process writing to a temporary
directory, and measures the wall time and the child's peak resident memory
(getrusage RUSAGE_CHILDREN, so the figure is the generator's own). Prints one
JSON object per figure, as bench/run.py records them. The aim (issue 2) is
under 60 s and under 4 GB on 2 cores.

    .venv/bin/python bench/bench_synth.py [--scale 1] [--seed 1]
"""

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time

CHILD = """
import json, sys
from pathlib import Path
from equiserve.synth import synthesize
summary = synthesize(scale=float(sys.argv[1]), seed=int(sys.argv[2]),
                     out_dir=Path(sys.argv[3]), progress=False)
print(json.dumps({"persons": summary.persons, "households": summary.households,
                  "seconds": summary.seconds}))
"""


def emit(metric: str, value: float | int, unit: str, aim: str = "") -> None:
    print(
        json.dumps(
            {
                "bench": "synth",
                "metric": metric,
                "value": round(value, 3) if isinstance(value, float) else value,
                "unit": unit,
                "aim": aim,
            }
        ),
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-synth-") as out_dir:
        started = time.perf_counter()
        child = subprocess.run(
            [sys.executable, "-c", CHILD, str(args.scale), str(args.seed), out_dir],
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - started
    if child.returncode != 0:
        print(child.stderr[-4000:], file=sys.stderr)
        return child.returncode
    summary = json.loads(child.stdout.strip().splitlines()[-1])
    # On Linux ru_maxrss is in KiB: the largest child's peak, here the only child.
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    label = f"scale {args.scale:g}"
    emit(f"{label}: wall time", wall, "s", "< 60 s" if args.scale == 1 else "")
    emit(
        f"{label}: peak memory",
        peak_mib,
        "MiB",
        "< 4096 MiB" if args.scale == 1 else "",
    )
    emit(f"{label}: persons", summary["persons"], "persons")
    emit(f"{label}: households", summary["households"], "households")
    emit(f"{label}: persons per second", summary["persons"] / wall, "persons/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
