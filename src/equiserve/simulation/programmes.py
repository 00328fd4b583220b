"""The plan's programmes as population runs count them: who is covered, what it costs.

A programme is one service of the plan: the output that says who is eligible, the
clause and the department that runs it, and how one eligible person (or household)
is costed. Costs are integer fen throughout:

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


def _column(name: str) -> Callable[[int, Mapping[str, Parameter]], pl.Expr]:
    return lambda year, parameters: pl.col(name)


def _reward_birthday(year: int, parameters: Mapping[str, Parameter]) -> pl.Expr:
    """Return the day in `year` a person reaches the reward age (29 Feb → 1 Mar).

    The age rule (rules/common.py) lets a year pass for a 29 February birthday on
    1 March, so the reward falls due then in a common year.
    """
    entry = parameters["family_planning.reward_minimum_age"].at(dt.date(year, 7, 1))
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
    amount: str | None = None  # a money output (fen) that is the cost itself
    unit_cost: str | None = None  # parameter: cost of one eligible unit
    per: tuple[tuple[str, str], ...] = ()  # (count output, parameter per unit)
    take_up: str | None = None  # parameter: share of the eligible served
    quota: str | None = None  # yearly series capping migrant households (budget)
    # For event programmes: the day of the event, an expression on the engine's
    # flat input columns, given the year and the parameters.
    event: Callable[[int, Mapping[str, Parameter]], pl.Expr] | None = None

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


PROGRAMMES: tuple[Programme, ...] = (
    Programme(
        name="preschool_subsidy",
        clause="3.1.1",
        entity="person",
        eligible="preschool_subsidy_eligible",
        owner="education",
        basis="annual",
        label={"zh": "学前教育资助", "en": "Preschool education subsidy"},
        unit_cost="costs.preschool_subsidy_per_child_year",
    ),
    Programme(
        name="vocational_tuition",
        clause="3.1.2",
        entity="person",
        eligible="vocational_tuition_free",
        owner="education",
        basis="annual",
        label={"zh": "中等职业教育免学费", "en": "Free secondary vocational tuition"},
        unit_cost="costs.vocational_tuition_per_student_year",
    ),
    Programme(
        name="t1d_free_care",
        clause="3.3.2",
        entity="person",
        eligible="t1d_free_care_eligible",
        owner="health",
        basis="annual",
        label={"zh": "1型糖尿病免费基本治疗", "en": "Free type-1 diabetes care"},
        unit_cost="costs.t1d_care_per_patient_year",
    ),
    Programme(
        name="family_planning_reward",
        clause="3.3.3",
        entity="person",
        eligible="family_planning_reward_eligible",
        owner="health",
        basis="event",
        label={"zh": "计划生育奖励", "en": "Family-planning reward"},
        amount="family_planning_reward",
        event=_reward_birthday,
    ),
    Programme(
        name="prepregnancy_check",
        clause="3.3.4",
        entity="person",
        eligible="prepregnancy_check_free",
        owner="health",
        basis="annual",
        label={"zh": "免费孕前优生健康检查", "en": "Free pre-pregnancy health check"},
        unit_cost="costs.prepregnancy_check_per_person",
        take_up="costs.prepregnancy_check_take_up",
    ),
    Programme(
        name="hardship_relief",
        clause="3.4.1",
        entity="person",
        eligible="hardship_relief_eligible",
        owner="civil-affairs",
        basis="event",
        label={"zh": "非本市户籍人员临时困难救助", "en": "Temporary hardship relief"},
        unit_cost="costs.hardship_relief_per_case",
        event=_column("hardship_date"),
    ),
    Programme(
        name="student_insurance",
        clause="3.4.2",
        entity="person",
        eligible="student_insurance_eligible",
        owner="hr-social-security",
        basis="annual",
        label={
            "zh": "非本市户籍学生参加居民医保",
            "en": "Residents' medical insurance for non-registered pupils",
        },
        unit_cost="costs.student_insurance_subsidy_per_pupil_year",
    ),
    Programme(
        name="veteran_grant",
        clause="3.4.3",
        entity="person",
        eligible="veteran_grant_eligible",
        owner="civil-affairs",
        basis="event",
        label={
            "zh": "退役士兵自主就业一次性经济补助金",
            "en": "Veterans' one-time self-employment grant",
        },
        amount="veteran_grant",
        event=_column("veteran_discharged"),
    ),
    Programme(
        name="funeral",
        clause="3.5",
        entity="person",
        eligible="funeral_eligible",
        owner="civil-affairs",
        basis="event",
        label={"zh": "免费殡葬基本服务", "en": "Free basic funeral services"},
        unit_cost="costs.funeral_basic_services_per_case",
        per=(
            ("funeral_free_storage_days", "costs.funeral_body_storage_per_day"),
            ("funeral_free_ash_storage_years", "costs.funeral_ash_storage_per_year"),
        ),
        event=_column("death_date"),
    ),
    Programme(
        name="public_rental_housing",
        clause="3.8",
        entity="household",
        eligible="public_rental_housing_eligible",
        owner="housing",
        basis="annual",
        label={"zh": "公共租赁住房", "en": "Public rental housing"},
        unit_cost="costs.public_rental_housing_per_household_year",
        quota="housing.migrant_annual_quota",
    ),
)


def programmes(entity: str | None = None) -> tuple[Programme, ...]:
    """Return the programmes (of `entity` when given), in the plan's clause order."""
    return tuple(p for p in PROGRAMMES if entity is None or p.entity == entity)


def programme(name: str) -> Programme:
    for item in PROGRAMMES:
        if item.name == name:
            return item
    raise KeyError(f"unknown programme {name!r}")
