"""Write a synthetic population of Zhongshan to Parquet, town by town.

With `cities` = N > 1 the city's calibration is replicated over N synthetic
cities (issue 20), each its own random streams. Ids stay unique as follows:
person ids (p…) and household ids (h…) run on across the cities, zero-padded to
the width of the whole run; towns and villages keep the plan's codes (the
engine's rules read the town as one of the plan's 24 codes, so a made-up code
would be refused) and a `city` column (0 … N−1) tells the replicas apart, so an
area is (city, town) or (city, village). Resident ID numbers are unique within a
city; the cities are replicas born in the same region codes, so the same ID
number can occur in two cities (a run of one city is unchanged).
"""

from __future__ import annotations

import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from equiserve.synth import calibration
from equiserve.synth.town import Shared, TownPlan, generate_town

PERSONS_FILE = "persons.parquet"
HOUSEHOLDS_FILE = "households.parquet"
MAX_SCALE = 5.0  # sequence numbers of ID numbers run out beyond about 10x
MAX_CITIES = 999
ROW_GROUP = 1 << 20

_VETERAN = pa.struct(
    [
        pa.field("kind", pa.string()),
        pa.field("discharged", pa.date32()),
        pa.field("nco_years", pa.int32()),
    ]
)
_T1D = pa.struct(
    [pa.field("diagnosed", pa.date32()), pa.field("hospital_grade", pa.string())]
)
_DEATH = pa.struct(
    [
        pa.field("date", pa.date32()),
        pa.field("storage_days", pa.int32()),
        pa.field("ash_storage_years", pa.int32()),
    ]
)
_HARDSHIP = pa.struct([pa.field("cause", pa.string()), pa.field("date", pa.date32())])

PERSONS_SCHEMA = pa.schema(
    [
        pa.field("id", pa.string(), nullable=False),
        pa.field("household", pa.string()),
        pa.field("name", pa.string()),
        pa.field("id_number", pa.string()),
        pa.field("sex", pa.string()),
        pa.field("birth_date", pa.date32()),
        pa.field("hukou", pa.string()),
        pa.field("hukou_kind", pa.string()),
        pa.field("town", pa.string()),
        pa.field("village", pa.string()),
        pa.field("relation", pa.string()),
        pa.field("resident_since", pa.date32()),
        pa.field("points", pa.float64()),  # half-points: exact in binary
        pa.field("school_stage", pa.string()),
        pa.field("guardian", pa.string()),
        pa.field("low_income", pa.bool_()),
        pa.field("veteran", _VETERAN),
        pa.field("t1d", _T1D),
        pa.field("death", _DEATH),
        pa.field("hardship", _HARDSHIP),
        pa.field("lon", pa.float64()),
        pa.field("lat", pa.float64()),
    ]
)

HOUSEHOLDS_SCHEMA = pa.schema(
    [
        pa.field("id", pa.string(), nullable=False),
        pa.field("town", pa.string()),
        pa.field("village", pa.string()),
        pa.field("kind", pa.string()),
        pa.field("size", pa.int32()),
        pa.field("head", pa.string()),
        pa.field("hukou", pa.string()),
        pa.field("hukou_kind", pa.string()),
        pa.field("is_urban", pa.bool_()),
        pa.field("floor_area_m2", pa.float64()),
        pa.field("annual_income", pa.float64()),
        pa.field("assets", pa.float64()),
        pa.field("low_income", pa.bool_()),
        pa.field("lon", pa.float64()),
        pa.field("lat", pa.float64()),
    ]
)


@dataclass(frozen=True)
class SynthSummary:
    """What `synthesize` wrote."""

    persons: int
    households: int
    registered: int
    migrants: int
    seconds: float
    scale: float
    seed: int
    persons_path: Path
    households_path: Path
    cities: int = 1


def town_generator(seed: int, plan: TownPlan) -> np.random.Generator:
    """Return a town's random stream, independent of the other towns and the scale.

    City 0 (and a run of one city) keeps the stream of the town alone, so its
    people are the one-city run's.
    """
    key = [seed, int(plan.code)]
    if plan.city:
        key.append(plan.city)
    return np.random.default_rng(np.random.SeedSequence(key))


def schemas(cities: int) -> tuple[pa.Schema, pa.Schema]:
    """Return the persons' and households' schemas: with `city` after `town` if N > 1."""
    if cities == 1:
        return PERSONS_SCHEMA, HOUSEHOLDS_SCHEMA
    city = pa.field("city", pa.int32())
    return tuple(
        schema.insert(schema.get_field_index("town") + 1, city)
        for schema in (PERSONS_SCHEMA, HOUSEHOLDS_SCHEMA)
    )


def check_arguments(scale: float, cities: int) -> None:
    if not 0 < scale <= MAX_SCALE:
        raise ValueError(f"scale must be above 0 and at most {MAX_SCALE}")
    if not 1 <= cities <= MAX_CITIES:
        raise ValueError(f"cities must be at least 1 and at most {MAX_CITIES}")


def town_plans(scale: float, cities: int = 1) -> list[TownPlan]:
    """Return the towns to generate, city by city, in the order they are written."""
    targets = list(calibration.town_targets(scale).iter_rows(named=True))
    return [
        TownPlan(
            code=row["code_9"],
            resident=row["resident"],
            registered=row["registered"],
            migrants=row["migrants"],
            registered_males=row["registered_males"],
            migrant_males=row["migrant_males"],
            collective=row["collective"],
            city=None if cities == 1 else city,
        )
        for city in range(cities)
        for row in targets
    ]


def progress_bar(enabled: bool):
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    return Progress(
        TextColumn("[bold]synth[/bold] {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        disable=not enabled,
        transient=False,
    )


def synthesize(
    *,
    scale: float,
    seed: int,
    out_dir: Path,
    progress: bool = True,
    cities: int = 1,
) -> SynthSummary:
    """Write persons.parquet and households.parquet for a synthetic Zhongshan.

    `scale` is the share of the 2015 resident population (1.0 is about 3.97
    million people); the same `seed`, `scale` and `cities` give byte-identical
    files. `cities` replicates the city N times (the module's docstring says how
    ids stay unique). Towns are generated and written one at a time (one row
    group each), so memory stays bounded by the largest town.
    """
    check_arguments(scale, cities)
    started = time.perf_counter()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    plans = town_plans(scale, cities)
    persons_schema, households_schema = schemas(cities)
    total = sum(plan.resident for plan in plans)
    shared = Shared.build(total)
    persons_path = out_dir / PERSONS_FILE
    households_path = out_dir / HOUSEHOLDS_FILE
    households = 0
    with ExitStack() as stack:
        bar = stack.enter_context(progress_bar(progress))
        task = bar.add_task("Zhongshan", total=total)
        person_writer = stack.enter_context(
            pq.ParquetWriter(persons_path, persons_schema, compression="zstd")
        )
        household_writer = stack.enter_context(
            pq.ParquetWriter(households_path, households_schema, compression="zstd")
        )
        city = None
        for plan in plans:
            if plan.city != city:
                # ID numbers are unique within a city: its counters start at 0.
                shared.ids.counter[:] = 0
                city = plan.city
            bar.update(task, description=describe(plan))
            persons, homes = generate_town(plan, shared, town_generator(seed, plan))
            person_writer.write_table(
                persons.to_arrow().cast(persons_schema), row_group_size=ROW_GROUP
            )
            household_writer.write_table(
                homes.to_arrow().cast(households_schema), row_group_size=ROW_GROUP
            )
            households += homes.height
            bar.advance(task, persons.height)
        bar.update(task, description="done")
    return SynthSummary(
        persons=total,
        households=households,
        registered=sum(plan.registered for plan in plans),
        migrants=sum(plan.migrants for plan in plans),
        seconds=round(time.perf_counter() - started, 3),
        scale=scale,
        seed=seed,
        persons_path=persons_path,
        households_path=households_path,
        cities=cities,
    )


def describe(plan: TownPlan) -> str:
    """Name a town on the progress bar: its code, and its city in a run of several."""
    return plan.code if plan.city is None else f"{plan.city}/{plan.code}"
