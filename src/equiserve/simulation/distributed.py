"""Evaluate a population on a Dask distributed cluster, one batch a task (issue 20).

The batches are the single-process run's batches of whole households (see
`run.plan_batches`); each is a task that reads its rows, evaluates them with the
plan loaded once per worker process, writes its results as Parquet parts and
returns its cells of the cost and coverage table. The driver sums the cells and
joins the parts in batch order, so the output is the single-process run's, row
for row and to the fen.

A part is written to a temporary name and renamed, and its name is its batch
number: a task that runs twice (its worker was lost and the scheduler retried
it) leaves one part, never a duplicate.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq

from equiserve.policy.plan import Plan, load_plan, load_reform
from equiserve.simulation import run, tables
from equiserve.simulation.programmes import programmes

PARTS = "parts"


@dataclass(frozen=True)
class PartResult:
    """What one batch's task returns to the driver."""

    number: int
    persons: int
    households: int
    person_cells: list[pl.DataFrame]  # one a side: baseline, then reform
    household_cells: list[pl.DataFrame]


@functools.lru_cache(maxsize=4)
def _plan(plan_dir: str | None, reform: str | None) -> tuple[Plan, ...]:
    """Load the plan (and the reformed plan) once per worker process."""
    plan = load_plan(plan_dir) if plan_dir else load_plan()
    if reform is None:
        return (plan,)
    return (plan, plan.with_reform(load_reform(reform)))


def part_name(side: int, entity: str, number: int) -> str:
    prefix = "reform_" if side else ""
    return f"{prefix}{entity}-{number:06d}.parquet"


def _write_part(frame: pl.DataFrame, path: Path) -> None:
    """Write a part under a temporary name, then rename it into place."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    frame.write_parquet(temporary, compression="zstd")
    os.replace(temporary, path)


def evaluate_part(
    number: int,
    batch: run.Batch,
    persons_path: str,
    households_path: str | None,
    parts: str,
    date: dt.date,
    plan_dir: str | None,
    reform: str | None,
) -> PartResult | None:
    """Evaluate one batch on a worker and write its parts (the task of a run)."""
    sides = _plan(plan_dir, reform)
    needed = run.needed_inputs(list(sides), date)
    persons, households = next(
        run.read_batches(
            sides[0],
            Path(persons_path),
            Path(households_path) if households_path else None,
            [batch],
            needed=needed,
        )
    )
    try:
        run.check_guardians(persons)
    except run.CrossBatch:
        return None  # the driver runs the file in one pass instead
    person_cells, household_cells = [], []
    household_count = 0
    for side, plan in enumerate(sides):
        result_p, result_h = run.evaluate_batch(plan, persons, households, date)
        _write_part(result_p, Path(parts) / part_name(side, "persons", number))
        _write_part(result_h, Path(parts) / part_name(side, "households", number))
        person_cells.append(tables.cells(result_p, "person", plan, date))
        household_cells.append(tables.cells(result_h, "household", plan, date))
        if side == 0:
            household_count = result_h.height
    return PartResult(
        number, persons.height, household_count, person_cells, household_cells
    )


def _join_parts(parts: Path, side: int, entity: str, count: int, out: Path) -> None:
    """Join a side's parts, in batch order, into one file of one row group a batch."""
    writer = None
    try:
        for number in range(count):
            table = pq.read_table(parts / part_name(side, entity, number))
            if writer is None:
                dictionary = [
                    c for c in table.column_names if c not in run.UNIQUE_COLUMNS
                ]
                writer = pq.ParquetWriter(
                    out, table.schema, compression="zstd", use_dictionary=dictionary
                )
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()


def connect(cluster: str | None, workers: int | None):
    """Connect to a scheduler, or start a local cluster of `workers` processes."""
    from distributed import Client, LocalCluster

    if cluster:
        return Client(cluster), None
    local = LocalCluster(
        n_workers=workers or 2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
    )
    return Client(local), local


def simulate_distributed(
    *,
    date: dt.date,
    population: Path | str,
    out: Path | str,
    cluster: str | None = None,
    workers: int | None = None,
    reform: Path | str | None = None,
    plan_dir: Path | str | None = None,
    batch_rows: int = run.BATCH_ROWS,
    on_batch: Callable[[int, int], None] | None = None,
    client=None,
) -> run.Simulation:
    """Run `simulate` on a Dask cluster: the address `cluster`, a local cluster of
    `workers` processes, or an open `client`. Writes what `run.simulate` writes.

    The population directory and `out` must be reachable from every worker under
    the same path (a shared filesystem; docs/DISTRIBUTED.md).
    """
    started = time.perf_counter()
    population, out = Path(population).resolve(), Path(out).resolve()
    persons_path, households_path = run.population_files(population)
    total = pq.ParquetFile(persons_path).metadata.num_rows
    batches = run.plan_batches(persons_path, batch_rows)
    plan_text = str(Path(plan_dir).resolve()) if plan_dir else None
    reform_text = str(Path(reform).resolve()) if reform else None
    if batches is None or len(batches) == 1:
        # Nothing to share out: one pass, as the single-process run does it.
        return run.simulate(
            date=date,
            population=population,
            out=out,
            reform=reform,
            plan=_plan(plan_text, None)[0],
            on_batch=on_batch,
            batch_rows=batch_rows,
        )
    out.mkdir(parents=True, exist_ok=True)
    parts = out / PARTS
    shutil.rmtree(parts, ignore_errors=True)
    parts.mkdir()
    own = None
    if client is None:
        client, own = connect(cluster, workers)
    try:
        results = _run_parts(
            client,
            batches,
            persons_path,
            households_path,
            parts,
            date,
            plan_text,
            reform_text,
            on_batch,
            total,
        )
    except CrossBatchError:
        shutil.rmtree(parts, ignore_errors=True)
        return run.simulate(
            date=date,
            population=population,
            out=out,
            reform=reform,
            plan=_plan(plan_text, None)[0],
            on_batch=on_batch,
            batch_rows=batch_rows,
        )
    finally:
        if own is not None:
            client.close()
            own.close()
    return _finish(
        results, parts, out, population, date, plan_text, reform_text, started
    )


class CrossBatchError(Exception):
    """A batch lacks a guardian its persons name: the run goes in one pass."""


def _run_parts(
    client,
    batches,
    persons_path,
    households_path,
    parts,
    date,
    plan_text,
    reform_text,
    on_batch,
    total,
) -> list[PartResult]:
    from distributed import as_completed

    futures = [
        client.submit(
            evaluate_part,
            number,
            batch,
            str(persons_path),
            str(households_path) if households_path else None,
            str(parts),
            date,
            plan_text,
            reform_text,
            # A task whose worker is lost is rescheduled by the scheduler
            # (distributed.scheduler.allowed-failures); its part is renamed in.
            key=f"simulate-part-{number}-{time.time_ns()}",
            pure=False,
        )
        for number, batch in enumerate(batches)
    ]
    results: dict[int, PartResult] = {}
    done = 0
    try:
        for future in as_completed(futures):
            result = future.result()
            if result is None:
                raise CrossBatchError
            results[result.number] = result
            done += result.persons
            if on_batch is not None:
                on_batch(done, total)
    finally:
        client.cancel(futures)
    return [results[number] for number in range(len(batches))]


def _finish(
    results: list[PartResult],
    parts: Path,
    out: Path,
    population: Path,
    date: dt.date,
    plan_text: str | None,
    reform_text: str | None,
    started: float,
) -> run.Simulation:
    sides = _plan(plan_text, reform_text)
    count = len(results)
    files = {
        "persons": out / run.PERSONS_FILE,
        "households": out / run.HOUSEHOLDS_FILE,
        "costs": out / "costs.parquet",
        "costs_csv": out / "costs.csv",
        "summary": out / "summary.json",
    }
    if len(sides) == 2:
        files["reform_persons"] = out / f"reform_{run.PERSONS_FILE}"
        files["reform_households"] = out / f"reform_{run.HOUSEHOLDS_FILE}"
    for side in range(len(sides)):
        prefix = "reform_" if side else ""
        _join_parts(parts, side, "persons", count, files[f"{prefix}persons"])
        _join_parts(parts, side, "households", count, files[f"{prefix}households"])
    shutil.rmtree(parts, ignore_errors=True)
    side_tables = [
        tables.table(
            tables.combine([result.person_cells[side] for result in results]),
            tables.combine([result.household_cells[side] for result in results]),
            plan,
            date,
        )
        for side, plan in enumerate(sides)
    ]
    table = tables.compare(*side_tables) if len(side_tables) == 2 else side_tables[0]
    tables.write(table, files["costs"], files["costs_csv"])
    result = run.Simulation(
        date=date,
        population=population,
        out=out,
        persons=sum(part.persons for part in results),
        households=sum(part.households for part in results),
        batches=count,
        seconds=time.perf_counter() - started,
        table=table,
        files=files,
        reform=load_reform(reform_text).name if reform_text else None,
        notes=[f"evaluated on a Dask cluster in {count} tasks"],
        programmes=programmes(sides[0]),
    )
    files["summary"].write_text(
        json.dumps(run.summary(result), ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8",
    )
    return result
