"""Generate a synthetic population on a Dask distributed cluster (issue 20).

One task a town (a city × town in a run of several cities): the worker draws the
town from its own random stream, as the single-process run does, and writes it
as a Parquet part under a temporary name renamed to the town's number, so a task
that runs twice (its worker was lost) leaves one part.

Two numbers of a town depend on the towns written before it in the one-process
run: its first household id (households are counted only once formed) and the
sequence numbers of its ID numbers (a counter per region code, birth date and
sex carries on from town to town within a city). Person ids do not: a town's
person count is its calibration target. So a worker numbers its households from
0 and its ID numbers from an empty counter, and the driver, joining the parts in
order, adds the households before the town and the ID numbers before it in its
city; the files are then those of `synthesize`, row for row.
"""

from __future__ import annotations

import functools
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow.parquet as pq

from equiserve.synth.generate import (
    HOUSEHOLDS_FILE,
    PERSONS_FILE,
    ROW_GROUP,
    SynthSummary,
    check_arguments,
    schemas,
    town_generator,
    town_plans,
)
from equiserve.synth.identity import FIRST_DAY, IdNumbers, check_characters
from equiserve.synth.town import Shared, TownPlan, generate_town, id_width

PARTS = "parts"


@dataclass(frozen=True)
class PartResult:
    """What one town's task returns to the driver."""

    number: int
    persons: int
    households: int


@functools.lru_cache(maxsize=2)
def _shared(total: int) -> Shared:
    """Build the run's shared tables once per worker process."""
    return Shared.build(total)


def part_name(entity: str, number: int) -> str:
    return f"{entity}-{number:06d}.parquet"


def _write_part(frame: pl.DataFrame, schema, path: Path) -> None:
    """Write a part under a temporary name, then rename it into place."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    pq.write_table(frame.to_arrow().cast(schema), temporary, compression="zstd")
    os.replace(temporary, path)


def generate_part(
    number: int,
    plan: TownPlan,
    seed: int,
    cities: int,
    total: int,
    first_person: int,
    parts: str,
) -> PartResult:
    """Generate one town on a worker and write its parts (the task of a run)."""
    shared = _shared(total)
    shared.next_person, shared.next_household = first_person, 0
    shared.ids.counter[:] = 0
    persons, households = generate_town(plan, shared, town_generator(seed, plan))
    persons_schema, households_schema = schemas(cities)
    _write_part(persons, persons_schema, Path(parts) / part_name("persons", number))
    _write_part(
        households, households_schema, Path(parts) / part_name("households", number)
    )
    return PartResult(number, persons.height, households.height)


class _Renumber:
    """Turn a part's own numbering into the run's: households and ID numbers."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.households = 0  # households written before the part
        self.ids = IdNumbers()  # only its codes and counter are used
        order = np.argsort(self.ids.codes)
        self.sorted_codes, self.code_order = self.ids.codes[order], order
        self.first_day = np.datetime64(FIRST_DAY, "D")

    def new_city(self) -> None:
        self.ids.counter[:] = 0

    def household(self, column: str) -> pl.Expr:
        number = pl.col(column).str.slice(1).cast(pl.Int64) + self.households
        return (pl.lit("h") + number.cast(pl.String).str.zfill(self.width)).alias(
            column
        )

    def id_numbers(self, id_numbers: pl.Series) -> pl.Series:
        """Add the ID numbers given before the part in its city to its sequences."""
        parts = pl.DataFrame({"n": id_numbers}).select(
            code=pl.col("n").str.slice(0, 6).cast(pl.Int64),
            birth=pl.col("n").str.slice(6, 8).str.to_date("%Y%m%d"),
            sequence=pl.col("n").str.slice(14, 3).cast(pl.Int64),
            head=pl.col("n").str.slice(0, 14).cast(pl.Int64),
        )
        code = parts["code"].to_numpy()
        code_index = self.code_order[np.searchsorted(self.sorted_codes, code)]
        day = (
            parts["birth"].to_numpy().astype("datetime64[D]") - self.first_day
        ).astype(np.int64)
        sequence = parts["sequence"].to_numpy()
        male = sequence % 2 == 1
        key = (code_index * self.ids.days + day) * 2 + male
        sequence = sequence + 2 * self.ids.counter[key].astype(np.int64)
        unique_keys, counts = np.unique(key, return_counts=True)
        self.ids.counter[unique_keys] += counts.astype(np.uint16)
        if sequence.size and sequence.max() > 999:
            raise RuntimeError(
                "more than 499 people share a region, birth date and sex"
            )
        first17 = parts["head"].to_numpy() * 1_000 + sequence
        return pl.Series(first17).cast(pl.String) + pl.Series(check_characters(first17))

    def persons(self, frame: pl.DataFrame) -> pl.DataFrame:
        return frame.with_columns(
            self.household("household"),
            self.id_numbers(frame.get_column("id_number")).alias("id_number"),
        )

    def homes(self, frame: pl.DataFrame) -> pl.DataFrame:
        return frame.with_columns(self.household("id"))


def _join(
    plans: list[TownPlan],
    results: list[PartResult],
    parts: Path,
    out: Path,
    cities: int,
) -> None:
    """Join the parts in town order into the two files, renumbered as `synthesize`."""
    persons_schema, households_schema = schemas(cities)
    renumber = _Renumber(id_width(sum(plan.resident for plan in plans)))
    city = None
    with (
        pq.ParquetWriter(
            out / PERSONS_FILE, persons_schema, compression="zstd"
        ) as person_writer,
        pq.ParquetWriter(
            out / HOUSEHOLDS_FILE, households_schema, compression="zstd"
        ) as household_writer,
    ):
        for plan, result in zip(plans, results, strict=True):
            if plan.city != city:
                renumber.new_city()
                city = plan.city
            persons = pl.read_parquet(parts / part_name("persons", result.number))
            homes = pl.read_parquet(parts / part_name("households", result.number))
            person_writer.write_table(
                renumber.persons(persons).to_arrow().cast(persons_schema),
                row_group_size=ROW_GROUP,
            )
            household_writer.write_table(
                renumber.homes(homes).to_arrow().cast(households_schema),
                row_group_size=ROW_GROUP,
            )
            renumber.households += result.households


def synthesize_distributed(
    *,
    scale: float,
    seed: int,
    out_dir: Path | str,
    cities: int = 1,
    cluster: str | None = None,
    workers: int | None = None,
    client=None,
    on_town=None,
) -> SynthSummary:
    """Write what `synthesize` writes, generating the towns on a Dask cluster.

    The cluster is the address `cluster`, a local cluster of `workers`
    processes, or an open `client`. `out_dir` must be reachable from every
    worker under the same path (a shared filesystem; docs/DISTRIBUTED.md).
    `on_town(done, total)` is called as towns finish.
    """
    from equiserve.simulation.distributed import connect

    check_arguments(scale, cities)
    started = time.perf_counter()
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    parts = out / PARTS
    shutil.rmtree(parts, ignore_errors=True)
    parts.mkdir()
    plans = town_plans(scale, cities)
    firsts = np.cumsum([0] + [plan.resident for plan in plans[:-1]]).tolist()
    own = None
    if client is None:
        client, own = connect(cluster, workers)
    try:
        results = _run(client, plans, seed, cities, firsts, parts, on_town)
    finally:
        if own is not None:
            client.close()
            own.close()
    _join(plans, results, parts, out, cities)
    shutil.rmtree(parts, ignore_errors=True)
    return SynthSummary(
        persons=sum(result.persons for result in results),
        households=sum(result.households for result in results),
        registered=sum(plan.registered for plan in plans),
        migrants=sum(plan.migrants for plan in plans),
        seconds=round(time.perf_counter() - started, 3),
        scale=scale,
        seed=seed,
        persons_path=out / PERSONS_FILE,
        households_path=out / HOUSEHOLDS_FILE,
        cities=cities,
    )


def _run(client, plans, seed, cities, firsts, parts, on_town) -> list[PartResult]:
    from distributed import as_completed

    total = sum(plan.resident for plan in plans)
    stamp = time.time_ns()
    futures = [
        client.submit(
            generate_part,
            number,
            plan,
            seed,
            cities,
            total,
            first,
            str(parts),
            # A task whose worker is lost is rescheduled; its part is renamed in.
            key=f"synth-part-{number}-{stamp}",
            pure=False,
        )
        for number, (plan, first) in enumerate(zip(plans, firsts, strict=True))
    ]
    results: dict[int, PartResult] = {}
    try:
        for future in as_completed(futures):
            result = future.result()
            results[result.number] = result
            if on_town is not None:
                on_town(len(results), len(plans))
    finally:
        client.cancel(futures)
    return [results[number] for number in range(len(plans))]
