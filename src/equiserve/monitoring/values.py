"""Compute indicator values live from current data, for any periods, levels and split.

`compute()` asks each source once for all the terms and periods it serves (one
aggregate query per registry table, one facility check per period) and divides
numerators by denominators. Nothing is stored: there is no rebuild step, and a
value always reflects the registries as they are now.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from equiserve.monitoring.definitions import (
    CITY,
    DENOMINATOR,
    LEVELS,
    NUMERATOR,
    Definitions,
    Indicator,
    load_definitions,
)
from equiserve.monitoring.periods import Period
from equiserve.monitoring.sources import (
    CITY_PLACE,
    Request,
    TermRef,
    collect,
    undetermined_role,
)
from equiserve.monitoring.sources.registry import places


@dataclass(frozen=True)
class Value:
    """One indicator's value for one place (city, town or village), period and group."""

    indicator: Indicator
    period: Period
    place: str
    group: str
    numerator: float | None
    denominator: float | None
    value: float | None
    # People or households whose rule outcome is unknown (a fact missing): not
    # counted in the numerator or denominator, reported apart (issue 13).
    numerator_undetermined: float | None = None
    denominator_undetermined: float | None = None

    @property
    def shown(self) -> float | None:
        """Return the value as pages, exports and the API show it (rounded)."""
        return self.indicator.rounded(self.value)

    @property
    def weight(self) -> float | None:
        """Return the weight of this value in an equality measure: its denominator."""
        return self.denominator


class Values:
    """The values of one computation, looked up by indicator, period, place, group."""

    def __init__(self, values: Iterable[Value]):
        self._table = {
            (v.indicator.code, v.period.id, v.place, v.group): v for v in values
        }

    def __len__(self) -> int:
        return len(self._table)

    def __iter__(self):
        return iter(self._table.values())

    def get(
        self, code: str, period: Period | str, place: str = CITY_PLACE, group: str = ""
    ) -> Value | None:
        period_id = period if isinstance(period, str) else period.id
        return self._table.get((code, period_id, place, group))

    def select(
        self,
        code: str | None = None,
        period: Period | str | None = None,
        *,
        places: Iterable[str] | None = None,
        group: str | None = "",
    ) -> list[Value]:
        """Return the values matching every filter given, in place order."""
        period_id = period if period is None or isinstance(period, str) else period.id
        wanted = set(places) if places is not None else None
        found = [
            v
            for v in self._table.values()
            if (code is None or v.indicator.code == code)
            and (period_id is None or v.period.id == period_id)
            and (wanted is None or v.place in wanted)
            and (group is None or v.group == group)
        ]
        return sorted(
            found, key=lambda v: (v.indicator.code, v.period, v.place, v.group)
        )


def ratio(indicator: Indicator, numerator, denominator) -> float | None:
    """Return factor × numerator / denominator (None when unknown or divided by 0)."""
    if numerator is None:
        return None
    if indicator.denominator is None:
        return indicator.factor * numerator
    if denominator is None or denominator <= 0:
        return None
    return indicator.factor * numerator / denominator


def compute(
    indicators: Iterable[Indicator] | None = None,
    *,
    periods: Iterable[Period],
    levels: Iterable[str] = (CITY,),
    towns: Iterable[str] | None = None,
    by: str = "",
    extra: dict[str, Iterable[Period]] | None = None,
    definitions: Definitions | None = None,
) -> Values:
    """Return the values of `indicators` (all by default) for the periods and levels.

    `towns` limits the places to those towns (and then no city figure is given);
    `by` splits every value by one dimension (hukou, urban_rural, sex, age_band),
    for the indicators that support it. `extra` adds periods for some indicators
    only ({code: periods}), e.g. the baseline of those with a target.
    """
    definitions = definitions or load_definitions()
    chosen = list(definitions.indicators if indicators is None else indicators)
    levels = frozenset(levels)
    if not levels <= set(LEVELS):
        raise ValueError(f"levels must be among {LEVELS}")
    if by:
        chosen = [i for i in chosen if by in i.disaggregations]
    chosen = [i for i in chosen if levels & set(i.levels)]
    periods = tuple(sorted(set(periods)))
    extra = extra or {}
    wanted = {
        i.code: tuple(sorted(set(periods) | set(extra.get(i.code, ())))) for i in chosen
    }
    request = Request(
        periods=tuple(sorted({p for found in wanted.values() for p in found})),
        levels=levels,
        towns=None if towns is None else tuple(sorted(set(towns))),
        by=by,
    )
    refs = [
        TermRef(indicator, role, term, wanted[indicator.code])
        for indicator in chosen
        for role, term in indicator.terms()
    ]
    amounts = collect(refs, request, definitions)
    keys: dict[str, set[tuple[str, str, str]]] = {}
    for code, _role, period_id, place, group in amounts:
        keys.setdefault(code, set()).add((period_id, place, group))
    by_period = {period.id: period for period in request.periods}
    scope = places(request)
    groups = definitions.groups_of(by) if by else ("",)
    values = []
    for indicator in chosen:
        allowed = _allowed_places(indicator)
        found = keys.setdefault(indicator.code, set())
        # A place counted and found empty is a value of None ("no data"), so
        # every table lists every indicator and place it should.
        for period in request.periods:
            if period not in wanted[indicator.code]:
                continue
            for level in levels & set(indicator.levels):
                for place in scope.get(level, ()):
                    for group in groups:
                        found.add((period.id, place, group))
        for period_id, place, group in found:
            if not allowed(place):
                continue
            head = (indicator.code,)
            numerator = amounts.get((*head, NUMERATOR, period_id, place, group))
            denominator = amounts.get((*head, DENOMINATOR, period_id, place, group))
            unknown = {
                role: amounts.get(
                    (*head, undetermined_role(role), period_id, place, group)
                )
                for role in (NUMERATOR, DENOMINATOR)
            }
            values.append(
                Value(
                    indicator=indicator,
                    period=by_period[period_id],
                    place=place,
                    group=group,
                    numerator=numerator,
                    denominator=denominator,
                    value=ratio(indicator, numerator, denominator),
                    numerator_undetermined=unknown[NUMERATOR],
                    denominator_undetermined=unknown[DENOMINATOR],
                )
            )
    return Values(values)


def level_of(place: str) -> str:
    """Return the level of a place code: city, town (9 digits) or village (12)."""
    if place == CITY_PLACE:
        return CITY
    return "town" if len(place) == 9 else "village"


def _allowed_places(indicator: Indicator):
    levels = set(indicator.levels)
    return lambda place: level_of(place) in levels
