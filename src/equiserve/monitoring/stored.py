"""Indicator values kept in the database: read by the pages, kept fresh by the worker.

Pages never compute (issue 13, deliverable 2). `stored_values()` answers the
same questions as `values.compute()` from the `IndicatorValue` table. A change
to the data calls `values_mark_stale()`, which marks exactly the values it can
move (its sources' indicators, its town and that town's villages, the city, its
periods) and enqueues the worker; `values_refresh()` (the worker's task)
recomputes them with `values.compute()`. A value asked for and never computed is
written as a pending row and enqueued too, never computed in the request.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, F, Max, Min, Q
from django.utils import timezone

from equiserve.geography.models import Town, Village
from equiserve.monitoring.definitions import (
    CITY,
    LEVELS,
    TOWN,
    VILLAGE,
    Definitions,
    Indicator,
    load_definitions,
)
from equiserve.monitoring.models import (
    DataVersion,
    IndicatorValue,
    TownRegistryChange,
)
from equiserve.monitoring.periods import PERIODS, Period, period_get
from equiserve.monitoring.sources import (
    CITY_PLACE,
    circle_person_fields,
    person_fields_read,
)
from equiserve.monitoring.sources.cases import counts_cases
from equiserve.monitoring.values import Value, Values, compute, ratio

# What each kind of change can move: the term sources counted from it.
# Cases count their beneficiaries as persons; the fitness circle counts people
# around facilities.
REGISTRY = "registry"
CASES = "cases"
FACILITIES = "facilities"
ENTRIES = "entries"
PARAMETERS = "parameters"
HEALTH = "health"
EMPLOYMENT = "employment"
SOURCES_OF_CHANGE = {
    REGISTRY: frozenset(
        {"persons", "households", "cases", "fitness_circle", "employment"}
    ),
    CASES: frozenset({"cases", "grants", "persons", "households"}),
    FACILITIES: frozenset({"facility_standard", "facility_value", "fitness_circle"}),
    ENTRIES: frozenset({"entry"}),
    PARAMETERS: frozenset({"parameter"}),
    HEALTH: frozenset({"t1d_registry"}),
    EMPLOYMENT: frozenset({"employment"}),
}
# The library network's e-reading rooms (issue 19).
LIBRARY = "library"
SOURCES_OF_CHANGE[LIBRARY] = frozenset({"e_reading_rooms"})
# A death or a move in the registry moves the type-1 diabetes counts too (issue 16).
SOURCES_OF_CHANGE[REGISTRY] = SOURCES_OF_CHANGE[REGISTRY] | {"t1d_registry"}
# A migrant service recorded moves the 3.3.4 coverage; a move, a death or a
# change of registration moves who is eligible for it (issue 16).
SOURCES_OF_CHANGE[HEALTH] = SOURCES_OF_CHANGE[HEALTH] | {"migrant_services"}
SOURCES_OF_CHANGE[REGISTRY] = SOURCES_OF_CHANGE[REGISTRY] | {"migrant_services"}
# A household's record or a person's health record: what the registry moves
# but the fitness circle, which reads only persons' own place, age and
# registration (`facilities.population.CIRCLE_PERSON_PATHS`).
REGISTRY_RECORDS = "registry records"
SOURCES_OF_CHANGE[REGISTRY_RECORDS] = SOURCES_OF_CHANGE[REGISTRY] - {"fitness_circle"}
# Sources a change moves beyond its own town: a facility serves people across
# town lines, and the fitness circle's people are scaled to the whole city's
# population; a parameter applies everywhere.
CITY_WIDE_SOURCES = {
    REGISTRY: frozenset({"fitness_circle"}),
    FACILITIES: frozenset({"fitness_circle"}),
    PARAMETERS: frozenset({"parameter"}),
}

# Sources that count people, households, villages or patients by the town they
# belong to: `sources.add_atoms` makes their city figure the sum of its towns'
# (issue 13). A change in one town then moves the city by exactly that town's
# difference, so the worker sums the stored town values instead of reading the
# whole registry again. Beneficiaries counted from cases are persons (when the
# cases app counts them); entered figures, parameters, facility checks and the
# fitness circle (scaled to the whole city) are not sums of towns.
ADDITIVE_SOURCES = frozenset(
    {
        "persons",
        "households",
        "villages",
        "t1d_registry",
        "migrant_services",
        "employment",
    }
)

_VALUE_FIELDS = {f.name for f in dataclasses.fields(Value)}


# -- reading -------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Freshness:
    """When a stored value was computed, and whether a newer one is on its way."""

    computed_at: dt.datetime | None
    version: int | None
    updating: bool


class StoredValues(Values):
    """Values read from the table, each with its freshness."""

    def __init__(self, values: Iterable[Value], freshness: dict, pending: int):
        super().__init__(values)
        self._freshness = freshness
        # Values asked for and not computed yet (being computed by the worker).
        self.pending = pending

    def freshness(self, value: Value) -> Freshness | None:
        return self._freshness.get(
            (value.indicator.code, value.period.id, value.place, value.group)
        )

    @property
    def updating(self) -> bool:
        return self.pending > 0 or any(f.updating for f in self._freshness.values())

    @property
    def computed_at(self) -> dt.datetime | None:
        """Return when the oldest of these values was computed."""
        times = [f.computed_at for f in self._freshness.values() if f.computed_at]
        return min(times) if times else None


def _scope(levels: frozenset[str], towns: tuple[str, ...] | None) -> Q:
    """Return the places of `levels`, within `towns` when given."""
    scope = Q(pk__in=[])
    if CITY in levels and towns is None:
        scope |= Q(place=CITY_PLACE)
    if TOWN in levels:
        scope |= Q(place__in=towns) if towns is not None else Q(place__regex=r"^\d{9}$")
    if VILLAGE in levels:
        scope |= (
            Q(place__in=Village.objects.filter(town_id__in=towns).values("code"))
            if towns is not None
            else Q(place__regex=r"^\d{12}$")
        )
    return scope


def stored_values(
    indicators: Iterable[Indicator] | None = None,
    *,
    periods: Iterable[Period],
    levels: Iterable[str] = (CITY,),
    towns: Iterable[str] | None = None,
    by: str = "",
    extra: dict[str, Iterable[Period]] | None = None,
    definitions: Definitions | None = None,
) -> StoredValues:
    """Return stored values, asked for as `values.compute()` is; never compute.

    What was never computed is enqueued for the worker and counted in `pending`.
    """
    definitions = definitions or load_definitions()
    chosen = list(definitions.indicators if indicators is None else indicators)
    levels = frozenset(levels)
    if not levels <= set(LEVELS):
        raise ValueError(f"levels must be among {LEVELS}")
    if by:
        chosen = [i for i in chosen if by in i.disaggregations]
    chosen = [i for i in chosen if levels & set(i.levels)]
    towns = None if towns is None else tuple(sorted(set(towns)))
    extra = extra or {}
    wanted = {
        i.code: {p.id for p in periods} | {p.id for p in extra.get(i.code, ())}
        for i in chosen
    }
    by_code = {i.code: i for i in chosen}
    rows = IndicatorValue.objects.filter(
        _scope(levels, towns),
        indicator__in=list(by_code),
        period__in={p for found in wanted.values() for p in found},
        by=by,
    ).values_list(
        "indicator",
        "period",
        "place",
        "group",
        "numerator",
        "denominator",
        "value",
        "numerator_undetermined",
        "denominator_undetermined",
        "version",
        "computed_at",
        "pending_version",
        "answered",
    )
    values, freshness, seen, pending = [], {}, set(), 0
    for code, period_id, place, group, num, den, value, *rest in rows:
        num_undetermined, den_undetermined, *state = rest
        if period_id not in wanted[code]:
            continue
        seen.add((code, period_id))
        version, computed_at, pending_version, answered = state
        if not answered:
            continue  # computed, and the source has no value for this place
        if version is None:
            pending += 1
            continue
        fields = {
            "indicator": by_code[code],
            "period": period_get(period_id),
            "place": place,
            "group": group,
            "numerator": num,
            "denominator": den,
            "value": value,
        }
        if "numerator_undetermined" in _VALUE_FIELDS:
            fields["numerator_undetermined"] = num_undetermined
            fields["denominator_undetermined"] = den_undetermined
        values.append(Value(**fields))
        freshness[(code, period_id, place, group)] = Freshness(
            computed_at, version, pending_version is not None
        )
    missing = {
        (code, period_id)
        for code, found in wanted.items()
        for period_id in found
        if (code, period_id) not in seen
    }
    if missing:
        pending += values_enqueue_missing(missing, by=by, definitions=definitions)
    return StoredValues(values, freshness, pending)


# -- marking stale -------------------------------------------------------------


def data_version() -> int:
    found = DataVersion.objects.filter(pk=1).values_list("number", flat=True).first()
    return found or 0


def _next_version() -> int:
    """Take the next data version (in the caller's transaction)."""
    DataVersion.objects.get_or_create(pk=1)
    DataVersion.objects.filter(pk=1).update(number=F("number") + 1)
    return data_version()


def dependent_indicators(
    change: str,
    definitions: Definitions | None = None,
    *,
    fields: Iterable[str] | None = None,
    periods: Iterable[Period] | None = None,
) -> list[Indicator]:
    """Return the indicators with a term counted from what `change` touches.

    `fields`: the person fields a registry change changed (None: any), to keep
    only the indicators that read one of them in `periods` (None: all).
    """
    definitions = definitions or load_definitions()
    sources = SOURCES_OF_CHANGE[change]
    chosen = [
        i
        for i in definitions.indicators
        if any(term.source in sources for _role, term in i.terms())
    ]
    if fields is None:
        return chosen
    fields = set(fields)
    if not fields:
        return []  # a save that changed nothing moves nothing
    periods = PERIODS if periods is None else tuple(periods)
    found = []
    for indicator in chosen:
        read = person_fields_read(indicator, periods)
        if read is None or read & fields:
            found.append(indicator)
    return found


def periods_from(day: dt.date | None) -> list[Period]:
    """Return the periods a record dated `day` can count in: those ending after it."""
    if day is None:
        return list(PERIODS)
    return [p for p in PERIODS if p.end >= day] or [PERIODS[-1]]


def values_mark_stale(
    change: str,
    *,
    towns: Iterable[str | None] | None = None,
    periods: Iterable[Period] | None = None,
    indicators: Iterable[str] | None = None,
    fields: Iterable[str] | None = None,
    definitions: Definitions | None = None,
) -> int:
    """Mark the stored values a change can move as updating; enqueue the worker.

    `towns` are the towns the change touches (None: everywhere): their values,
    their villages' and the city's are marked, in `periods` (None: all). Values
    of sources counted across towns (the fitness circle, parameters) are marked
    everywhere. `fields` (a registry change): the person fields it changed, so
    that only the indicators reading one are marked (None: any field changed).
    Return the number of values marked.
    """
    definitions = definitions or load_definitions()
    periods = None if periods is None else list(periods)
    fields = None if fields is None else set(fields)
    chosen = dependent_indicators(change, definitions, fields=fields, periods=periods)
    if indicators is not None:
        codes = set(indicators)
        chosen = [i for i in chosen if i.code in codes]
    if not chosen:
        return 0
    period_ids = [p.id for p in (PERIODS if periods is None else periods)]
    towns = None if towns is None else sorted({t for t in towns if t})
    wide = [
        i.code
        for i in chosen
        if any(
            term.source in CITY_WIDE_SOURCES.get(change, ())
            for _role, term in i.terms()
        )
    ]
    local = [i.code for i in chosen if i.code not in wide]
    scope = Q(indicator__in=wide) if towns is not None else Q(pk__in=[])
    if towns is None:
        scope |= Q(indicator__in=local)
    elif towns:
        places = [
            CITY_PLACE,
            *towns,
            *Village.objects.filter(town_id__in=towns).values_list("code", flat=True),
        ]
        scope |= Q(indicator__in=local, place__in=places)
    version = _next_version()
    # The fitness circle's kept tallies read a few fields of each person.
    if change == REGISTRY and (fields is None or fields & circle_person_fields()):
        _registry_changed(towns, version)
    marked = IndicatorValue.objects.filter(scope, period__in=period_ids).update(
        pending_version=version
    )
    if marked:
        _enqueue()
    if indicators is not None:
        # A value entered for an indicator never computed yet: compute it all.
        present = set(
            IndicatorValue.objects.filter(
                indicator__in=[i.code for i in chosen], period__in=period_ids, by=""
            )
            .values_list("indicator", "period")
            .distinct()
        )
        missing = {
            (i.code, p)
            for i in chosen
            for p in period_ids
            if (i.code, p) not in present
        }
        if missing:
            marked += values_enqueue_missing(missing, definitions=definitions)
    return marked


def _registry_changed(towns: list[str] | None, version: int) -> None:
    """Note the version of the towns' registry change (None: every town's)."""
    if towns is None:
        towns = list(Town.objects.values_list("code", flat=True))
    TownRegistryChange.objects.bulk_create(
        [TownRegistryChange(town=town, version=version) for town in towns],
        update_conflicts=True,
        unique_fields=["town"],
        update_fields=["version"],
    )


def values_enqueue_missing(
    missing: set[tuple[str, str]], *, by: str = "", definitions: Definitions
) -> int:
    """Write pending rows (city and towns) for values never computed; enqueue."""
    version = data_version()
    towns = list(Town.objects.values_list("code", flat=True))
    rows = []
    for code, period_id in missing:
        indicator = definitions.get(code)
        places = [CITY_PLACE] if CITY in indicator.levels else []
        places += (
            towns if TOWN in indicator.levels or VILLAGE in indicator.levels else []
        )
        groups = definitions.groups_of(by) if by else ("",)
        rows += [
            IndicatorValue(
                indicator=code,
                period=period_id,
                place=place,
                by=by,
                group=group,
                pending_version=version,
            )
            for place in places
            for group in groups
        ]
    IndicatorValue.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    if rows:
        _enqueue()
    return len(rows)


def values_enqueue_all(definitions: Definitions | None = None) -> int:
    """Enqueue every value of the plan not computed yet (the first start, a demo load)."""
    definitions = definitions or load_definitions()
    count = 0
    for by in (
        "",
        *sorted({d for i in definitions.indicators for d in i.disaggregations}),
    ):
        chosen = [
            i for i in definitions.indicators if not by or by in i.disaggregations
        ]
        present = set(
            IndicatorValue.objects.filter(by=by)
            .values_list("indicator", "period")
            .distinct()
        )
        missing = {
            (i.code, p.id)
            for i in chosen
            for p in PERIODS
            if (i.code, p.id) not in present
        }
        if missing:
            count += values_enqueue_missing(missing, by=by, definitions=definitions)
    return count


def _enqueue() -> None:
    from equiserve.monitoring.tasks import refresh_values_enqueue

    refresh_values_enqueue()


# -- recomputing ---------------------------------------------------------------


def _store(values: Iterable[Value], by: str, version: int, now: dt.datetime) -> set:
    rows = [
        IndicatorValue(
            indicator=v.indicator.code,
            period=v.period.id,
            place=v.place,
            by=by,
            group=v.group,
            numerator=v.numerator,
            denominator=v.denominator,
            value=v.value,
            numerator_undetermined=getattr(v, "numerator_undetermined", None),
            denominator_undetermined=getattr(v, "denominator_undetermined", None),
            version=version,
            computed_at=now,
            answered=True,
        )
        for v in values
    ]
    IndicatorValue.objects.bulk_create(
        rows,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["indicator", "period", "place", "by", "group"],
        update_fields=[
            "numerator",
            "denominator",
            "value",
            "numerator_undetermined",
            "denominator_undetermined",
            "version",
            "computed_at",
            "answered",
        ],
    )
    return {(r.indicator, r.period, r.place, r.group) for r in rows}


def _runs(
    rows, town_of: dict, all_towns: set, slow: frozenset[str] = frozenset()
) -> list[dict]:
    """Group pending rows into computations: indicators sharing places and periods.

    Each group is computed for the towns touched (with their villages) and the
    city apart, or in one pass for the whole city when every town is touched.
    In the towns, the `slow` indicators (counted by evaluating the plan's rules)
    are computed after the others, so that a query's counts do not wait for
    the engine's read of every person of the town.
    """
    scope: dict[str, tuple[set, set]] = defaultdict(lambda: (set(), set()))
    for code, period, place, _by in rows:
        places, periods = scope[code]
        places.add(place)
        periods.add(period)
    groups: dict[tuple, list[str]] = defaultdict(list)
    for code, (places, periods) in scope.items():
        towns = frozenset(town_of.get(p, p) for p in places if p != CITY_PLACE)
        groups[(towns, CITY_PLACE in places, frozenset(periods))].append(code)
    runs = []
    for (towns, city, periods), codes in groups.items():
        common = {"codes": sorted(codes), "periods": sorted(periods)}
        if city and towns >= all_towns:
            runs.append({**common, "levels": LEVELS, "towns": None})
            continue
        if towns:
            fast = [code for code in common["codes"] if code not in slow]
            for part in (fast, [code for code in common["codes"] if code in slow]):
                if part:
                    runs.append(
                        {
                            **common,
                            "codes": part,
                            "levels": (TOWN, VILLAGE),
                            "towns": sorted(towns),
                            "engine": part is not fast,
                        }
                    )
        if city:
            runs.append({**common, "levels": (CITY,), "towns": None})
    # The smallest first, so a change in one town shows there soonest: the
    # towns touched, then the city, then whole-city runs.
    return sorted(runs, key=_run_size)


def _run_size(run: dict) -> tuple[int, int, bool]:
    if run["towns"] is not None:
        return (0, len(run["towns"]), run["engine"])
    return (1, 0, False) if run["levels"] == (CITY,) else (2, 0, False)


def _needs_engine(indicator: Indicator) -> bool:
    """Return whether a term of the indicator is counted by evaluating a rule."""
    return any(
        term.options.get("rule") or term.source == "migrant_services"
        for _role, term in indicator.terms()
    )


def _additive(indicator: Indicator, cases_as_persons: bool) -> bool:
    """Return whether the indicator's city figures are the sums of its towns'."""
    sources = {term.source for _role, term in indicator.terms()}
    if cases_as_persons and "cases" in sources:
        sources = (sources - {"cases"}) | {"persons"}
    return TOWN in indicator.levels and sources <= ADDITIVE_SOURCES


_SUMMED = (
    "numerator",
    "denominator",
    "numerator_undetermined",
    "denominator_undetermined",
)


def _city_from_towns(
    chosen: list[Indicator],
    periods: list[str],
    by: str,
    towns: set[str],
    definitions: Definitions,
) -> tuple[list[Value], set[tuple[str, str]]]:
    """Return the city values summed from the stored, fresh values of every town.

    Only for the indicators and periods whose every town has a fresh stored
    value (the towns a change touched are recomputed just before); return the
    values and the (indicator, period) pairs they cover. A pair with a town
    missing or still marked, or with an amount that is not a whole count (a sum
    in another order could differ in its last digit), is left to `compute`.
    """
    codes = {indicator.code: indicator for indicator in chosen}
    rows = IndicatorValue.objects.filter(
        indicator__in=list(codes),
        period__in=periods,
        by=by,
        place__in=towns,
    ).values_list(
        "indicator",
        "period",
        "place",
        "group",
        "answered",
        "pending_version",
        "version",
        *_SUMMED,
    )
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    broken: set[tuple[str, str]] = set()
    sums: dict[tuple[str, str, str], dict[str, float | None]] = {}
    for code, period, place, group, answered, pending, version, *amounts in rows:
        key = (code, period)
        seen[key].add(place)
        if pending is not None or version is None:
            broken.add(key)
            continue
        total = sums.setdefault((code, period, group), dict.fromkeys(_SUMMED))
        if not answered:
            continue  # the source gave this town no value: nothing to add
        for name, amount in zip(_SUMMED, amounts, strict=True):
            if amount is None:
                continue
            if not float(amount).is_integer():
                broken.add(key)
            total[name] = (total[name] or 0.0) + amount
    covered = {key for key, found in seen.items() if found >= towns} - broken
    groups = set(definitions.groups_of(by)) if by else {""}
    values = []
    for code, period in covered:
        indicator = codes[code]
        found = {g for (c, p, g) in sums if (c, p) == (code, period)} | groups
        for group in found:
            total = sums.get((code, period, group), dict.fromkeys(_SUMMED))
            values.append(
                Value(
                    indicator=indicator,
                    period=period_get(period),
                    place=CITY_PLACE,
                    group=group,
                    value=ratio(indicator, total["numerator"], total["denominator"]),
                    **total,
                )
            )
    return values, covered


def values_refresh(definitions: Definitions | None = None) -> int:
    """Recompute every value marked stale or pending; return how many were stored.

    Indicators marked in the same places and periods are computed together:
    for the towns touched and the city apart, or for the whole city at once.
    """
    definitions = definitions or load_definitions()
    version = data_version()
    pending = list(
        IndicatorValue.objects.filter(pending_version__isnull=False)
        .values_list("indicator", "period", "place", "by")
        .distinct()
    )
    if not pending:
        return 0
    town_of = dict(Village.objects.values_list("code", "town_id"))
    all_towns = set(Town.objects.values_list("code", flat=True))
    known = set(definitions.codes())
    cases_as_persons = counts_cases()
    slow = frozenset(i.code for i in definitions.indicators if _needs_engine(i))
    by_split: dict[str, list] = defaultdict(list)
    for row in pending:
        by_split[row[3]].append(row)
    stored = 0
    # The totals the dashboards show before their splits.
    for by, rows in sorted(by_split.items()):
        now = timezone.now()
        for run in _runs(rows, town_of, all_towns, slow):
            chosen = [definitions.get(code) for code in run["codes"] if code in known]
            values = []
            if run["levels"] == (CITY,):
                # The towns a change touched were computed just before: a city
                # figure that is the sum of its towns' is summed, not recounted.
                summed = [i for i in chosen if _additive(i, cases_as_persons)]
                values, covered = _city_from_towns(
                    summed, run["periods"], by, all_towns, definitions
                )
                chosen = [
                    i
                    for i in chosen
                    if any((i.code, period) not in covered for period in run["periods"])
                ]
            # Only the marked half-years: a value depends on its own period alone
            # (test_a_half_year_computed_alone_agrees_with_it_computed_among_all).
            if chosen:
                values += compute(
                    chosen,
                    periods=[period_get(period) for period in run["periods"]],
                    levels=run["levels"],
                    towns=run["towns"],
                    by=by,
                    definitions=definitions,
                )
            done = _store(values, by, version, now)
            stored += len(values)
            places = {
                place for code, _period, place, _by in rows if code in run["codes"]
            }
            if run["towns"] is not None:
                places = {p for p in places if town_of.get(p, p) in run["towns"]}
            elif run["levels"] == (CITY,):
                places = {CITY_PLACE}
            with transaction.atomic():
                scope = IndicatorValue.objects.filter(
                    by=by,
                    indicator__in=run["codes"],
                    period__in=run["periods"],
                    place__in=places | {key[2] for key in done},
                    pending_version__lte=version,
                )
                # Rows the computation gave no value for (a place the source does
                # not count) are kept as answered with nothing, not asked again.
                unanswered = [
                    pk
                    for pk, *key in scope.values_list(
                        "pk", "indicator", "period", "place", "group"
                    )
                    if tuple(key) not in done
                ]
                scope.filter(pk__in=unanswered).update(
                    answered=False, version=version, computed_at=now
                )
                scope.update(pending_version=None)
    return stored


def worker_prepare(definitions: Definitions | None = None) -> None:
    """Load what every recomputation needs, before the first change arrives.

    The sources' modules (the fitness circle's brings the accessibility package
    and SciPy) and the plan's rules compiled for each half-year's last day: a
    worker just started would otherwise spend seconds on them in the first
    change's recomputation (issue 13, deliverable 3).
    """
    import importlib

    from equiserve.monitoring.sources import engine

    for name in (
        "entries",
        "facilities",
        "grants",
        "parameters",
        "registry",
        "cases",
    ):
        importlib.import_module(f"equiserve.monitoring.sources.{name}")
    for module in (
        "equiserve.health.indicators",
        "equiserve.employment.indicators",
        "equiserve.library.indicators",
    ):
        importlib.import_module(module)
    definitions or load_definitions()
    engine.prepare(period.end for period in PERIODS)
    from equiserve.monitoring.sources import facilities

    facilities.circle_tallies_keep()


@transaction.atomic
def values_recompute_all(definitions: Definitions | None = None) -> int:
    """Mark every stored value stale and enqueue what was never computed."""
    definitions = definitions or load_definitions()
    version = _next_version()
    # Nothing kept by the worker is trusted either: a recomputation of every
    # value also rereads every town's persons.
    _registry_changed(None, version)
    IndicatorValue.objects.update(pending_version=version)
    return values_enqueue_all(definitions)


@dataclasses.dataclass(frozen=True)
class Summary:
    """How fresh a page's values are: the oldest and newest computation, and
    how many values the worker is updating or has not computed yet."""

    oldest: dt.datetime | None
    newest: dt.datetime | None
    updating: int


def summary(period: Period, place: str) -> Summary:
    """Return the freshness of the totals of one place in one period."""
    found = IndicatorValue.objects.filter(
        period=period.id, place=place, by=""
    ).aggregate(
        oldest=Min("computed_at"),
        newest=Max("computed_at"),
        updating=Count("pk", filter=Q(pending_version__isnull=False)),
    )
    return Summary(**found)
