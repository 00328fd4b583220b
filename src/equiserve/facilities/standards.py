"""The plan's facility standards and the parameters they read, on a given day.

Values come from the policy engine's parameter files under
`plans/zhongshan_2014/parameters/facilities/` (effective-dated, each with its
clause, status and reference); nothing here hard-codes a figure.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

PREFIX = "facilities."


@dataclass(frozen=True)
class Standard:
    """One checkable standard: what it measures, where, and which parameters it reads."""

    id: str
    clause: str
    level: str  # facility | village | natural_village | town | city
    unit: str
    label: str
    parameters: tuple[str, ...]


STANDARDS: tuple[Standard, ...] = (
    Standard(
        "culture.indoor_area_per_10000",
        "3.2.2",
        "town",
        "m²",
        _("Indoor culture floor area per 10,000 people"),
        ("culture.indoor_area_per_10000", "culture.population_basis"),
    ),
    Standard(
        "culture.town_centre_area",
        "3.2.2",
        "facility",
        "m²",
        _("Town culture centre floor area"),
        ("culture.town_centre_min_floor_area",),
    ),
    Standard(
        "culture.town_centre_free",
        "3.2.2",
        "facility",
        "items",
        _("Town culture centre open free, with regular free activities"),
        ("culture.town_centre_min_free_activities",),
    ),
    Standard(
        "culture.town_library",
        "3.2.2",
        "facility",
        "items",
        _("Town library: computerized, union catalogue, borrow anywhere, 24-hour"),
        ("culture.town_library_checklist",),
    ),
    Standard(
        "culture.town_plaza_area",
        "3.2.2",
        "facility",
        "m²",
        _("Town culture plaza area"),
        ("culture.town_plaza_min_area",),
    ),
    Standard(
        "culture.town_plaza_equipment",
        "3.2.2",
        "facility",
        "items",
        _("Town culture plaza: stage, dressing room, lighting, sound"),
        ("culture.town_plaza_checklist",),
    ),
    Standard(
        "culture.village_room_area",
        "3.2.2",
        "village",
        "m²",
        _("Village culture room indoor floor area"),
        ("culture.village_room_min_floor_area",),
    ),
    Standard(
        "culture.village_plaza_area",
        "3.2.2",
        "village",
        "m²",
        _("Village culture plaza area (courts and fitness grounds included)"),
        ("culture.village_plaza_min_area", "culture.village_plaza_kinds"),
    ),
    Standard(
        "culture.e_reading_room",
        "3.2.1",
        "village",
        "items",
        _("Public e-reading room in the village culture room"),
        ("culture.e_reading_room_required",),
    ),
    Standard(
        "culture.equipment_renewal",
        "3.2.2",
        "facility",
        "years",
        _("Culture equipment renewed regularly"),
        ("culture.equipment_renewal_max_years",),
    ),
    Standard(
        "sports.natural_village_courts",
        "3.6.1",
        "natural_village",
        "courts",
        _("Standard basketball court in every natural village"),
        ("sports.natural_village_courts",),
    ),
    Standard(
        "sports.natural_village_tables",
        "3.6.1",
        "natural_village",
        "tables",
        _("Two outdoor table-tennis tables in every natural village"),
        ("sports.natural_village_tables",),
    ),
    Standard(
        "sports.station_instructors",
        "3.6.2",
        "facility",
        "instructors",
        _("Guidance station with at least two instructors"),
        ("sports.station_min_instructors",),
    ),
    Standard(
        "sports.station_checklist",
        "3.6.2",
        "facility",
        "items",
        _("Guidance station: four haves, four fixed"),
        ("sports.station_checklist",),
    ),
    Standard(
        "schools.senior_high_city_managed",
        "3.1.3",
        "facility",
        "items",
        _("General senior high school under city management"),
        ("schools.senior_high_city_managed",),
    ),
    Standard(
        "disability.kangyuan_station",
        "3.9",
        "town",
        "stations",
        _("Kangyuan work-therapy station in every town"),
        ("disability.kangyuan_station_per_town",),
    ),
    Standard(
        "disability.five_ones",
        "3.9",
        "city",
        "items",
        _("The 'five ones' and the comprehensive service centre"),
        ("disability.five_ones",),
    ),
)
STANDARDS_BY_ID = {standard.id: standard for standard in STANDARDS}


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

    Read through the policy engine (`load_plan`, checked and cached once per
    process); `overrides` ({full name: {period: value}}) are the engine's
    what-if values.
    """
    from equiserve.policy import load_plan

    plan = load_plan(Path(settings.EQUISERVE_PLAN_DIR))
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
