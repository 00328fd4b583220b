"""The plan's facility standards and the parameters they read, on a given day.

The standards are the plan's own (`plan_standards`, read from
`plans/zhongshan_2014/standards/`). Values come from the policy engine's parameter files under
`plans/zhongshan_2014/parameters/facilities/` (effective-dated, each with its
clause, status and reference); nothing here hard-codes a figure.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

# The standards are the plan's (plans/zhongshan_2014/standards/*.yaml).
from equiserve.facilities.plan_standards import PREFIX as PREFIX
from equiserve.facilities.plan_standards import STANDARDS as STANDARDS
from equiserve.facilities.plan_standards import STANDARDS_BY_ID as STANDARDS_BY_ID
from equiserve.facilities.plan_standards import Standard as Standard


@dataclass(frozen=True)
class ParameterUse:
    """A parameter's value on a day, with where it comes from."""

    name: str
    value: object
    start: str
    status: str
    reference: str
    clause: str
    unit: str
    label: dict

    def as_dict(self) -> dict:
        value = self.value
        if isinstance(value, Decimal):
            value = float(value) if value != value.to_integral_value() else int(value)
        elif isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, dt.date):
            value = value.isoformat()
        return {
            "name": self.name,
            "value": value,
            "since": self.start,
            "status": self.status,
            "clause": self.clause,
            "unit": self.unit,
            "reference": self.reference,
        }


class ParametersMissing(LookupError):
    """A facilities parameter has no value on the day asked for."""


def facility_parameters(overrides: dict | None = None) -> dict:
    """Return the plan's facilities parameters (name without prefix → Parameter).

    Read through the policy engine (`plan_gateway.plan()`, checked and cached
    until the plan changes); `overrides` ({full name: {period: value}}) are the
    engine's what-if values.
    """
    from equiserve.rules import plan_gateway

    plan = plan_gateway.plan()
    parameters = plan.with_overrides(overrides) if overrides else plan.parameters
    return {
        name.removeprefix(PREFIX): parameter
        for name, parameter in parameters.items()
        if name.startswith(PREFIX)
    }


@dataclass(frozen=True)
class Standards:
    """The facilities parameters in force on `date`."""

    date: dt.date
    uses: dict[str, ParameterUse]

    def __getitem__(self, name: str):
        try:
            return self.uses[name].value
        except KeyError:
            raise ParametersMissing(
                f"parameter {PREFIX}{name} has no value on {self.date.isoformat()}"
            ) from None

    def get(self, name: str, default=None):
        use = self.uses.get(name)
        return default if use is None else use.value

    def number(self, name: str) -> Decimal:
        return Decimal(self[name])


def standards_at(date: dt.date) -> Standards:
    """Return every facilities parameter in force on `date` (absent ones are left out)."""
    uses = {}
    for name, parameter in facility_parameters().items():
        found = parameter.at(date)
        if found is None:
            continue
        uses[name] = ParameterUse(
            name=PREFIX + name,
            value=found.value,
            start=found.start_text,
            status=found.status,
            reference=found.reference,
            clause=parameter.clause,
            unit=parameter.unit,
            label=dict(parameter.label),
        )
    return Standards(date=date, uses=uses)
