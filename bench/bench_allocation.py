"""Time a public rental housing round of 100,000 applicants and 10,000 units (3.8).

Prints one JSON object per figure, as bench/run.py records them. The aim (issue 7)
is a draw under 2 s; verify redoes the draw from the file, so it is timed too.
Wall times on a shared machine vary; the CPU time of the process varies less.
"""

import json
import random
import sys
import time

from equiserve.allocation import (
    Applicant,
    Unit,
    draw_round,
    list_sha256,
    new_seed,
    read_round,
    verify,
)
from equiserve.housing.ranking import current_ranking
from equiserve.policy.plan import default_plan_dir

APPLICANTS = 100_000
UNITS = 10_000
ESTATES = 40
MIGRANT_QUOTA = 1_500
# Bedrooms -> household sizes the unit suits.
SUITS = {1: [1, 2], 2: [2, 3, 4], 3: [4, 5, 6]}


def synthetic_round(rng: random.Random) -> tuple[list[Applicant], list[Unit]]:
    """Return a synthetic round; popular estates are wanted far more than others."""
    estates = [f"E{i:02d}" for i in range(ESTATES)]
    popularity = [1 / (i + 1) for i in range(ESTATES)]
    units = []
    for i in range(UNITS):
        bedrooms = rng.choices([1, 2, 3], weights=[4, 4, 2])[0]
        units.append(Unit(f"U{i:05d}", rng.choice(estates), bedrooms, SUITS[bedrooms]))
    groups = [None] * 7 + ["disability", "elderly", "low_income"]
    applicants = []
    for i in range(APPLICANTS):
        wanted = list(
            dict.fromkeys(rng.choices(estates, popularity, k=rng.randint(1, 5)))
        )
        applicants.append(
            Applicant(
                id=f"A{i:06d}",
                priority=rng.choice(groups),
                score=rng.randint(0, 100),
                waiting_since=f"{rng.randint(2010, 2015)}-{rng.randint(1, 12):02d}-01",
                household_size=rng.choices(range(1, 7), weights=[2, 4, 4, 3, 1, 1])[0],
                preferences=wanted,
                migrant=rng.random() < 0.3,
                refusals=rng.choices([0, 1, 2], weights=[90, 7, 3])[0],
            )
        )
    return applicants, units


def emit(metric: str, value: float | int, unit: str, aim: str = "") -> None:
    print(
        json.dumps(
            {
                "bench": "allocation",
                "metric": metric,
                "value": round(value, 3) if isinstance(value, float) else value,
                "unit": unit,
                "aim": aim,
            }
        ),
        flush=True,
    )


def main() -> int:
    applicants, units = synthetic_round(random.Random(2015))
    # The plan's own ranking (issue 11), as a round of the housing app uses it.
    config = current_ranking(default_plan_dir() / "housing").config
    seed = new_seed()

    started = time.perf_counter()
    published = list_sha256(
        applicants, units, config, round_id="bench", migrant_quota=MIGRANT_QUOTA
    )
    emit("freeze and hash the list", time.perf_counter() - started, "s")

    started, cpu = time.perf_counter(), time.process_time()
    data = draw_round(
        applicants,
        units,
        config,
        seed,
        round_id="bench",
        migrant_quota=MIGRANT_QUOTA,
        expected_list_sha256=published,
    )
    emit(
        f"draw {APPLICANTS:,} applicants, {UNITS:,} units",
        time.perf_counter() - started,
        "s",
        "< 2 s",
    )
    emit("draw, CPU time of this process", time.process_time() - cpu, "s")
    emit("units allocated", len(data["allocation"]), "units")

    started = time.perf_counter()
    text = json.dumps(data, ensure_ascii=False)
    emit("write round.json", time.perf_counter() - started, "s")
    emit("round.json size", len(text.encode("utf-8")) / 2**20, "MiB")

    started = time.perf_counter()
    loaded = read_round(text)
    emit("read round.json", time.perf_counter() - started, "s")

    started, cpu = time.perf_counter(), time.process_time()
    result = verify(loaded, expected_list_sha256=published)
    emit("verify round.json (after reading)", time.perf_counter() - started, "s")
    emit("verify, CPU time of this process", time.process_time() - cpu, "s")
    if not result.ok:
        print(result.difference, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
