"""Named conditions an indicator term may use (`when:` in the indicator files).

Each is a small function of the period returning a Django `Q` over its model,
with a docstring that says the rule in one sentence and cites its clause. Limits
come from the rules engine's parameters on the period's last day, so a change of
limit is a new dated parameter value, never a change here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)

from equiserve.choices import codes_for


def parameter_on(name: str, day: dt.date):
    """Return a rules-engine parameter's value on `day` (None if not in force)."""
    from equiserve.rules import plan_gateway

    return plan_gateway.parameter_on(name, day)


def resident_on(day: dt.date) -> Q:
    """Return persons born, arrived and alive on `day`: the residents counted then."""
    return (
        Q(birth_date__lte=day)
        & (Q(resident_since__isnull=True) | Q(resident_since__lte=day))
        & (Q(death_date__isnull=True) | Q(death_date__gt=day))
    )


def years_before(day: dt.date, years: int) -> dt.date:
    """Return the day `years` before `day` (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


# -- persons -------------------------------------------------------------------


def registered(period) -> Q:
    """A person is registered when their hukou is in Zhongshan."""
    return Q(hukou="zhongshan")


def migrant(period) -> Q:
    """A migrant is registered elsewhere."""
    return Q(hukou="elsewhere")


def t1d_programme(period) -> Q:
    """Registered residents diagnosed with type-1 diabetes by the period's end at a hospital of the minimum grade or higher are in the programme (3.3.2)."""
    minimum = parameter_on("health.t1d_minimum_hospital_grade", period.end)
    # The grades, lowest first, are the plan's vocabulary (inputs.yaml).
    grades = codes_for("t1d_hospital_grade")
    grades = grades[grades.index(str(minimum or "2A")) :]
    return Q(
        hukou="zhongshan",
        health__t1d_diagnosed__lte=period.end,
        health__t1d_hospital_grade__in=grades,
    )


def died_in_period(period) -> Q:
    """Persons whose date of death falls in the period (3.5)."""
    return Q(death_date__gte=period.start, death_date__lte=period.end)


# -- households ----------------------------------------------------------------


def _members():
    from equiserve.registry.models import Person

    return Subquery(
        Person.objects.filter(household=OuterRef("pk"))
        .order_by()
        .values("household")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )


def registered_urban(period) -> Q:
    """A household is registered and urban when a member has an urban Zhongshan hukou (3.8)."""
    from equiserve.registry.models import Person

    return Q(
        Exists(
            Person.objects.filter(
                household=OuterRef("pk"), hukou="zhongshan", hukou_kind="urban"
            )
        )
    )


def housing_difficulty(period) -> Q:
    """A household is in housing difficulty when its floor area and income per person are within the housing-security limits (3.8; limits included, 以下 includes the number)."""
    area = Decimal(parameter_on("housing.floor_area_limit_per_person", period.end))
    income = Decimal(parameter_on("housing.income_limit_per_person_month", period.end))
    # A household without members has no size: the subquery is NULL and the
    # comparisons are not true, so it is not counted.
    members = _members()
    money = DecimalField(max_digits=16, decimal_places=2)
    return Q(
        floor_area_m2__lte=ExpressionWrapper(members * Value(area), output_field=money),
        annual_income__lte=ExpressionWrapper(
            members * Value(income * 12), output_field=money
        ),
    )


# The rules-engine parameters each condition reads (a count is redone only
# when one of them changes between periods).
PARAMETERS = {
    "t1d_programme": ("health.t1d_minimum_hospital_grade",),
    "housing_difficulty": (
        "housing.floor_area_limit_per_person",
        "housing.income_limit_per_person_month",
    ),
}

PREDICATES = {
    "persons": {
        "registered": registered,
        "migrant": migrant,
        "t1d_programme": t1d_programme,
        "died_in_period": died_in_period,
    },
    "households": {
        "registered_urban": registered_urban,
        "housing_difficulty": housing_difficulty,
    },
}
