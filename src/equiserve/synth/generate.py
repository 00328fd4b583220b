"""Write a synthetic population of Zhongshan to Parquet, town by town."""

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


def _town_generator(seed: int, code: str) -> np.random.Generator:
    # One stream per town, independent of the other towns and of the scale.
    return np.random.default_rng(np.random.SeedSequence([seed, int(code)]))


def _progress(enabled: bool, total: int):
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
    *, scale: float, seed: int, out_dir: Path, progress: bool = True
) -> SynthSummary:
    """Write persons.parquet and households.parquet for a synthetic Zhongshan.

    `scale` is the share of the 2015 resident population (1.0 is about 3.97
    million people); the same `seed` and `scale` give byte-identical files.
    Towns are generated and written one at a time (one row group each), so
    memory stays bounded by the largest town.
    """
    if not 0 < scale <= MAX_SCALE:
        raise ValueError(f"scale must be above 0 and at most {MAX_SCALE}")
    started = time.perf_counter()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    targets = calibration.town_targets(scale)
    plans = [
        TownPlan(
            code=row["code_9"],
            resident=row["resident"],
            registered=row["registered"],
            migrants=row["migrants"],
            registered_males=row["registered_males"],
            migrant_males=row["migrant_males"],
            collective=row["collective"],
        )
        for row in targets.iter_rows(named=True)
    ]
    total = sum(plan.resident for plan in plans)
    shared = Shared.build(total)
    persons_path = out_dir / PERSONS_FILE
    households_path = out_dir / HOUSEHOLDS_FILE
    households = 0
    with ExitStack() as stack:
        bar = stack.enter_context(_progress(progress, total))
        task = bar.add_task("Zhongshan", total=total)
        person_writer = stack.enter_context(
            pq.ParquetWriter(persons_path, PERSONS_SCHEMA, compression="zstd")
        )
        household_writer = stack.enter_context(
            pq.ParquetWriter(households_path, HOUSEHOLDS_SCHEMA, compression="zstd")
        )
        for plan in plans:
            bar.update(task, description=plan.code)
            persons, homes = generate_town(
                plan, shared, _town_generator(seed, plan.code)
            )
            person_writer.write_table(
                persons.to_arrow().cast(PERSONS_SCHEMA), row_group_size=1 << 20
            )
            household_writer.write_table(
                homes.to_arrow().cast(HOUSEHOLDS_SCHEMA), row_group_size=1 << 20
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
    )
