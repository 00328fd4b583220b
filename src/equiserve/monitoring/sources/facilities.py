"""Count facility standards met, culture floor area and the fitness circle.

The figures come from the facilities app's own selectors (`standards_check`,
`fitness_circle`), so an indicator and the facilities pages never disagree.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Q, Sum

from equiserve.facilities.circle import KeptTallies
from equiserve.facilities.findings import MET
from equiserve.facilities.models import CULTURE_INDOOR_KINDS, Facility
from equiserve.facilities.selectors import fitness_circle_reports, standards_check
from equiserve.facilities.standards import STANDARDS_BY_ID
from equiserve.geography.models import NaturalVillage, Village
from equiserve.monitoring.definitions import CITY, HUKOU, TOWN, URBAN_RURAL
from equiserve.monitoring.sources import (
    CITY_PLACE,
    Atom,
    Key,
    Request,
    TermRef,
    add_atoms,
)
from equiserve.monitoring.sources.registry import groups_for, places


def _towns_arg(request: Request) -> list[str] | None:
    return None if request.towns is None else list(request.towns)


def _check(request: Request, period):
    return request.remember(
        ("standards_check", period.end),
        lambda: standards_check(date=period.end, town_codes=_towns_arg(request)),
    )


def _village_map(request: Request) -> tuple[dict[str, str], dict[str, str]]:
    """Return village → kind and natural village → village."""

    def load():
        kinds = dict(Village.objects.values_list("code", "kind"))
        parents = dict(NaturalVillage.objects.values_list("code", "village_id"))
        return kinds, parents

    return request.remember("village_map", load)


def _subject_village(finding, parents: dict[str, str]) -> str | None:
    level = STANDARDS_BY_ID[finding.standard].level
    if level == "village":
        return finding.subject
    if level == "natural_village":
        return parents.get(finding.subject)
    return None


def collect_standards(
    out: dict[Key, float], refs: list[TermRef], request: Request, definitions
) -> None:
    """Count findings met or checked, or subjects meeting every standard listed."""
    kinds, parents = _village_map(request)
    atoms = []
    for period in request.periods:
        findings = _check(request, period).findings
        for ref in refs:
            if period not in ref.periods:
                continue
            wanted = set(ref.term.options["standards"])
            count = ref.term.options["count"]
            subjects: dict[tuple[str, str], list] = defaultdict(list)
            for finding in findings:
                if finding.standard in wanted:
                    subjects[(finding.town, finding.subject)].append(finding)
            for (town, _subject), items in subjects.items():
                village = _subject_village(items[0], parents)
                group = ""
                if request.by == URBAN_RURAL:
                    kind = kinds.get(village or "")
                    group = {"community": "urban", "village": "rural"}.get(kind, "")
                if count == "met":
                    amount = sum(f.status == MET for f in items)
                elif count == "checked":
                    amount = len(items)
                elif count == "all_met":
                    amount = int(all(f.status == MET for f in items))
                else:  # subjects
                    amount = 1
                if amount:
                    atoms.append(Atom(ref, period, town, village, group, float(amount)))
    add_atoms(out, atoms, request)
    _zero_fill_facilities(out, refs, request, definitions)


def _zero_fill_facilities(out, refs, request, definitions) -> None:
    from equiserve.monitoring.sources import zero_fill

    zero_fill(out, refs, request, places(request), groups_for(request, definitions))


def _indoor_area(period, request: Request) -> dict[str, Decimal]:
    """Return each town's indoor culture floor area open on the period's last day."""
    facilities = Facility.objects.filter(kind__in=CULTURE_INDOOR_KINDS).filter(
        Q(opening_date__isnull=True) | Q(opening_date__lte=period.end)
    )
    if request.towns is not None:
        facilities = facilities.filter(town_id__in=request.towns)
    rows = facilities.values("town_id").annotate(area=Sum("indoor_area_m2"))
    return {row["town_id"]: row["area"] or Decimal(0) for row in rows}


def _population(period, request: Request) -> dict[str, int | None]:
    """Return each town's population as the standards check estimated it."""
    return _check(request, period).population


def collect_values(
    out: dict[Key, float], refs: list[TermRef], request: Request, definitions
) -> None:
    """Sum a figure of a standard: culture area and population, or actual/required."""
    atoms = []
    for period in request.periods:
        for ref in [ref for ref in refs if period in ref.periods]:
            field = ref.term.options["field"]
            standard = ref.term.options["standard"]
            if field in ("area", "population"):
                values = (
                    _indoor_area(period, request)
                    if field == "area"
                    else _population(period, request)
                )
                towns = places(request)[TOWN]
                for town in towns:
                    amount = values.get(town, 0)
                    if amount is None:
                        continue
                    atoms.append(Atom(ref, period, town, None, "", float(amount)))
                continue
            for finding in _check(request, period).findings:
                if finding.standard != standard:
                    continue
                amount = getattr(finding, field)
                if amount is None:
                    continue
                atoms.append(Atom(ref, period, finding.town, None, "", float(amount)))
    add_atoms(out, atoms, request)


# The monitoring worker keeps each town's fitness-circle tallies between runs,
# so that a registry change in one town rereads that town only (issue 13).
# Only a long-lived worker keeps them (`circle_tallies_keep`, called by
# `stored.worker_prepare`): they are trusted while `TownRegistryChange` says
# the town has not changed, which holds while every registry write marks the
# values it moves, as the worker's whole design assumes.
_kept: KeptTallies | None = None


def circle_tallies_keep() -> None:
    """Keep the fitness circle's tallies in this process from now on, each
    half-year's read now: the first change after a start then rereads its own
    town only."""
    from equiserve.monitoring.periods import PERIODS

    global _kept
    _kept = KeptTallies()
    _circle_reports_on([period.end for period in PERIODS], None)


def _circle(request: Request, period, towns: list[str] | None):
    """Return the circle on `period`'s last day, read with every period's."""
    key = ("circle", tuple(towns) if towns is not None else None)
    dates = sorted({period.end for period in request.periods})
    return request.remember(key, lambda: _circle_reports_on(dates, towns))[period.end]


def _circle_reports_on(dates, towns: list[str] | None):
    """Return the circle on each of `dates`, from one registry read."""
    from equiserve.monitoring.models import TownRegistryChange
    from equiserve.monitoring.stored import data_version

    # Both read before the persons: a change committed after them is newer
    # than the tallies read now, so they are read again next time.
    read_at = data_version()
    changed = dict(TownRegistryChange.objects.values_list("town", "version"))
    return fitness_circle_reports(
        dates=dates,
        town_codes=towns,
        kept=_kept,
        changed=changed,
        read_at=read_at,
    )


def collect_circle(
    out: dict[Key, float], refs: list[TermRef], request: Request, definitions
) -> None:
    """Count people within the fitness circle (scaled to the population) and all people."""
    column = {"covered": "people_covered", "people": "people"}
    for period in request.periods:
        counted = [ref for ref in refs if period in ref.periods]
        if not counted:
            continue
        report = _circle(request, period, _towns_arg(request))
        for ref in counted:
            name = column[ref.term.options["count"]]
            head = (ref.indicator.code, ref.role, period.id)
            if request.by == HUKOU:
                _circle_by_hukou(out, ref, period, request, report, name)
                continue
            atoms = [
                Atom(ref, period, row["town"], None, "", float(row[name] or 0))
                for row in report.tables["town"]
            ]
            add_atoms(out, atoms, request)
            if CITY in request.levels and request.whole_city:
                out.setdefault((*head, CITY_PLACE, ""), 0.0)


def _circle_by_hukou(out, ref, period, request, report, name) -> None:
    """Split the city and each town by registration from the period's one run."""
    head = (ref.indicator.code, ref.role, period.id)
    if CITY in request.levels and request.whole_city:
        for row in report.tables["hukou"]:
            out[(*head, CITY_PLACE, row["hukou"])] = float(row[name] or 0)
    if TOWN not in request.levels:
        return
    towns = set(places(request)[TOWN])
    for row in report.tables["town_hukou"]:
        if row["town"] in towns:
            out[(*head, row["town"], row["hukou"])] = float(row[name] or 0)
