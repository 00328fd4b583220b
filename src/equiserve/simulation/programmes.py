"""The plan's programmes as population runs count them: who is covered, what it costs.

The programmes are the plan's (``programmes.yaml``, read by the policy engine, issue
11): this module adapts those with a ``budget`` to the names runs use and costs them,
stating no programme itself. Costs are integer fen throughout:

- a computed amount (the veterans' grant, the family-planning reward) is its own
  cost: the output itself, already in fen;
- a service has illustrative unit costs, parameters under ``costs.`` owned by its
  department (``plans/zhongshan_2014/parameters/costs/``): a cost per eligible unit,
  plus a cost per counted unit (free storage days × the cost of a day);
- a take-up share (the pre-pregnancy check) multiplies a cell's total, which is
  then rounded half up to the fen once.

`basis` says what a count means. ``annual``: a year of service to whoever is
eligible on the day (the cost is a year's cost). ``event``: a one-time benefit for
an event (discharge, death, hardship, reaching the reward age); a run on a day
counts every event the rules cover up to that day, the budget only the year's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import polars as pl

from equiserve.policy.parameters import Parameter, to_fen
from equiserve.policy.plan import Plan
from equiserve.policy.programmes import Programme as PlanProgramme


def _birthday_at_age(parameter: str):
    """Return the event day of a benefit due on the birthday reaching an age.

    The age is the parameter's value in force mid-year. The age rule
    (rules/common.py) lets a year pass for a 29 February birthday on 1 March, so
    the benefit falls due then in a common year.
    """

    def day(year: int, parameters: Mapping[str, Parameter]) -> pl.Expr:
        entry = parameters[parameter].at(dt.date(year, 7, 1))
        if entry is None:
            return pl.lit(None, dtype=pl.Date)
        age = int(entry.value)
        birth = pl.col("birth_date")
        leap_day = (birth.dt.month() == 2) & (birth.dt.day() == 29)
        reached = birth.dt.offset_by(f"{age}y")
        return (
            pl.when(birth.dt.year() + age != year)
            .then(None)
            .when(leap_day & (reached.dt.day() == 28))
            .then(reached.dt.offset_by("1d"))
            .otherwise(reached)
        )

    return day


def _column(name: str) -> Callable[[int, Mapping[str, Parameter]], pl.Expr]:
    return lambda year, parameters: pl.col(name)


@dataclass(frozen=True)
class Programme:
    """One service of the plan as a population run counts and costs it."""

    name: str
    clause: str
    entity: str  # person | household
    eligible: str  # the boolean output
    owner: str  # department (policy messages.yaml `departments`)
    basis: str  # annual | event
    label: Mapping[str, str]
    funding: tuple[str, ...] = ()  # city, town (clause 4.3)
    amount: str | None = None  # a money output (fen) that is the cost itself
    unit_cost: str | None = None  # parameter: cost of one eligible unit
    per: tuple[tuple[str, str], ...] = ()  # (count output, parameter per unit)
    take_up: str | None = None  # parameter: share of the eligible served
    quota: str | None = None  # yearly series capping migrant households (budget)
    # For event programmes: the day of the event, an expression on the engine's
    # flat input columns, given the year and the parameters.
    event: Callable[[int, Mapping[str, Parameter]], pl.Expr] | None = None

    @classmethod
    def of(cls, source: PlanProgramme) -> Programme:
        """Adapt a programme of the plan (programmes.yaml) with a `budget`."""
        budget = source.budget
        assert budget is not None
        event = None
        if budget.event_column:
            event = _column(budget.event_column)
        elif budget.event_birthday_at_age:
            event = _birthday_at_age(budget.event_birthday_at_age)
        return cls(
            name=source.code,
            clause=source.clause,
            entity=source.entity,
            eligible=source.eligible,
            owner=source.lead,
            basis=budget.basis,
            label=source.label,
            funding=budget.funding.sources,
            amount=source.amount,
            unit_cost=budget.unit_cost,
            per=budget.per,
            take_up=budget.take_up,
            quota=budget.quota,
            event=event,
        )

    @property
    def unit(self) -> str:
        return "households" if self.entity == "household" else "persons"

    def parameter_names(self) -> list[str]:
        names = [self.unit_cost, *(name for _, name in self.per), self.take_up]
        return [name for name in names if name]

    def costs(self, parameters: Mapping[str, Parameter], day: dt.date) -> UnitCosts:
        """Return the unit costs in force on `day` (None where a value is missing)."""

        def fen(name: str | None) -> int | None:
            if name is None:
                return 0
            entry = parameters[name].at(day)
            return None if entry is None else to_fen(entry.value)

        take_up = Fraction(1)
        if self.take_up:
            entry = parameters[self.take_up].at(day)
            take_up = None if entry is None else Fraction(Decimal(entry.value))
        return UnitCosts(
            unit=fen(self.unit_cost),
            per=tuple((column, fen(name)) for column, name in self.per),
            take_up=take_up,
        )

    def cost_expr(self, costs: UnitCosts) -> pl.Expr:
        """Return each row's cost in fen before take-up: 0 when not eligible.

        Null when eligible and the cost is unknown (a missing unit cost, or a
        computed amount the rules could not compute), never a silent 0.
        """
        total = pl.col(self.amount) if self.amount else pl.lit(0, dtype=pl.Int64)
        total = total + pl.lit(costs.unit, dtype=pl.Int64)
        for column, fen in costs.per:
            total = total + pl.col(column).cast(pl.Int64) * pl.lit(fen, dtype=pl.Int64)
        return pl.when(pl.col(self.eligible)).then(total).otherwise(0)


@dataclass(frozen=True)
class UnitCosts:
    """Unit costs of a programme on one day, in fen; take-up as a fraction."""

    unit: int | None
    per: tuple[tuple[str, int | None], ...]
    take_up: Fraction | None

    def apply_take_up(self, fen: int | None) -> int | None:
        """Return `fen` × take-up, rounded half up to the fen (None if unknown)."""
        if fen is None or self.take_up is None:
            return None
        return round_half_up(fen * self.take_up)


def round_half_up(value: Fraction | int) -> int:
    """Round a non-negative or negative exact value half away from zero to an int."""
    value = Fraction(value)
    sign = -1 if value < 0 else 1
    magnitude = abs(value)
    return sign * int((magnitude * 2 + 1) // 2)


def programmes(plan: Plan, entity: str | None = None) -> tuple[Programme, ...]:
    """Return the plan's costed programmes (of `entity` when given), in file order."""
    return tuple(
        Programme.of(item)
        for item in plan.programmes.values()
        if item.budget is not None and (entity is None or item.entity == entity)
    )


def programme(plan: Plan, name: str) -> Programme:
    """Return the costed programme `name` of `plan`; KeyError for an unknown one."""
    for item in programmes(plan):
        if item.name == name:
            return item
    raise KeyError(f"unknown programme {name!r}")
