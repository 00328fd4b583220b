"""The clause 4.3 cost estimate (经费测算): what each programme costs in a year.

Method, for year Y:

- **Annual programmes** (a year of service to whoever is eligible): the population
  is evaluated on 1 July of Y, the middle of the year, and each eligible person or
  household costs a year at the unit costs in force that day (× the take-up share
  where there is one).
- **One-time benefits** (veterans' grant, funeral services, hardship relief, the
  family-planning reward): only the events dated in Y count, each evaluated on its
  own day (discharge, death, hardship, the birthday reaching the reward age), at
  the amounts and unit costs in force that day.
- **Public rental housing** is annual, and migrant households are capped at the
  year's quota (``housing.migrant_annual_quota``, the plan's 总量控制) after scaling.
- **Scaling**: a synthetic population is a sample of the city; its figures are
  multiplied by the city's 2015 resident population ÷ the persons in the file
  (the population pictures the end of 2015, and is used as is for 2014 and 2016).
  Money is exact: a programme's fen are multiplied by take-up and the scale as
  fractions and rounded half up to the fen once.
- **No data**: a programme whose rule reads a fact the population file does not
  hold at all (the synthetic city records no one-child certificates), with no one
  in the file qualifying, is "no data", not 0 eligible and ¥0.00; the total is of
  the lines with data and names those it leaves out (issue 12, point 7).

Every unit cost is an illustrative parameter owned by its department
(``parameters/costs/``); the estimate is a demonstration, not the plan's figures.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow.parquet as pq

from equiserve.policy.inputs import ObjectField
from equiserve.policy.plan import Plan, load_plan
from equiserve.simulation import run, tables
from equiserve.simulation.programmes import Programme, programmes, round_half_up

DEFAULT_SCALE = 0.01
DEFAULT_SEED = 1


@dataclass
class BudgetLine:
    """One programme's estimate."""

    programme: Programme
    method: str  # annual | event
    eligible: int  # in the population file
    fen: int | None  # in the population file, after take-up (None if unknown)
    city_eligible: int  # scaled, rounded half up (capped by a quota)
    city_fen: int | None  # scaled, rounded half up once
    missing: int  # eligible units whose cost is unknown
    note: str = ""
    # In the file, undecided for a fact it does not hold: not counted (issue 12).
    undetermined: int = 0
    # Facts the rule needs that the population file does not hold at all, when no
    # one in it qualifies: the line is "no data", not a zero (issue 12, point 7).
    no_data: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        if self.no_data:
            return {
                "programme": self.programme.name,
                "clause": self.programme.clause,
                "department": self.programme.owner,
                "label": dict(self.programme.label),
                "funding": list(self.programme.funding),
                "method": self.method,
                "no_data": list(self.no_data),
                "eligible": None,
                "undetermined": self.undetermined,
                "cost": None,
                "city_eligible": None,
                "city_cost": None,
                "cost_missing": 0,
                "note": self.note,
            }
        return {
            "programme": self.programme.name,
            "clause": self.programme.clause,
            "department": self.programme.owner,
            "label": dict(self.programme.label),
            "funding": list(self.programme.funding),  # who pays: city, town
            "method": self.method,
            "eligible": self.eligible,
            "undetermined": self.undetermined,
            "cost": _cny(self.fen),
            "city_eligible": self.city_eligible,
            "city_cost": _cny(self.city_fen),
            "cost_missing": self.missing,
            "note": self.note,
        }


@dataclass
class Budget:
    """The estimate for one year."""

    year: int
    population: Path
    persons: int
    city_persons: int
    factor: Fraction  # city ÷ file
    generated: bool  # the population was generated for this run
    lines: list[BudgetLine] = field(default_factory=list)

    @property
    def total_fen(self) -> int | None:
        """Return the city total of the lines with data (None if one has no cost)."""
        values = [line.city_fen for line in self.lines if not line.no_data]
        return None if any(v is None for v in values) else sum(values)

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "clause": "4.3",
            "population": str(self.population),
            "persons": self.persons,
            "city_persons": self.city_persons,
            "scale_factor": str(self.factor),
            "scale_factor_decimal": float(self.factor),
            "generated": self.generated,
            "method": {
                "annual": f"evaluated on {self.year}-07-01; a year of service per "
                "eligible unit at the unit costs in force that day",
                "event": f"events dated in {self.year}, each evaluated on its day",
                "scaling": "population figures × city 2015 residents ÷ persons "
                "in the file, rounded half up to the fen once per programme",
                "status": "every unit cost is illustrative (parameters/costs/)",
            },
            "money": "CNY",
            "programmes": [line.as_dict() for line in self.lines],
            "city_total": _cny(self.total_fen),
            # The total leaves these out: the population holds no data for them.
            "no_data": [line.programme.name for line in self.lines if line.no_data],
        }


def _cny(fen: int | None) -> str | None:
    return None if fen is None else str(Decimal(fen).scaleb(-2))


def city_residents() -> int:
    """Return the city's 2015 resident population (reference city_figures.csv)."""
    from equiserve.synth.calibration import figure

    return int(figure("resident_pop_yearend", 2015))


def var_dir() -> Path:
    """Return the project's var/ directory, as settings.VAR_DIR finds it."""
    if path := os.environ.get("EQUISERVE_VAR"):
        return Path(path)
    home = os.environ.get("EQUISERVE_HOME")
    return (Path(home) if home else Path(__file__).resolve().parents[3]) / "var"


def default_population(
    *, scale: float = DEFAULT_SCALE, seed: int = DEFAULT_SEED, progress: bool = False
) -> tuple[Path, bool]:
    """Return the cached synthetic population in var/, generating it if absent.

    The second value says whether it was generated now.
    """
    directory = var_dir() / f"synth-{scale:g}-seed{seed}"
    if (directory / run.PERSONS_FILE).is_file() and (
        directory / run.HOUSEHOLDS_FILE
    ).is_file():
        return directory, False
    from equiserve.synth import synthesize

    synthesize(scale=scale, seed=seed, out_dir=directory, progress=progress)
    return directory, True


def _event_persons(
    plan: Plan,
    persons_path: Path,
    households_path: Path | None,
    year: int,
    events: list[Programme],
) -> pl.DataFrame:
    """Return the persons with an event in `year`, with `__event__<name>` date columns."""
    found = []
    # Persons are read alone (no household or guardian lookups): batches need
    # no closure, and the one-pass fallback is never needed here.
    batches = run.plan_batches(persons_path) or run.whole(persons_path)
    for persons, _ in run.read_batches(plan, persons_path, None, batches, check=False):
        flat = plan.inputs.normalize(persons, "person")
        dated = flat.with_columns(
            item.event(year, plan.parameters).alias(f"__event__{item.name}")
            for item in events
        )
        in_year = pl.any_horizontal(
            pl.col(f"__event__{item.name}").dt.year() == year for item in events
        ).fill_null(False)
        found.append(dated.filter(in_year).collect())
    return pl.concat(found) if found else pl.DataFrame()


def _event_lines(
    plan: Plan, people: pl.DataFrame, year: int, events: list[Programme]
) -> dict[str, tuple[int, int, int]]:
    """Return per event programme (eligible, fen, missing, undetermined), each on its day."""
    totals = {item.name: [0, 0, 0, 0] for item in events}
    if people.is_empty():
        return {name: tuple(value) for name, value in totals.items()}
    columns = [f"__event__{item.name}" for item in events]
    days = (
        people.select(columns)
        .unpivot(value_name="day")
        .select("day")
        .drop_nulls()
        .filter(pl.col("day").dt.year() == year)
        .unique()
        .sort("day")
        .get_column("day")
        .to_list()
    )
    inputs = [c for c in people.columns if not c.startswith("__event__")]
    outputs = {
        name
        for item in events
        for name in (item.eligible, item.amount, *(c for c, _ in item.per))
        if name
    }
    for day in days:
        on_day = people.filter(
            pl.any_horizontal(pl.col(c) == day for c in columns).fill_null(False)
        )
        evaluation = plan.evaluate(on_day.select(inputs), date=day, outputs=outputs)
        result = evaluation.persons.join(
            on_day.select("id", *columns), on="id", how="left"
        )
        for item in events:
            cost = item.cost_expr(item.costs(plan.parameters, day))
            mine = result.filter(pl.col(f"__event__{item.name}") == day)
            eligible = pl.col(item.eligible).fill_null(False)
            counts = mine.select(
                eligible.sum().cast(pl.Int64).alias("eligible"),
                cost.sum().cast(pl.Int64).alias("fen"),
                (eligible & cost.is_null()).sum().cast(pl.Int64).alias("missing"),
                pl.col(item.eligible).is_null().sum().cast(pl.Int64).alias("unknown"),
            ).row(0)
            for index, value in enumerate(counts):
                totals[item.name][index] += value or 0
    return {name: tuple(value) for name, value in totals.items()}


def _annual_cells(
    plan: Plan,
    persons_path: Path,
    households_path: Path | None,
    day: dt.date,
) -> tuple[pl.DataFrame | None, pl.DataFrame | None]:
    batches = run.plan_batches(persons_path) or run.whole(persons_path)
    try:
        return _cells(plan, persons_path, households_path, day, batches)
    except run.CrossBatch:
        return _cells(plan, persons_path, households_path, day, run.whole(persons_path))


def _cells(
    plan: Plan,
    persons_path: Path,
    households_path: Path | None,
    day: dt.date,
    batches: list[run.Batch],
) -> tuple[pl.DataFrame | None, pl.DataFrame | None]:
    person_cells, household_cells = [], []
    needed = run.needed_inputs([plan], day)
    for persons, households in run.read_batches(
        plan, persons_path, households_path, batches, needed=needed
    ):
        result_p, result_h = run.evaluate_batch(plan, persons, households, day)
        person_cells.append(tables.cells(result_p, "person", plan, day))
        household_cells.append(tables.cells(result_h, "household", plan, day))
    return tables.combine(person_cells), tables.combine(household_cells)


def _file_columns(*paths: Path | None) -> set[str]:
    """Return the column names of the population files (struct columns by name)."""
    names: set[str] = set()
    for path in paths:
        if path is not None:
            names.update(pq.ParquetFile(path).schema_arrow.names)
    return names


def _absent_facts(
    plan: Plan, item: Programme, day: dt.date, columns: set[str]
) -> tuple[str, ...]:
    """Return the facts `item`'s eligibility reads that the files do not hold at all.

    A nested object's fact is held when its struct column is (``veteran`` for
    ``veteran_kind``): a null struct is then "no such event", a fact the file does
    record. Ids are always held.
    """
    compiled = plan.compile(day)
    absent = []
    for entity in ("person", "household"):
        for column in compiled.input_columns({item.eligible}, entity):
            if column in columns or column in ("id", "household", "guardian"):
                continue
            found = plan.inputs.field(entity, column)
            if isinstance(found, ObjectField):
                held = found.name in columns or any(
                    f.column in columns for f in found.fields
                )
            elif found is not None and len(found.path) == 2:
                held = found.path[0] in columns
            else:
                held = False
            if not held:
                absent.append(
                    getattr(found, "json_name", None) or getattr(found, "name", column)
                )
    # An object's presence goes without saying beside one of its fields.
    return tuple(
        name
        for name in dict.fromkeys(absent)
        if not any(other.startswith(f"{name}.") for other in absent)
    )


def _no_data(
    plan: Plan, item: Programme, day: dt.date, columns: set[str], eligible: int
) -> tuple[str, tuple[str, ...]]:
    """Return (note, facts) when no one qualifies for want of facts the file lacks."""
    absent = _absent_facts(plan, item, day, columns)
    if eligible or not absent:
        return "", ()
    return (
        "no data: the population does not hold " + ", ".join(absent),
        absent,
    )


def _sum(frame: pl.DataFrame | None, column: str, **where: str) -> int:
    if frame is None:
        return 0
    for key, value in where.items():
        frame = frame.filter(pl.col(key) == value)
    return int(frame.get_column(column).sum() or 0)


def budget(
    year: int,
    population: Path | str | None = None,
    *,
    plan: Plan | None = None,
    scale: bool = True,
    progress: Callable[[str], None] | None = None,
) -> Budget:
    """Estimate each programme's cost in `year` (method in the module docstring).

    `population` is a directory with persons.parquet (and households.parquet);
    None uses (and if need be generates) var/synth-0.01-seed1. With `scale` the
    figures are scaled up to the city; without, they are the file's own.
    """
    plan = plan or load_plan()
    say = progress or (lambda message: None)
    generated = False
    if population is None:
        say("population: var/ cache (scale 0.01, seed 1)")
        population, generated = default_population()
    population = Path(population)
    persons_path, households_path = run.population_files(population)
    persons = pq.ParquetFile(persons_path).metadata.num_rows
    if persons == 0:
        raise run.PopulationError(f"{persons_path} holds no persons")
    city = city_residents() if scale else persons
    factor = Fraction(city, persons)
    mid_year = dt.date(year, 7, 1)

    say(f"annual programmes: evaluating {persons:,} persons on {mid_year}")
    person_cells, household_cells = _annual_cells(
        plan, persons_path, households_path, mid_year
    )
    events = [item for item in programmes(plan) if item.basis == "event"]
    say(f"one-time benefits: events dated in {year}")
    people = _event_persons(plan, persons_path, households_path, year, events)
    event_totals = _event_lines(plan, people, year, events)

    result = Budget(
        year=year,
        population=population,
        persons=persons,
        city_persons=city,
        factor=factor,
        generated=generated,
    )
    held = _file_columns(persons_path, households_path)
    for item in programmes(plan):
        if item.basis == "event":
            eligible, fen, missing, undetermined = event_totals[item.name]
            note, absent = _no_data(plan, item, mid_year, held, eligible)
            result.lines.append(
                BudgetLine(
                    programme=item,
                    method="event",
                    eligible=eligible,
                    fen=fen,
                    city_eligible=round_half_up(eligible * factor),
                    city_fen=round_half_up(fen * factor),
                    missing=missing,
                    undetermined=undetermined,
                    note=note,
                    no_data=absent,
                )
            )
            continue
        cells = person_cells if item.entity == "person" else household_cells
        costs = item.costs(plan.parameters, mid_year)
        eligible = _sum(cells, f"{item.name}:eligible")
        raw = _sum(cells, f"{item.name}:fen")
        missing = _sum(cells, f"{item.name}:missing")
        undetermined = _sum(cells, f"{item.name}:undetermined")
        fen = costs.apply_take_up(raw)
        note = ""
        if costs.take_up is None:
            city_eligible, city_fen = round_half_up(eligible * factor), None
        elif item.quota:
            city_eligible, city_fen, note = _capped(
                item, plan, cells, costs.unit, costs.take_up, factor, year
            )
        else:
            city_eligible = round_half_up(eligible * factor)
            city_fen = round_half_up(raw * costs.take_up * factor)
        no_data_note, absent = _no_data(plan, item, mid_year, held, eligible)
        result.lines.append(
            BudgetLine(
                programme=item,
                method="annual",
                eligible=eligible,
                fen=fen,
                city_eligible=city_eligible,
                city_fen=city_fen,
                missing=missing,
                note=no_data_note or note,
                undetermined=undetermined,
                no_data=absent,
            )
        )
    return result


def _capped(
    item: Programme,
    plan: Plan,
    cells: pl.DataFrame | None,
    unit: int | None,
    take_up: Fraction,
    factor: Fraction,
    year: int,
) -> tuple[int, int | None, str]:
    """Return city (eligible, fen, note) with migrant households capped at the quota."""
    name = f"{item.name}:eligible"
    others = sum(_sum(cells, name, group=group) for group in ("registered", "unknown"))
    other_fen = sum(
        _sum(cells, f"{item.name}:fen", group=group)
        for group in ("registered", "unknown")
    )
    migrants = Fraction(_sum(cells, name, group="migrant")) * factor
    quota = plan.parameters[item.quota].for_year(year)
    if quota is None:
        capped, note = migrants, f"no migrant quota for {year}: migrants not capped"
    else:
        capped = min(migrants, Fraction(int(quota.value)))
        note = (
            f"migrant households capped at the {year} quota of {int(quota.value):,} "
            f"({item.quota}); {round_half_up(migrants):,} eligible"
        )
    if unit is None:
        return round_half_up(others * factor + capped), None, note
    fen = round_half_up((other_fen * factor + capped * unit) * take_up)
    return round_half_up(others * factor + capped), fen, note
