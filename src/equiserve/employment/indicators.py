"""Count the 3.7 indicators from the labour register (issue 15, deliverable 6).

The monitoring app's `employment` source calls `collect_employment`: for each
period, on its last day, the urban unemployed and urban labour force of each
town (the registered urban unemployment rate's terms) and the communities
meeting the full-employment standard, from the same selectors the employment
pages and `equiserve employment rate` use. A city figure is the sum of its towns.
"""

from equiserve.employment.selectors import communities_on, rates_on
from equiserve.monitoring.sources import Atom, add_atoms, zero_fill
from equiserve.monitoring.sources.registry import groups_for, places

RATE_FIELDS = {"unemployed": "unemployed", "labour_force": "labour_force"}


def collect_employment(out, refs, request, definitions) -> None:
    """Add the atoms of every employment term, per period and town."""
    towns = None if request.towns is None else list(request.towns)
    atoms = []
    for period in request.periods:
        wanted = [ref for ref in refs if period in ref.periods]
        if not wanted:
            continue
        counts = {ref.term.options["count"] for ref in wanted}
        rates = (
            rates_on(period.end, towns)["towns"] if counts & set(RATE_FIELDS) else {}
        )
        met = {}
        if "communities_met" in counts:
            frame = communities_on(period.end, towns)
            for row in frame.filter(frame["meets"]).iter_rows(named=True):
                met.setdefault(row["town"], []).append(row["community"])
        for ref in wanted:
            count = ref.term.options["count"]
            if count == "communities_met":
                atoms += [
                    Atom(ref, period, town, community, "", 1.0)
                    for town, communities in met.items()
                    for community in communities
                ]
            else:
                atoms += [
                    Atom(ref, period, town, None, "", float(row[RATE_FIELDS[count]]))
                    for town, row in rates.items()
                    if row[RATE_FIELDS[count]]
                ]
    add_atoms(out, atoms, request)
    zero_fill(out, refs, request, places(request), groups_for(request, definitions))
