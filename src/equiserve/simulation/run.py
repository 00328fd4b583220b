"""Evaluate a whole population from Parquet, batch by batch, and sink the results.

The persons file is read in batches of whole households: Parquet row groups whose
household ids do not overlap (the synthetic population writes one row group per
town, in household order), joined until a batch holds about `BATCH_ROWS` persons.
Each batch is evaluated with the households in its id range and written at once,
so memory is bounded by the largest batch, not the city. A batch must hold every
guardian its persons name; if one does not (or the row groups' household ids
overlap), the run evaluates the file in one pass instead, which is right for any
file but holds it all in memory.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from equiserve.policy.plan import Plan, Reform, load_plan, load_reform
from equiserve.simulation import tables
from equiserve.simulation.programmes import Programme, programmes

PERSONS_FILE = "persons.parquet"
HOUSEHOLDS_FILE = "households.parquet"
# Persons per batch: large enough that Polars' per-query cost is small, small
# enough that a batch and its results stay in a few hundred megabytes.
BATCH_ROWS = 600_000
# Input columns carried into the per-person results.
KEEP = ("household", "town", "hukou")
UNIQUE_COLUMNS = ("id", "household")


class PopulationError(ValueError):
    """A population directory that cannot be read."""


@dataclass(frozen=True)
class Batch:
    """Rows [offset, offset + rows) of the persons file, and its households' id range."""

    offset: int
    rows: int
    lower: str | None  # households with lower <= id < upper (None: unbounded)
    upper: str | None


@dataclass
class Simulation:
    """What a population run wrote, with its cost and coverage table."""

    date: dt.date
    population: Path
    out: Path
    persons: int
    households: int
    batches: int
    seconds: float
    table: pl.DataFrame
    files: dict[str, Path]
    reform: str | None = None
    notes: list[str] = field(default_factory=list)
    programmes: tuple[Programme, ...] = ()  # the plan's costed programmes


class CrossBatch(Exception):
    """A person names a guardian outside their batch: evaluate in one pass instead."""


def population_files(directory: Path) -> tuple[Path, Path | None]:
    """Return the persons file and the households file (None if absent) of a directory."""
    directory = Path(directory)
    persons = directory / PERSONS_FILE
    if not persons.is_file():
        raise PopulationError(f"{persons} not found (write one with `equiserve synth`)")
    households = directory / HOUSEHOLDS_FILE
    return persons, households if households.is_file() else None


def whole(persons: Path) -> list[Batch]:
    """Return the one batch of the whole persons file."""
    return [Batch(0, pq.ParquetFile(persons).metadata.num_rows, None, None)]


def plan_batches(persons: Path, target: int = BATCH_ROWS) -> list[Batch] | None:
    """Return batches of whole households, or None if row groups overlap in households.

    Uses the row groups' min/max statistics of the household column; a row group
    without them (all null households) joins the batch before it.
    """
    meta = pq.ParquetFile(persons).metadata
    names = [meta.schema.column(i).path for i in range(meta.num_columns)]
    if "household" not in names:
        return [Batch(0, meta.num_rows, None, None)]
    index = names.index("household")
    groups: list[tuple[int, str | None, str | None]] = []
    for number in range(meta.num_row_groups):
        group = meta.row_group(number)
        stats = group.column(index).statistics
        if stats is None or not stats.has_min_max:
            if stats is None or stats.null_count != group.num_rows:
                return None  # no statistics: cannot tell where households lie
            groups.append((group.num_rows, None, None))
        else:
            groups.append((group.num_rows, stats.min, stats.max))
    ranges = [(low, high) for _, low, high in groups if low is not None]
    if any(a[1] >= b[0] for a, b in zip(ranges, ranges[1:], strict=False)):
        return None
    batches: list[list[Any]] = []  # [offset, rows, lowest household]
    offset = 0
    for rows, low, _ in groups:
        if batches and (batches[-1][1] < target or low is None):
            batches[-1][1] += rows
            if batches[-1][2] is None:
                batches[-1][2] = low
        else:
            batches.append([offset, rows, low])
        offset += rows
    lows = [low for _, _, low in batches]
    return [
        Batch(
            offset=start,
            rows=rows,
            lower=None if number == 0 else lows[number],
            upper=lows[number + 1] if number + 1 < len(batches) else None,
        )
        for number, (start, rows, _) in enumerate(batches)
    ]


def _input_columns(
    plan: Plan,
    path: Path,
    entity: str,
    keep: tuple[str, ...],
    needed: set[str] | None,
) -> list[str]:
    """Return the file's columns holding the inputs `needed` (all when None), and `keep`.

    An input is read from its flat column (``veteran_kind``) or its nested one
    (``veteran``), whichever the file has.
    """
    present = set(pq.read_schema(path).names)
    wanted = []
    for item in plan.inputs.of(entity):
        if needed is not None and item.column not in needed:
            continue
        wanted.append(item.column if item.column in present else item.path[0])
    return [name for name in dict.fromkeys([*wanted, *keep]) if name in present]


def needed_inputs(plans: list[Plan], date: dt.date) -> dict[str, set[str]]:
    """Return, per entity, the input columns the plans' rules read on `date`."""
    return {
        entity: {
            column
            for plan in plans
            for column in plan.compile(date).input_columns(None, entity)
        }
        for entity in ("person", "household")
    }


def read_batches(
    plan: Plan,
    persons_path: Path,
    households_path: Path | None,
    batches: list[Batch],
    *,
    check: bool = True,
    needed: dict[str, set[str]] | None = None,
) -> Iterator[tuple[pl.DataFrame, pl.DataFrame | None]]:
    """Yield each batch's persons and households (input columns only).

    `needed` limits the columns read (see `needed_inputs`). With `check`, raise
    CrossBatch when a batch lacks a guardian its persons name.
    """
    needed = needed or {}
    person_columns = _input_columns(
        plan, persons_path, "person", KEEP, needed.get("person")
    )
    household_columns = (
        _input_columns(
            plan, households_path, "household", ("town",), needed.get("household")
        )
        if households_path
        else []
    )
    for batch in batches:
        persons = (
            pl.scan_parquet(persons_path)
            .slice(batch.offset, batch.rows)
            .select(person_columns)
            .collect()
        )
        if check and len(batches) > 1:
            check_guardians(persons)
        households = None
        if households_path is not None:
            scan = pl.scan_parquet(households_path)
            if batch.lower is not None:
                scan = scan.filter(pl.col("id") >= batch.lower)
            if batch.upper is not None:
                scan = scan.filter(pl.col("id") < batch.upper)
            households = scan.select(household_columns).collect()
        yield persons, households


def check_guardians(persons: pl.DataFrame) -> None:
    """Raise CrossBatch when a person names a guardian missing from `persons`."""
    if "guardian" not in persons.columns:
        return
    named = persons.get_column("guardian").drop_nulls().unique()
    if not named.len():
        return
    # Hash the few guardians named and probe the batch's ids, not the reverse:
    # about three times faster on a batch of 600,000 persons (issue 20).
    ids = persons.get_column("id")
    if ids.filter(ids.is_in(named.implode())).n_unique() != named.len():
        raise CrossBatch


class _Sink:
    """Append each batch's results to one Parquet file (one row group a batch).

    Writing runs on one background thread, so a batch is compressed and written
    while the next is evaluated; at most `PENDING` batches wait, bounding memory.
    """

    PENDING = 2

    def __init__(self, path: Path, pool: ThreadPoolExecutor):
        self.path = path
        self.pool = pool
        self.writer: pq.ParquetWriter | None = None
        self.pending: list[Future] = []

    def _write(self, table: pa.Table) -> None:
        if self.writer is None:
            # Ids are unique: trying a dictionary for them only costs time.
            dictionary = [c for c in table.column_names if c not in UNIQUE_COLUMNS]
            self.writer = pq.ParquetWriter(
                self.path,
                table.schema,
                compression="zstd",
                use_dictionary=dictionary,
            )
        self.writer.write_table(table)

    def write(self, frame: pl.DataFrame) -> None:
        while len(self.pending) >= self.PENDING:
            self.pending.pop(0).result()
        self.pending.append(self.pool.submit(self._write, frame.to_arrow()))

    def close(self) -> None:
        try:
            for future in self.pending:
                future.result()
        finally:
            self.pending = []
            if self.writer is not None:
                self.writer.close()
                self.writer = None
            elif self.path.exists():
                self.path.unlink()


@dataclass
class _Side:
    """One side of a run (baseline or reform): its plan, sinks and running totals."""

    plan: Plan
    persons: _Sink
    households: _Sink
    person_cells: list[pl.DataFrame] = field(default_factory=list)
    household_cells: list[pl.DataFrame] = field(default_factory=list)

    def close(self) -> None:
        self.persons.close()
        self.households.close()


def evaluate_batch(
    plan: Plan,
    persons: pl.DataFrame,
    households: pl.DataFrame | None,
    date: dt.date,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return the persons' and households' results of one batch, with their towns.

    A household's town is the households file's, else its first member's.
    """
    evaluation = plan.evaluate(persons, households, date=date, keep=KEEP)
    result_h = evaluation.households
    if households is not None and "town" in households.columns:
        if result_h.get_column("id").equals(households.get_column("id")):
            # The engine keeps the households' order: no join needed.
            return evaluation.persons, result_h.with_columns(
                households.get_column("town").cast(pl.String)
            )
        towns = households.select("id", pl.col("town").cast(pl.String))
    else:
        towns = (
            evaluation.persons.filter(pl.col("household").is_not_null())
            .group_by("household", maintain_order=True)
            .agg(pl.col("town").first().cast(pl.String))
            .rename({"household": "id"})
        )
    result_h = result_h.join(towns, on="id", how="left", maintain_order="left")
    return evaluation.persons, result_h


def _evaluate_batch(
    side: _Side,
    persons: pl.DataFrame,
    households: pl.DataFrame | None,
    date: dt.date,
) -> int:
    result_p, result_h = evaluate_batch(side.plan, persons, households, date)
    side.persons.write(result_p)
    side.households.write(result_h)
    side.person_cells.append(tables.cells(result_p, "person", side.plan, date))
    side.household_cells.append(tables.cells(result_h, "household", side.plan, date))
    return result_h.height


def simulate(
    *,
    date: dt.date,
    population: Path | str,
    out: Path | str,
    reform: Reform | Path | str | None = None,
    plan: Plan | None = None,
    on_batch: Callable[[int, int], None] | None = None,
    batch_rows: int = BATCH_ROWS,
) -> Simulation:
    """Evaluate every person and household of `population` on `date`; write the results.

    Writes to `out`: persons.parquet and households.parquet (ids, town,
    registration and every output; money in integer fen), with a reform also
    reform_persons.parquet and reform_households.parquet, and the cost and
    coverage table costs.parquet / costs.csv (see `tables.table`) and
    summary.json. `on_batch(rows_done, rows_total)` is called after each batch.
    """
    started = time.perf_counter()
    plan = plan or load_plan()
    population, out = Path(population), Path(out)
    persons_path, households_path = population_files(population)
    total = pq.ParquetFile(persons_path).metadata.num_rows
    out.mkdir(parents=True, exist_ok=True)
    reformed = None
    if reform is not None:
        reform = reform if isinstance(reform, Reform) else load_reform(reform)
        reformed = plan.with_reform(reform)
    notes: list[str] = []
    batches = plan_batches(persons_path, batch_rows)
    if batches is None:
        notes.append(
            "the persons file's row groups overlap in households: evaluated in one pass"
        )
        batches = whole(persons_path)
    try:
        sides, households = _run(
            plan,
            reformed,
            persons_path,
            households_path,
            batches,
            out,
            date,
            on_batch,
            total,
        )
    except CrossBatch:
        notes.append(
            "a guardian lives outside their ward's batch: evaluated in one pass"
        )
        batches = whole(persons_path)
        sides, households = _run(
            plan,
            reformed,
            persons_path,
            households_path,
            batches,
            out,
            date,
            on_batch,
            total,
        )
    baseline = tables.table(
        tables.combine(sides[0].person_cells),
        tables.combine(sides[0].household_cells),
        plan,
        date,
    )
    if len(sides) == 2:
        changed = tables.table(
            tables.combine(sides[1].person_cells),
            tables.combine(sides[1].household_cells),
            sides[1].plan,
            date,
        )
        table = tables.compare(baseline, changed)
    else:
        table = baseline
    files = {
        "persons": out / PERSONS_FILE,
        "households": out / HOUSEHOLDS_FILE,
        "costs": out / "costs.parquet",
        "costs_csv": out / "costs.csv",
        "summary": out / "summary.json",
    }
    if reformed is not None:
        files["reform_persons"] = out / f"reform_{PERSONS_FILE}"
        files["reform_households"] = out / f"reform_{HOUSEHOLDS_FILE}"
    tables.write(table, files["costs"], files["costs_csv"])
    result = Simulation(
        date=date,
        population=population,
        out=out,
        persons=total,
        households=households,
        batches=len(batches),
        seconds=time.perf_counter() - started,
        table=table,
        files=files,
        reform=reform.name if reform is not None else None,
        notes=notes,
        programmes=programmes(plan),
    )
    files["summary"].write_text(
        json.dumps(summary(result), ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8",
    )
    return result


def _run(
    plan: Plan,
    reformed: Plan | None,
    persons_path: Path,
    households_path: Path | None,
    batches: list[Batch],
    out: Path,
    date: dt.date,
    on_batch: Callable[[int, int], None] | None,
    total: int,
) -> tuple[list[_Side], int]:
    # One writer thread: Parquet files are written in batch order.
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="simulate-writer")
    sides = [
        _Side(
            plan,
            _Sink(out / PERSONS_FILE, pool),
            _Sink(out / HOUSEHOLDS_FILE, pool),
        ),
    ]
    if reformed is not None:
        sides.append(
            _Side(
                reformed,
                _Sink(out / f"reform_{PERSONS_FILE}", pool),
                _Sink(out / f"reform_{HOUSEHOLDS_FILE}", pool),
            )
        )
    done = households = 0
    try:
        needed = needed_inputs([side.plan for side in sides], date)
        for persons, households_frame in read_batches(
            plan, persons_path, households_path, batches, needed=needed
        ):
            for number, side in enumerate(sides):
                count = _evaluate_batch(side, persons, households_frame, date)
                if number == 0:
                    households += count
            done += persons.height
            if on_batch is not None:
                on_batch(done, total)
    finally:
        try:
            for side in sides:
                side.close()
        finally:
            pool.shutdown()
    return sides, households


def summary(result: Simulation) -> dict[str, Any]:
    """Return the run's summary: inputs, counts, notes and city totals per programme."""
    table = result.table
    compared = "eligible_reform" in table.columns
    totals = []
    for item in result.programmes:
        rows = table.filter(pl.col("programme") == item.name)
        entry: dict[str, Any] = {
            "programme": item.name,
            "clause": item.clause,
            "unit": item.unit,
            "basis": item.basis,
        }
        suffixes = ("_baseline", "_reform", "_difference") if compared else ("",)
        for suffix in suffixes:
            entry[f"eligible{suffix}"] = int(rows[f"eligible{suffix}"].sum())
            entry[f"undetermined{suffix}"] = int(rows[f"undetermined{suffix}"].sum())
            entry[f"cost{suffix}"] = str(tables.total_cost(rows[f"cost{suffix}"]))
        totals.append(entry)
    return {
        "date": result.date.isoformat(),
        "population": str(result.population),
        "reform": result.reform,
        "persons": result.persons,
        "households": result.households,
        "batches": result.batches,
        "seconds": round(result.seconds, 3),
        "money": "CNY; per-person files hold money in integer fen",
        "difference": "reform − baseline" if compared else None,
        "notes": result.notes,
        "totals": totals,
        "files": {name: str(path) for name, path in result.files.items()},
    }
