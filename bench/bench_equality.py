"""Time the equality measures on 4 million values in 24 towns, with weights (issue 6).

Prints one JSON object per figure, as bench/run.py records them. The aim is each
measure, and the summary of all of them, well under a second on 2 cores. Each
figure is the best of five runs (other work on the machine only ever adds time;
the load average is printed too), with the input already in a Polars DataFrame
(as an indicator query returns it); the groups are town names as text.
"""

import csv
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

from equiserve import equality

ROWS = 4_000_000
RUNS = 5
TOWNS_CSV = Path(__file__).resolve().parents[1] / "src/equiserve/reference/towns.csv"


def emit(metric: str, value: float | int, unit: str, aim: str = "") -> None:
    print(
        json.dumps(
            {
                "bench": "equality",
                "metric": metric,
                "value": round(value, 3) if isinstance(value, float) else value,
                "unit": unit,
                "aim": aim,
            },
            ensure_ascii=False,
        ),
        flush=True,
    )


def synthetic_frame(rng: np.random.Generator) -> pl.DataFrame:
    """Return 4 million skewed values, each standing for 1–50 people, in 24 towns."""
    with TOWNS_CSV.open(encoding="utf-8", newline="") as handle:
        towns = [row["short_name_zh"] for row in csv.DictReader(handle)]
    assert len(towns) == 24
    town = rng.integers(0, len(towns), ROWS)
    # Town effects make the between part non-trivial; some zeros test 0·ln 0.
    level = rng.lognormal(0, 0.3, len(towns))[town]
    value = rng.lognormal(3, 0.6, ROWS) * level
    value[rng.random(ROWS) < 0.01] = 0.0
    half = np.array(["2014H1", "2014H2", "2015H1", "2015H2", "2016H1", "2016H2"])
    return pl.DataFrame(
        {
            "value": value,
            "positive": value + 1.0,  # for Theil L, which refuses zeros
            "people": rng.integers(1, 51, ROWS).astype(np.float64),
            "town": np.array(towns)[town],
            "period": half[rng.integers(0, len(half), ROWS)],
        }
    )


def timed(function, *args, **kwargs) -> tuple[float, object]:
    seconds = []
    for _ in range(RUNS):
        started = time.perf_counter()
        result = function(*args, **kwargs)
        seconds.append(time.perf_counter() - started)
    return min(seconds), result


def main() -> int:
    frame = synthetic_frame(np.random.default_rng(2014))
    emit("load average at start (1 min)", os.getloadavg()[0], "")
    aim = "< 1 s"
    cases = [
        (
            "gap, two towns",
            equality.gap,
            ("value", "town", "石岐区", "小榄镇", "people"),
        ),
        (
            "ratio, two towns",
            equality.ratio,
            ("value", "town", "石岐区", "小榄镇", "people"),
        ),
        ("cv", equality.cv, ("value", "people")),
        ("cv, unweighted", equality.cv, ("value",)),
        ("gini", equality.gini, ("value", "people")),
        ("gini, unweighted", equality.gini, ("value",)),
        ("theil_t", equality.theil_t, ("value", "people")),
        ("theil_t, unweighted", equality.theil_t, ("value",)),
        ("theil_l", equality.theil_l, ("positive", "people")),
        (
            "theil_t_decomposition",
            equality.theil_t_decomposition,
            ("value", "town", "people"),
        ),
        (
            "theil_l_decomposition",
            equality.theil_l_decomposition,
            ("positive", "town", "people"),
        ),
        (
            "sigma_convergence, cv by half-year",
            equality.sigma_convergence,
            ("value", "period", "people"),
        ),
        ("summary, by town", equality.summary, ("value", "town", "people")),
        ("summary, by town, unweighted", equality.summary, ("value", "town")),
        (
            "summary, by town, no zeros",
            equality.summary,
            ("positive", "town", "people"),
        ),
    ]
    figures = {}
    for metric, function, args in cases:
        seconds, result = timed(function, *args, data=frame)
        emit(f"{metric}, {ROWS:,} values", seconds, "s", aim)
        figures[metric] = result
    gini_by_half = equality.sigma_convergence(
        "value", "period", "people", measure="gini", data=frame
    )
    seconds, _ = timed(
        equality.sigma_convergence,
        "value",
        "period",
        "people",
        measure="gini",
        data=frame,
    )
    emit(f"sigma_convergence, gini by half-year, {ROWS:,} values", seconds, "s", aim)

    summary = figures["summary, by town"]
    emit("theil_t of the bench data", summary["theil_t"], "")
    emit("gini of the bench data", summary["gini"], "")
    emit("towns", len(summary["groups"]), "groups")
    if (
        abs(summary["theil_t_between"] + summary["theil_t_within"] - summary["theil_t"])
        > 1e-12
    ):
        print("decomposition does not add up", file=sys.stderr)
        return 1
    if len(gini_by_half.periods) != 6:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
