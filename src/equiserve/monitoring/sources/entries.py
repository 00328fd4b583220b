"""Values entered by hand, and beneficiaries counted from cases.

A term entered by town is known for the city only when every town has entered
it (or the city figure itself was entered): a partial sum would pass for the
city's figure. A term entered by group (registered, migrant) has a total only
when every group is entered.
"""

from __future__ import annotations

from collections import defaultdict

from equiserve.monitoring.definitions import CITY, TOWN
from equiserve.monitoring.models import IndicatorEntry
from equiserve.monitoring.sources import CITY_PLACE, Key, Request, TermRef
from equiserve.monitoring.sources.registry import places


def _rows(refs: list[TermRef], request: Request):
    entries = IndicatorEntry.objects.filter(
        indicator__in={ref.indicator.code for ref in refs},
        period__in=[period.id for period in request.periods],
    )
    if request.towns is not None:
        entries = entries.filter(place__in=request.towns)
    return entries.values_list("indicator", "role", "period", "place", "group", "value")


def collect_entries(
    out: dict[Key, float], refs: list[TermRef], request: Request, definitions
) -> None:
    """Place entered values; totals and city sums only when complete."""
    wanted = {(ref.indicator.code, ref.role): ref for ref in refs}
    entered: dict[tuple, float] = {}
    for code, role, period, place, group, value in _rows(refs, request):
        if (code, role) in wanted:
            entered[(code, role, period, place, group)] = float(value)
    towns = places(request)[TOWN]
    for (code, role), ref in wanted.items():
        groups = definitions.groups_of(ref.term.groups[0]) if ref.term.groups else ()
        for period in ref.periods:
            head = (code, role, period.id)
            by_town: dict[str, dict[str, float]] = defaultdict(dict)
            for town in [*towns, CITY_PLACE]:
                own = by_town[town]
                for group in groups:
                    if (*head, town, group) in entered:
                        own[group] = entered[(*head, town, group)]
                if (*head, town, "") in entered:
                    own[""] = entered[(*head, town, "")]
                elif groups and all(group in own for group in groups):
                    own[""] = sum(own[group] for group in groups)
            city = by_town[CITY_PLACE]
            for key in ("", *groups):
                if key not in city and towns and all(key in by_town[t] for t in towns):
                    city[key] = sum(by_town[t][key] for t in towns)
            if not request.by:
                wanted_groups: tuple[str, ...] = ("",)
            elif request.by in ref.term.groups:
                wanted_groups = groups
            else:
                wanted_groups = ()
            for group in wanted_groups:
                if TOWN in request.levels:
                    for town in towns:
                        if group in by_town[town]:
                            out[(*head, town, group)] = by_town[town][group]
                if CITY in request.levels and request.whole_city and group in city:
                    out[(*head, CITY_PLACE, group)] = city[group]


def collect_cases(
    out: dict[Key, float], refs: list[TermRef], request: Request, definitions
) -> None:
    """Place entered beneficiaries while the cases app cannot count them.

    With the cases app they are persons counted with the other persons terms
    (`registry.collect_persons`, routed by `sources.collect`).
    """
    collect_entries(out, refs, request, definitions)
