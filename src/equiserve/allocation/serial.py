"""Allocate units by serial dictatorship over estate preferences, in rank order.

Each applicant in turn, best rank first, takes a unit in the first estate of their
preferences that still has a free unit suiting their household size. Inside an
estate the applicant has no preference, so the round gives the suitable unit with
the fewest bedrooms (keeping larger flats for larger households), then the lowest
unit id (Python string order). A migrant household is skipped once the round's
migrant quota of units has gone to migrant households.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from equiserve.allocation.model import Applicant, Unit

# Why an applicant got no unit; plain packages carry their labels as data.
REASONS: dict[str, dict[str, str]] = {
    "migrant_quota_reached": {
        "zh": "本轮异地务工人员配租名额已满",
        "en": "the round's quota of units for migrant households was reached",
    },
    "no_preferences": {
        "zh": "未选择意向小区",
        "en": "the household chose no estate",
    },
    "no_suitable_unit": {
        "zh": "意向小区没有适合该家庭人数的房源",
        "en": "no unit in the chosen estates suits the household's size",
    },
    "units_taken": {
        "zh": "意向小区中合适的房源已由排名靠前的家庭选定",
        "en": "every suitable unit in the chosen estates went to a household ranked higher",
    },
}


@dataclass(frozen=True)
class Allocation:
    """Hold the result of a round: who got which unit, and why the others got none.

    Both mappings follow rank order.
    """

    allocation: dict[str, str]
    unallocated: dict[str, str]


def unit_order(unit: Unit) -> tuple[int, str]:
    """Return the key that orders an estate's units for the applicant: the fewest
    bedrooms, then the lowest id."""
    return (unit.bedrooms, unit.id)


def allocate(
    ranked: Sequence[Applicant], units: Sequence[Unit], migrant_quota: int | None
) -> Allocation:
    """Run serial dictatorship over `ranked` (best first); see the module docstring."""
    # (estate, household size) -> ids of suitable units in the order they are given.
    queues: dict[tuple[str, int], list[str]] = {}
    for unit in sorted(units, key=unit_order):
        for size in unit.suits:
            queues.setdefault((unit.estate, size), []).append(unit.id)
    heads = dict.fromkeys(queues, 0)
    taken: set[str] = set()
    allocation: dict[str, str] = {}
    unallocated: dict[str, str] = {}
    migrants_housed = 0
    for applicant in ranked:
        if (
            applicant.migrant
            and migrant_quota is not None
            and migrants_housed >= migrant_quota
        ):
            unallocated[applicant.id] = "migrant_quota_reached"
            continue
        if not applicant.preferences:
            unallocated[applicant.id] = "no_preferences"
            continue
        chosen = None
        any_suitable = False
        for estate in applicant.preferences:
            key = (estate, applicant.household_size)
            queue = queues.get(key)
            if queue is None:
                continue
            any_suitable = True
            # A unit suits several sizes, so it may have been taken from another
            # queue: skip it here (each entry is passed once over the whole round).
            head = heads[key]
            while head < len(queue) and queue[head] in taken:
                head += 1
            if head < len(queue):
                chosen = queue[head]
                heads[key] = head + 1
                break
            heads[key] = head
        if chosen is None:
            unallocated[applicant.id] = (
                "units_taken" if any_suitable else "no_suitable_unit"
            )
            continue
        taken.add(chosen)
        allocation[applicant.id] = chosen
        if applicant.migrant:
            migrants_housed += 1
    return Allocation(allocation=allocation, unallocated=unallocated)
