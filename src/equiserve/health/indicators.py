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
