"""The 3.3.2 indicators counted from the type-1 diabetes registry (monitoring's `t1d_registry`).

Monitoring calls `collect_t1d` for the terms whose source is `t1d_registry`
(`count`: patients, managed, controlled): each period is counted on its last
day with the definitions in force that day (`selectors`), by the patient's
town. Nothing is typed in (issue 16, deliverable 1).
"""

from __future__ import annotations

from equiserve.health import selectors
from equiserve.monitoring.sources import Atom, add_atoms


def collect_t1d(out, refs, request, definitions) -> None:
    """Add the registry's counts per town for every term and period asked for."""
    atoms = []
    for period in request.periods:
        by_town = request.remember(
            ("t1d_registry", period.end),
            lambda day=period.end: selectors.t1d_counts_by_town(day, request.towns),
        )
        for ref in refs:
            if period not in ref.periods:
                continue
            count = ref.term.options["count"]
            for town, counts in sorted(by_town.items()):
                atoms.append(
                    Atom(ref, period, town, None, "", float(getattr(counts, count)))
                )
    add_atoms(out, atoms, request)


def collect_migrant_services(out, refs, request, definitions) -> None:
    """Add, per town (and registration), the eligible migrants served (3.3.4).

    `served`: residents on the period's last day whom the engine finds eligible
    for the basic services then (the programme's own rule, evaluated as for a
    `persons` term naming it) and who were given a free service in the twelve
    months ending that day. The coverage's denominator is that `persons` term.
    """
    from equiserve.cases.programmes import programme
    from equiserve.health.vocabulary import COVERAGE_PROGRAMME
    from equiserve.monitoring.definitions import HUKOU
    from equiserve.monitoring.sources import engine, zero_fill
    from equiserve.monitoring.sources.registry import groups_for, places

    rule = programme(COVERAGE_PROGRAMME).eligibility
    days = sorted({period.end for ref in refs for period in ref.periods})
    outcomes = engine.outcomes(request, [rule], days)
    atoms = []
    for period in request.periods:
        frame = outcomes.get((rule, period.end))
        if frame is None:
            continue
        eligible = set(
            frame.filter(frame[engine.OUTCOME].fill_null(False))["pk"].to_list()
        )
        counts: dict[tuple[str, str], int] = {}
        for pk, town, hukou in selectors.migrants_served(period.end, request.towns):
            if pk in eligible:
                group = hukou if request.by == HUKOU else ""
                counts[(town, group)] = counts.get((town, group), 0) + 1
        for ref in refs:
            if period not in ref.periods:
                continue
            for (town, group), count in sorted(counts.items()):
                atoms.append(Atom(ref, period, town, None, group, float(count)))
    add_atoms(out, atoms, request)
    zero_fill(out, refs, request, places(request), groups_for(request, definitions))
