"""Time matching 100,000 job seekers against 20,000 vacancies, and the rate (3.7).

Prints one JSON object per figure, as bench/run.py records them. The aim (issue 15)
is matching under 2 s; the rate is computed over a full-scale register of the
city's working-age residents (about 2.6 million rows).
"""

import time

import numpy as np
import polars as pl
from figures import emitter  # bench/figures.py, beside this script

from equiserve.allocation.jobs import match_jobs, unemployment_rates

SEEKERS = 100_000
VACANCIES = 20_000
REGISTER = 2_600_000
TOWNS = 24
OCCUPATIONS = 66  # middle groups of the national occupational classification
# Zhongshan's extent, WGS-84.
LON, LAT = (113.15, 113.65), (22.20, 22.75)


def synthetic(rng, n: int, id_name: str, wage: str, wage_range) -> pl.DataFrame:
    return pl.DataFrame(
        {
            id_name: np.arange(n),
            "occupation": rng.integers(0, OCCUPATIONS, n).astype(str),
            "skills": rng.integers(0, 2**12, n).astype(np.uint64)
            & rng.integers(0, 2**12, n).astype(np.uint64),
            wage: rng.uniform(*wage_range, n),
            "lon": rng.uniform(*LON, n),
            "lat": rng.uniform(*LAT, n),
        }
    )


figure = emitter("employment")


def main() -> None:
    rng = np.random.default_rng(15)
    seekers = synthetic(rng, SEEKERS, "seeker", "wage_min", (1500, 5000))
    vacancies = synthetic(rng, VACANCIES, "vacancy", "wage", (1800, 8000))
    start, cpu = time.perf_counter(), time.process_time()
    matches = match_jobs(seekers, vacancies, top=3)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    figure("match 100,000 seekers × 20,000 vacancies", round(elapsed, 3), "s", "< 2 s")
    figure("match, CPU time of the process", round(cpu, 3), "s", "< 2 s")
    figure("seekers with a match", matches["seeker"].n_unique(), "seekers")

    register = pl.DataFrame(
        {
            "town": rng.integers(0, TOWNS, REGISTER).astype(str),
            "status": rng.choice(
                ["employed", "unemployed", "inactive"], REGISTER, p=[0.7, 0.025, 0.275]
            ),
            "urban": rng.random(REGISTER) < 0.8,
        }
    )
    start = time.perf_counter()
    rates = unemployment_rates(register)
    elapsed = time.perf_counter() - start
    figure("rate over 2,600,000 working-age residents", round(elapsed, 3), "s")
    figure("synthetic city rate", float(rates["city"]["rate"]), "%")


if __name__ == "__main__":
    main()
