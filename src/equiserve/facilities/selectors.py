"""Read facilities, check them against the standards, measure the fitness circle.

`standards_check` and `fitness_circle` are the one source of the figures the
pages, the command line (`--json`) and the XLSX export show.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet

from equiserve.charts import against_target
from equiserve.facilities import compliance
from equiserve.facilities.circle import (
    CircleReport,
    KeptTallies,
    circle_reports,
    fitness_circle_report,
)
from equiserve.facilities.models import Facility
from equiserve.facilities.population import population_on
from equiserve.facilities.standards import STANDARDS, standards_at
from equiserve.geography.models import NaturalVillage, Town, Village

# The share of residents within the circle the plan asks for: none is set
# (plans/zhongshan_2014/indicators/3.6_sports.yaml, sports.fitness_circle).
CIRCLE_TARGET: float | None = None

FACILITY_FIELDS = [
    field.attname
    for field in Facility._meta.concrete_fields
    if field.attname not in ("id", "created_at", "updated_at")
]


def facility_list(
    *, town_codes: list[str] | None = None, kind: str | None = None
) -> QuerySet[Facility]:
    """Return facilities, of some towns and one kind if given, with their places."""
    facilities = Facility.objects.select_related("town", "village", "natural_village")
    if town_codes is not None:
        facilities = facilities.filter(town_id__in=town_codes)
    if kind:
        facilities = facilities.filter(kind=kind)
    return facilities.order_by("town_id", "kind", "code")


def facility_get(code: str) -> Facility:
    """Return the facility with this code; raise Facility.DoesNotExist."""
    return Facility.objects.select_related("town", "village", "natural_village").get(
        code=code
    )


@dataclass
class StandardsReport:
    """Findings on a day for some towns (all when `towns` is None)."""

    date: dt.date
    towns: list[str] | None
    population_basis: str
    population: dict[str, int | None]
    findings: list[compliance.Finding]
    summary: list[dict]
    parameters: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "date": self.date.isoformat(),
            "towns": self.towns,
            "population_basis": self.population_basis,
            "population": self.population,
            "summary": self.summary,
            "findings": [finding.as_dict() for finding in self.findings],
            "parameters": self.parameters,
        }


def _parameters_used(standards, names) -> list[dict]:
    return [standards.uses[name].as_dict() for name in names if name in standards.uses]


def standards_check(
    *, date: dt.date, town_codes: list[str] | None = None
) -> StandardsReport:
    """Check every standard on `date`, for some towns or the whole city."""
    standards = standards_at(date)
    towns = Town.objects.order_by("code")
    villages = Village.objects.order_by("code")
    natural_villages = NaturalVillage.objects.select_related("village").order_by("code")
    facilities = Facility.objects.order_by("code")
    if town_codes is not None:
        towns = towns.filter(code__in=town_codes)
        villages = villages.filter(town_id__in=town_codes)
        natural_villages = natural_villages.filter(village__town_id__in=town_codes)
        facilities = facilities.filter(town_id__in=town_codes)
    basis = str(standards["culture.population_basis"])
    population = population_on(date, basis, standards)
    town_places = [
        compliance.Place(code, code, name)
        for code, name in towns.values_list("code", "short_name_zh")
    ]
    estimates = {place.code: population.town(place.code) for place in town_places}
    findings = compliance.check(
        date=date,
        standards=standards,
        facilities=list(facilities.values(*FACILITY_FIELDS)),
        towns=town_places,
        villages=[
            compliance.Place(code, town, name)
            for code, town, name in villages.values_list("code", "town_id", "name_zh")
        ],
        natural_villages=[
            compliance.Place(code, town, name, parent)
            for code, parent, town, name in natural_villages.values_list(
                "code", "village_id", "village__town_id", "name_zh"
            )
        ],
        town_population=estimates,
        whole_city=town_codes is None,
    )
    names = sorted(
        {name for standard in STANDARDS for name in standard.parameters}
        | {f"population.city_{basis}"}
    )
    return StandardsReport(
        date=date,
        towns=town_codes,
        population_basis=basis,
        population=estimates,
        findings=findings,
        summary=compliance.summarize(findings),
        parameters=_parameters_used(standards, names),
    )


def fitness_circle(
    *, date: dt.date, town_codes: list[str] | None = None
) -> CircleReport:
    """Return the fitness circle on `date`; tables for some towns or the whole city."""
    return fitness_circle_report(
        date=date, standards=standards_at(date), towns=town_codes
    )


def fitness_circle_reports(
    *,
    dates: list[dt.date],
    town_codes: list[str] | None = None,
    kept: KeptTallies | None = None,
    changed: dict[str, int] | None = None,
    read_at: int = 0,
) -> dict[dt.date, CircleReport]:
    """Return the fitness circle on each of `dates`, without the villages' rows.

    The figures of `fitness_circle` for each day, from one read of the
    registry; with `kept` tallies, only the towns `changed` since are read
    (see `circle.circle_reports`).
    """
    return circle_reports(
        {date: standards_at(date) for date in dates},
        towns=town_codes,
        kept=kept,
        changed=changed,
        read_at=read_at,
    )


def circle_as_dict(report: CircleReport) -> dict:
    """Return a fitness-circle report as JSON-ready data."""
    standards = standards_at(report.date)
    names = [
        "fitness_circle.minutes",
        "fitness_circle.mode",
        "fitness_circle.walking_speed",
        "fitness_circle.cycling_speed",
        "fitness_circle.detour_factor",
        "fitness_circle.facility_kinds",
        "population.city_resident",
    ]
    return {
        "date": report.date.isoformat(),
        "minutes": report.minutes,
        "mode": report.mode,
        "speed_m_per_min": report.speed_m_per_min,
        "cutoff_m": report.cutoff_m,
        "method": report.method,
        "detour_factor": report.detour_factor,
        "network": report.network,
        "people_per_record": report.people_per_record,
        "facilities": report.facilities,
        "total": report.total,
        "by_town": report.tables["town"],
        "by_hukou": report.tables["hukou"],
        "by_age_band": report.tables["age_band"],
        "villages": report.villages,
        "parameters": _parameters_used(standards, names),
    }


PLAN_END = dt.date(2016, 12, 31)


def default_date(today: dt.date | None = None) -> dt.date:
    """Return the day checks default to: today, or the plan's last day if later."""
    today = today or dt.date.today()
    return min(today, PLAN_END)


def map_data(
    *, date: dt.date, town_codes: list[str] | None, circle: CircleReport
) -> dict:
    """Return what the map draws: town areas, the city outline, facilities, villages."""
    import shapely
    from shapely.geometry import mapping, shape

    towns = list(Town.objects.order_by("code"))
    shapes = [shape(town.area_geometry) for town in towns if town.area_geometry]
    outline = shapely.unary_union(shapes) if shapes else None
    shares = {row["town"]: row["share"] for row in circle.tables["town"]}
    # The map colours a town against the target, never by the size of its share
    # (issue 14, deliverable 7); the plan sets no coverage target for the circle
    # (indicator sports.fitness_circle), so towns are neutral and labelled.
    visible = set(town_codes) if town_codes is not None else None
    features = [
        {
            "type": "Feature",
            "properties": {
                "name": town.code,
                "label": town.short_name_zh,
                "share": shares.get(town.code),
                "status": against_target(shares.get(town.code), CIRCLE_TARGET),
            },
            "geometry": town.area_geometry,
        }
        for town in towns
        if town.area_geometry and (visible is None or town.code in visible)
    ]
    facilities = Facility.objects.exclude(opening_date__gt=date).order_by("code")
    if town_codes is not None:
        facilities = facilities.filter(town_id__in=town_codes)
    return {
        "date": date.isoformat(),
        "target": CIRCLE_TARGET,
        "towns": {"type": "FeatureCollection", "features": features},
        "outline": _rings(mapping(outline)) if outline is not None else [],
        "facilities": [
            [f.lon, f.lat, f.kind, f.name_zh, f.code]
            for f in facilities.only("lon", "lat", "kind", "name_zh", "code")
        ],
        "villages": [
            [v["lon"], v["lat"], v["share"], v["name"], v["village"]]
            for v in circle.villages
            if v["lon"] is not None
        ],
    }


def _rings(geometry: dict) -> list:
    """Return the exterior rings of a (Multi)Polygon mapping as lists of [lon, lat]."""
    polygons = (
        [geometry["coordinates"]]
        if geometry["type"] == "Polygon"
        else geometry.get("coordinates", [])
    )
    return [[list(point) for point in polygon[0]] for polygon in polygons]
