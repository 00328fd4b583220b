"""Where indicator terms are counted from: one module per kind of source.

Every source returns amounts per (indicator, role, period, place, group). Most
return "atoms" per town and village, summed here into the levels asked for, so
a city figure is always the sum of its towns; a few (parameters, city-wide
facility checks, entries) place their amounts themselves.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, NamedTuple

from equiserve.monitoring.definitions import (
    CITY,
    TOWN,
    VILLAGE,
    Definitions,
    Indicator,
    Term,
)
from equiserve.monitoring.periods import Period

CITY_PLACE = "city"


class TermRef(NamedTuple):
    indicator: Indicator
    role: str
    term: Term
    periods: tuple[Period, ...]  # the periods this term is counted for


# (indicator code, role, period id, place, group) → amount
Key = tuple[str, str, str, str, str]


def undetermined_role(role: str) -> str:
    """Return the role under which a rule-based term's unknown outcomes are counted."""
    return f"{role}.undetermined"


@dataclass(frozen=True)
class Request:
    """What to count: periods, levels (city, town, village), towns, one split."""

    periods: tuple[Period, ...]
    levels: frozenset[str]
    towns: tuple[str, ...] | None = None  # None: the whole city
    by: str = ""
    # Results shared by the sources of one computation (e.g. a facility check).
    memo: dict[Any, Any] = field(default_factory=dict, compare=False, hash=False)

    def remember(self, key, compute):
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]

    @property
    def whole_city(self) -> bool:
        return self.towns is None


class Atom(NamedTuple):
    ref: TermRef
    period: Period
    town: str
    village: str | None
    group: str
    amount: float


def add_atoms(out: dict[Key, float], atoms: Iterable[Atom], request: Request) -> None:
    """Sum atoms into the places of the levels asked for (city only for the whole city)."""
    sums: dict[Key, float] = defaultdict(float)
    for atom in atoms:
        head = (atom.ref.indicator.code, atom.ref.role, atom.period.id)
        if TOWN in request.levels and atom.town:
            sums[(*head, atom.town, atom.group)] += atom.amount
        if VILLAGE in request.levels and atom.village:
            sums[(*head, atom.village, atom.group)] += atom.amount
        if CITY in request.levels and request.whole_city:
            sums[(*head, CITY_PLACE, atom.group)] += atom.amount
    out.update(sums)


def zero_fill(
    out: dict[Key, float],
    refs: list[TermRef],
    request: Request,
    places: dict[str, list[str]],
    groups: tuple[str, ...],
) -> None:
    """Record 0 for every counted place with no atoms: counted, and none found."""
    for ref in refs:
        levels = set(request.levels) & set(ref.indicator.levels)
        for period in ref.periods:
            for level in levels:
                for place in places.get(level, []):
                    for group in groups:
                        out.setdefault(
                            (ref.indicator.code, ref.role, period.id, place, group), 0.0
                        )


def _collect_employment(out, refs, request, definitions) -> None:
    # The labour register's own counting (issue 15), imported only when asked for.
    from equiserve.employment.indicators import collect_employment

    collect_employment(out, refs, request, definitions)


def _collect_t1d(out, refs, request, definitions) -> None:
    # The type-1 diabetes registry's own counting (issue 16), imported when asked for.
    from equiserve.health.indicators import collect_t1d

    collect_t1d(out, refs, request, definitions)


def _collect_migrant_services(out, refs, request, definitions) -> None:
    # The migrants' family-planning services (3.3.4, issue 16), imported when asked for.
    from equiserve.health.indicators import collect_migrant_services

    collect_migrant_services(out, refs, request, definitions)


def _collect_e_reading_rooms(out, refs, request, definitions) -> None:
    # The library network's e-reading rooms (issue 19), imported when asked for.
    from equiserve.library.indicators import collect_e_reading_rooms

    collect_e_reading_rooms(out, refs, request, definitions)


def _reads_no_person(indicator, term, periods) -> set[str]:
    return set()


@cache
def circle_person_fields() -> frozenset[str]:
    """Return the person fields (attnames) the fitness circle reads."""
    from equiserve.facilities.population import CIRCLE_PERSON_PATHS
    from equiserve.registry.models import Person

    return frozenset(
        Person._meta.get_field(path.split("__")[0]).attname
        for path in CIRCLE_PERSON_PATHS.values()
    )


# (the plan they were read from, {(indicator, periods): fields}): a registry
# save asks for every indicator's fields, which change only with the plan.
_fields_read: tuple[Any, dict] = (None, {})


def person_fields_read(
    indicator: Indicator, periods: Iterable[Period]
) -> frozenset[str] | None:
    """Return the person fields (attnames) whose change can move the indicator
    in `periods`; None when any change can (a source that does not say).

    A registry change marks only the indicators that read a field it changed
    (issue 13, deliverable 2: exactly the affected values).
    """
    global _fields_read
    from equiserve.rules import plan_gateway

    plan = plan_gateway.plan()  # the rules' inputs are the plan's
    if _fields_read[0] is not plan:
        _fields_read = (plan, {})
    key = (indicator, tuple(periods))
    found = _fields_read[1]
    if key not in found:
        found[key] = _person_fields_read(indicator, key[1])
    return found[key]


def _person_fields_read(
    indicator: Indicator, periods: tuple[Period, ...]
) -> frozenset[str] | None:
    from equiserve.monitoring.sources import registry

    readers = {
        "persons": registry.person_fields_read,
        "cases": registry.person_fields_read,
        "fitness_circle": lambda *_: circle_person_fields(),
        "villages": _reads_no_person,
        "facility_standard": _reads_no_person,
        "facility_value": _reads_no_person,
        "parameter": _reads_no_person,
        "entry": _reads_no_person,
        "e_reading_rooms": _reads_no_person,
    }
    found: set[str] = set()
    for _role, term in indicator.terms():
        reader = readers.get(term.source)
        fields = reader(indicator, term, periods) if reader else None
        if fields is None:
            return None
        found |= fields
    return frozenset(found)


def collect(
    refs: list[TermRef], request: Request, definitions: Definitions
) -> dict[Key, float]:
    """Count every term asked for, each source once for all its terms and periods."""
    from equiserve.monitoring.sources import (
        engine,
        entries,
        facilities,
        grants,
        parameters,
        registry,
    )

    handlers = {
        "persons": registry.collect_persons,
        "households": registry.collect_households,
        "villages": registry.collect_villages,
        "facility_standard": facilities.collect_standards,
        "facility_value": facilities.collect_values,
        "fitness_circle": facilities.collect_circle,
        "grants": grants.collect_grants,
        "parameter": parameters.collect_parameters,
        "entry": entries.collect_entries,
        "cases": entries.collect_cases,
        "t1d_registry": _collect_t1d,
        "migrant_services": _collect_migrant_services,
        "employment": _collect_employment,
        "e_reading_rooms": _collect_e_reading_rooms,
    }
    from equiserve.monitoring.sources.cases import counts_cases

    # Beneficiaries counted from cases are persons: one pass over the registry.
    cases_as_persons = counts_cases()
    by_source: dict[str, list[TermRef]] = defaultdict(list)
    for ref in refs:
        source = ref.term.source
        if source == "cases" and cases_as_persons:
            source = "persons"
        by_source[source].append(ref)
    # The rules the terms name, so the registry is read once for all of them.
    request.memo[engine.RULES] = sorted(
        {ref.term.options["rule"] for ref in refs if ref.term.options.get("rule")}
    )
    out: dict[Key, float] = {}
    for source, source_refs in by_source.items():
        handlers[source](out, source_refs, request, definitions)
    return out
