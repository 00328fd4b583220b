"""Evaluate the plan's rules over the registry, as cases and the city run do (issue 13).

An indicator counting "people or households for whom a rule holds" names the
engine output (`rule:`); this module reads the registry in bulk into Polars
frames shaped like the engine's inputs on the period's last day, evaluates the
compiled plan once per (output, day), and returns each person's or household's
outcome: true, false, or null where a fact the rule needs is unknown (issue 12).
Null is never counted as true; sources report it apart.

The frames follow the evaluate contract's columns: a registry field of the same
name, the health record's t1d facts, the ids of household and guardian; a
nested object's presence (`t1d_given` …) is derived by the engine from its
fields, so a record with a hospital grade and no diagnosis date is a patient
whose diagnosis date is unknown. Facts the registry does not hold (the
household's size, a conscript's enlistment) stay unknown: the size is then the
members evaluated, as a case or a housing assessment counts it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import polars as pl
from django.db.models import Q

from equiserve.frames import query_frame
from equiserve.registry.models import Household, Person

OUTCOME = "outcome"

# Engine input column → registry path, where the names differ.
PERSON_PATHS = {
    "id": "pk",
    "household": "household_id",
    "guardian": "guardian_id",
    "town": "town_id",
    "t1d_diagnosed": "health__t1d_diagnosed",
    "t1d_hospital_grade": "health__t1d_hospital_grade",
}
HOUSEHOLD_PATHS = {"id": "pk", "town": "town_id"}
IDS = ("id", "household", "guardian")
MONEY = pl.Decimal(18, 2)


def _plan():
    from equiserve.rules import plan_gateway

    return plan_gateway.plan()


def alive_on(day: dt.date) -> Q:
    """Return persons born by `day` and not dead by it: the members a rule counts."""
    return Q(birth_date__lte=day) & (Q(death_date__isnull=True) | Q(death_date__gt=day))


def _fields(model) -> set[str]:
    return {field.name for field in model._meta.get_fields()} | {
        f"{field.name}_id" for field in model._meta.get_fields() if field.is_relation
    }


def _readable(entity: str, columns: list[str]) -> dict[str, str]:
    """Return {column: registry path} for the input columns the registry holds."""
    model, paths = (
        (Person, PERSON_PATHS) if entity == "person" else (Household, HOUSEHOLD_PATHS)
    )
    known = _fields(model)
    found = {}
    for column in columns:
        path = paths.get(column, column)
        if path == "pk" or path.split("__")[0] in known or path in known:
            found[column] = path
    return found


def _dtype(entity: str, column: str) -> pl.DataType:
    if column in IDS:
        return pl.Int64
    item = _plan().inputs.field(entity, column)
    kind = getattr(item, "type", "str")
    if kind == "money":
        return MONEY
    if kind == "number":
        return pl.Float64
    return _plan().inputs.columns(entity).get(column, pl.String)


def _frame(queryset, entity: str, columns: dict[str, str]) -> pl.DataFrame:
    """Read `columns` of `queryset` in one bulk query into a typed frame."""
    names = list(columns)
    schema = {name: _dtype(entity, name) for name in names}
    frame = query_frame(queryset.order_by(), columns, schema)
    # The registry stores "no value" of a text field as ""; the engine reads null.
    blanks = [
        pl.when(pl.col(name) == "").then(None).otherwise(pl.col(name)).alias(name)
        for name, dtype in schema.items()
        if dtype == pl.String
    ]
    ids = [pl.col(name).cast(pl.String) for name in names if name in IDS]
    return frame.with_columns(*blanks, *ids)


def evaluate(output: str, day: dt.date, towns: tuple[str, ...] | None = None):
    """Return {"pk": registry pk, OUTCOME: bool or null} of `output` on `day`."""
    return evaluate_days([output], [day], towns)[(output, day)]


def _needed(outputs, days) -> dict[str, set[str]]:
    """Return the input columns of each entity that `outputs` read on `days`."""
    plan = _plan()
    wanted = set(outputs)
    needed = {"person": {"birth_date", "death_date"}, "household": set()}
    for day in days:
        compiled = plan.compile(day)
        for entity in needed:
            needed[entity].update(compiled.input_columns(wanted, entity))
    return needed


def person_paths_read(output: str, days: Iterable[dt.date]) -> set[str]:
    """Return the registry paths of the person facts `output` reads on `days`.

    With the ids of household and guardian: who belongs together is a fact
    every rule over a household or a family reads.
    """
    columns = _needed([output], list(days))["person"] | {"household", "guardian"}
    return set(_readable("person", sorted(columns)).values())


def _read(entity, columns: set[str], towns, cache, also: set[str]) -> pl.DataFrame:
    """Return the registry frame of `entity` with `columns`, read once per `cache`.

    With a cache (one computation's memo), the first read takes `also` too (the
    columns of the other rules the computation will evaluate), so that the
    persons of a town or the city are read from the database once, not once
    per source that counts a rule (issue 13: a registry change's freshness).
    """
    model = Person if entity == "person" else Household
    key = ("engine frame", entity, towns)
    found = cache.get(key) if cache is not None else None
    if found is None or not columns <= found[0]:
        read = columns | also | (found[0] if found is not None else set())
        queryset = model.objects.all()
        if towns is not None:
            queryset = queryset.filter(town_id__in=towns)
        found = (read, _frame(queryset, entity, _readable(entity, sorted(read))))
        if cache is not None:
            cache[key] = found
    # The columns asked for, in the order a read of them alone gives.
    return found[1].select(list(_readable(entity, sorted(columns))))


def evaluate_days(
    outputs: list[str],
    days: list[dt.date],
    towns: tuple[str, ...] | None = None,
    *,
    cache: dict | None = None,
    also: Iterable[str] = (),
) -> dict[tuple[str, dt.date], pl.DataFrame]:
    """Return {(output, day): frame of "pk" and OUTCOME} for every output and day.

    The registry is read once for all days (the persons, and the households
    when an output is about them; of `towns` when given); each day then keeps
    the persons born by it (households: their members alive on it) and
    evaluates the outputs in one vectorized engine call per entity.

    `cache` (a computation's memo) keeps the frames read and the outcomes
    between calls; `also` names the other outputs it will ask for, whose
    columns the first read takes too.
    """
    plan = _plan()
    for output in outputs:
        if not is_output(output):
            raise KeyError(f"{output} is not an output of the plan")
    known = {} if cache is None else cache.setdefault(("engine outcomes", towns), {})
    outputs = [o for o in outputs if any((o, day) not in known for day in days)]
    if not outputs:
        return known
    needed = _needed(outputs, days)
    extra = _needed(sorted(set(also) - set(outputs)), days) if also else None
    frame_p = _read(
        "person",
        needed["person"],
        towns,
        cache,
        extra["person"] if extra else set(),
    )
    frame_h = None
    if any(entity_of(output) == "household" for output in outputs):
        frame_h = _read("household", needed["household"], towns, cache, set())
    found = known
    by_entity = {
        entity: [output for output in outputs if entity_of(output) == entity]
        for entity in ("person", "household")
    }
    for day in days:
        for entity, chosen in by_entity.items():
            if not chosen:
                continue
            # A person's rule decides on the person's own facts, death among
            # them (3.5); a household counts the members alive on the day.
            kept = pl.col("birth_date") <= day
            if entity == "household":
                kept &= pl.col("death_date").is_null() | (pl.col("death_date") > day)
            evaluation = plan.evaluate(
                frame_p.filter(kept), frame_h, date=day, outputs=chosen
            )
            result = evaluation.persons if entity == "person" else evaluation.households
            for output in chosen:
                found[(output, day)] = result.select(
                    pl.col("id").cast(pl.Int64).alias("pk"),
                    pl.col(output).alias(OUTCOME),
                )
    return found


# Where a computation's memo keeps the rules its terms name (`sources.collect`).
RULES = "engine rules"


def outcomes(request, outputs: list[str], days: list[dt.date]):
    """Return `evaluate_days` of one computation (`sources.Request`), which reads
    the registry once for every rule its terms name and evaluates each once."""
    return evaluate_days(
        outputs,
        days,
        request.towns,
        cache=request.memo,
        also=request.memo.get(RULES, ()),
    )


def prepare(days: Iterable[dt.date]) -> None:
    """Load the plan and compile its rules for `days` (the worker, at its start)."""
    plan = _plan()
    for day in days:
        plan.compile(day)


def entity_of(output: str) -> str:
    """Return "person" or "household": whom the output is about."""
    return _plan().variables[output].entity


def is_output(name: str) -> bool:
    """Return whether `name` is an output of the plan (a rule an indicator may count)."""
    variable = _plan().variables.get(name)
    return variable is not None and bool(variable.output)
