"""Group people of known age and sex into households, vectorized.

People come first (their ages and sexes are drawn to match the calibration
exactly); households are then formed around them by matching on age:
sibling sets to mothers, mothers to partners, women to husbands, young adults
and old people to the households of their likely parents or children. Every
minor gets a parent in the same household as guardian.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from equiserve.synth.calibration import interpolate_points

HEAD, SPOUSE, CHILD, PARENT, OTHER = range(5)
RELATIONS = ("head", "spouse", "child", "parent", "other")
ADULT_AGE = 18


@dataclass
class GroupRules:
    """Household-formation rates of one group (registered or migrant)."""

    children_sizes: np.ndarray
    children_probabilities: np.ndarray
    mother_age_mean: float
    mother_age_sd: float
    mother_age_min: float
    mother_age_max: float
    partner_present: float
    husband_gap_mean: float
    husband_gap_sd: float
    married_share_by_age: list[list[float]]
    young_adult_with_parents: float
    elderly_with_children: float
    parent_child_gap_mean: float
    parent_child_gap_sd: float
    collective_size: float


@dataclass
class Formation:
    """Households of one group: per person a household number and relation."""

    household: np.ndarray  # household number per person, 0..count-1
    relation: np.ndarray  # HEAD, SPOUSE, CHILD, PARENT or OTHER
    guardian: np.ndarray  # index of the guardian (minors), else -1
    collective: np.ndarray  # per household: a collective household (dormitory)

    @property
    def count(self) -> int:
        return len(self.collective)


def match_by_age(
    targets: np.ndarray,
    pool_ages: np.ndarray,
    rng: np.random.Generator,
    tolerance: float = 6.0,
) -> np.ndarray:
    """Pair each target age with a distinct pool member of about that age.

    Returns, per target, an index into `pool_ages`, or -1 when no free member
    lies within `tolerance` years. Targets are taken in age order; each takes the
    pool member nearest its age that is older than the previous pick (so picks
    stay distinct), which keeps the pairing monotone and vectorized. Targets left
    over at the old end try the oldest members still free.
    """
    count, size = len(targets), len(pool_ages)
    result = np.full(count, -1, dtype=np.int64)
    if count == 0 or size == 0:
        return result
    target_order = np.argsort(targets, kind="stable")
    pool_order = np.argsort(pool_ages + rng.uniform(0.0, 1e-6, size), kind="stable")
    sorted_pool = pool_ages[pool_order]
    sorted_targets = targets[target_order]
    position = np.searchsorted(sorted_pool, sorted_targets)
    previous = np.clip(position - 1, 0, size - 1)
    current = np.clip(position, 0, size - 1)
    closer_below = np.abs(sorted_pool[previous] - sorted_targets) < np.abs(
        sorted_pool[current] - sorted_targets
    )
    position = np.where(closer_below, previous, current)
    steps = np.arange(count)
    position = np.maximum.accumulate(position - steps) + steps
    placed = position < size
    result[target_order[placed]] = pool_order[position[placed]]
    overflow = target_order[~placed]
    if overflow.size:
        used = np.zeros(size, dtype=bool)
        used[position[placed]] = True
        free = np.flatnonzero(~used)[::-1][: overflow.size]
        result[overflow[::-1][: free.size]] = pool_order[free]
    matched = result >= 0
    too_far = np.abs(pool_ages[result[matched]] - targets[matched]) > tolerance
    result[np.flatnonzero(matched)[too_far]] = -1
    return result


def _chunk_sizes(
    total: int, sizes: np.ndarray, probabilities: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Draw chunk sizes from a distribution until they add up to exactly `total`."""
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    mean = float(np.dot(sizes, probabilities))
    draws = rng.choice(sizes, size=int(total / mean * 1.2) + 8, p=probabilities)
    while draws.sum() < total:
        draws = np.concatenate(
            [draws, rng.choice(sizes, size=draws.size, p=probabilities)]
        )
    ends = np.cumsum(draws)
    last = int(np.searchsorted(ends, total))
    draws = draws[: last + 1].astype(np.int64)
    draws[-1] -= int(ends[last] - total)
    return draws


def form_households(
    age: np.ndarray,
    male: np.ndarray,
    rules: GroupRules,
    collective_people: int,
    rng: np.random.Generator,
) -> Formation:
    """Form the households of one group from exact ages (years) and sexes."""
    n = len(age)
    household = np.full(n, -1, dtype=np.int64)
    relation = np.full(n, -1, dtype=np.int8)
    guardian = np.full(n, -1, dtype=np.int64)
    # Per household: the age of its core woman (or man - 2.5) and its kind.
    anchor_age: list[np.ndarray] = []
    is_collective: list[np.ndarray] = []
    is_couple_only: list[np.ndarray] = []
    adult = age >= ADULT_AGE

    def new_households(
        members: np.ndarray, anchors: np.ndarray, kind: str
    ) -> np.ndarray:
        start = sum(len(a) for a in anchor_age)
        ids = np.arange(start, start + len(anchors))
        anchor_age.append(np.asarray(anchors, dtype=float))
        is_collective.append(np.full(len(anchors), kind == "collective"))
        is_couple_only.append(np.full(len(anchors), kind == "couple"))
        return ids

    # 1. Minors in sibling sets, each set with a parent (mother first).
    minors = np.flatnonzero(~adult)
    if minors.size and adult.any():
        key = age[minors] + rng.uniform(0.0, 4.0, minors.size)
        minors = minors[np.argsort(key, kind="stable")]
        sizes = _chunk_sizes(
            minors.size, rules.children_sizes, rules.children_probabilities, rng
        )
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        set_of_child = np.repeat(np.arange(sizes.size), sizes)
        oldest = np.maximum.reduceat(age[minors], starts)
        gap = np.clip(
            rng.normal(rules.mother_age_mean, rules.mother_age_sd, sizes.size),
            rules.mother_age_min,
            rules.mother_age_max,
        )
        target = oldest + gap
        parent = np.full(sizes.size, -1, dtype=np.int64)
        # Mothers near the target age; then fathers; then any adult at all.
        pools = (
            (~male & adult & (age < 60), 6.0),
            (male & adult & (age < 65), 10.0),
            (adult, np.inf),
        )
        for pool_mask, tolerance in pools:
            left = np.flatnonzero(parent < 0)
            if not left.size:
                break
            pool = np.flatnonzero(pool_mask & ~np.isin(np.arange(n), parent))
            picks = match_by_age(target[left], age[pool], rng, tolerance)
            parent[left] = np.where(picks >= 0, pool[np.maximum(picks, 0)], -1)
        left = parent < 0
        if left.any():  # more sibling sets than adults: share the parents found
            found = parent[~left]
            parent[left] = found[rng.integers(0, found.size, int(left.sum()))]
        unique_parents, set_household = np.unique(parent, return_inverse=True)
        parent_age = age[unique_parents]
        ids = new_households(
            unique_parents,
            np.where(male[unique_parents], parent_age - 2.5, parent_age),
            "family",
        )
        household[unique_parents] = ids
        relation[unique_parents] = HEAD
        household[minors] = ids[set_household[set_of_child]]
        relation[minors] = CHILD
        guardian[minors] = parent[set_of_child]

        # 2. Partners of mothers (the partner becomes the head).
        mothers = unique_parents[~male[unique_parents]]
        mothers = mothers[rng.random(mothers.size) < rules.partner_present]
        pool = np.flatnonzero(male & (age >= 20) & (household < 0))
        target = age[mothers] + rng.normal(
            rules.husband_gap_mean, rules.husband_gap_sd, mothers.size
        )
        picks = match_by_age(target, age[pool], rng)
        paired = picks >= 0
        partners = pool[picks[paired]]
        household[partners] = household[mothers[paired]]
        relation[partners] = HEAD
        relation[mothers[paired]] = SPOUSE

    # 3. Collective households (dormitories) of working-age adults.
    if collective_people:
        pool = np.flatnonzero((household < 0) & adult & (age < 50))
        chosen = rng.permutation(pool)[:collective_people]
        mean_extra = max(rules.collective_size - 1.0, 0.0)
        sizes = 1 + rng.poisson(mean_extra, chosen.size)
        ends = np.cumsum(sizes)
        last = int(np.searchsorted(ends, chosen.size))
        sizes = sizes[: last + 1]
        sizes[-1] -= int(ends[last] - chosen.size)
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        ids = new_households(chosen[starts], age[chosen[starts]], "collective")
        household[chosen] = np.repeat(ids, sizes)
        relation[chosen] = OTHER
        relation[chosen[starts]] = HEAD

    # 4. Couples without children here.
    women = np.flatnonzero(~male & (age >= 20) & (household < 0))
    married = rng.random(women.size) < interpolate_points(
        rules.married_share_by_age, age[women]
    )
    women = women[married]
    pool = np.flatnonzero(male & (age >= 20) & (household < 0))
    target = age[women] + rng.normal(
        rules.husband_gap_mean, rules.husband_gap_sd, women.size
    )
    picks = match_by_age(target, age[pool], rng)
    paired = picks >= 0
    wives, husbands = women[paired], pool[picks[paired]]
    ids = new_households(husbands, age[wives], "couple")
    household[husbands] = ids
    household[wives] = ids
    relation[husbands] = HEAD
    relation[wives] = SPOUSE

    def households_view():
        return (
            np.concatenate(anchor_age) if anchor_age else np.zeros(0),
            np.concatenate(is_collective) if is_collective else np.zeros(0, bool),
            np.concatenate(is_couple_only) if is_couple_only else np.zeros(0, bool),
        )

    # 5. Young single adults living with their parents' household.
    anchors, collective, _ = households_view()
    young = np.flatnonzero((household < 0) & adult & (age < 30))
    young = young[rng.random(young.size) < rules.young_adult_with_parents]
    hosts = np.flatnonzero(~collective & (anchors >= 36) & (anchors < 75))
    target = age[young] + rng.normal(
        rules.parent_child_gap_mean, rules.parent_child_gap_sd, young.size
    )
    picks = match_by_age(target, anchors[hosts], rng)
    joined = picks >= 0
    household[young[joined]] = hosts[picks[joined]]
    relation[young[joined]] = CHILD

    # 6. Old people (alone or as a couple) moving in with a child's household.
    anchors, collective, couple_only = households_view()
    singles = np.flatnonzero((household < 0) & (age >= 60))
    couples = np.flatnonzero(couple_only & (anchors >= 60))
    unit_age = np.concatenate([age[singles], anchors[couples]])
    unit_is_couple = np.concatenate(
        [np.zeros(singles.size, bool), np.ones(couples.size, bool)]
    )
    unit_id = np.concatenate([singles, couples])
    moving = rng.random(unit_age.size) < rules.elderly_with_children
    hosts = np.flatnonzero(
        ~collective & ~couple_only & (anchors >= 25) & (anchors < 58)
    )
    hosts = np.concatenate(
        [hosts, np.flatnonzero(couple_only & (anchors >= 25) & (anchors < 58))]
    )
    target = unit_age[moving] - rng.normal(
        rules.parent_child_gap_mean, rules.parent_child_gap_sd, int(moving.sum())
    )
    picks = match_by_age(target, anchors[hosts], rng)
    joined = picks >= 0
    host_of_unit = hosts[picks[joined]]
    units = unit_id[moving][joined]
    couple_flags = unit_is_couple[moving][joined]
    lone = units[~couple_flags]
    household[lone] = host_of_unit[~couple_flags]
    relation[lone] = PARENT
    moved_households = units[couple_flags]
    if moved_households.size:
        destination = np.full(len(anchors), -1, dtype=np.int64)
        destination[moved_households] = host_of_unit[couple_flags]
        movers = np.flatnonzero(
            (household >= 0) & (destination[np.maximum(household, 0)] >= 0)
        )
        household[movers] = destination[household[movers]]
        # The couple become the host's parents; a grown child of theirs who
        # lived with them is the host's sibling ("other").
        relation[movers] = np.where(
            np.isin(relation[movers], (HEAD, SPOUSE)), PARENT, OTHER
        )

    # 7. Everyone else lives alone (for now: see share_dwellings).
    anchors, collective, _ = households_view()
    alone = np.flatnonzero(household < 0)
    ids = new_households(alone, age[alone], "single")
    household[alone] = ids
    relation[alone] = HEAD

    _, collective, _ = households_view()
    used, household = np.unique(household, return_inverse=True)
    return Formation(
        household=household.astype(np.int64),
        relation=relation,
        guardian=guardian,
        collective=collective[used],
    )


def share_dwellings(
    formation: Formation,
    age: np.ndarray,
    fewer: int,
    rng: np.random.Generator,
) -> int:
    """Reduce the number of households by up to `fewer` by letting singles share.

    Working-age adults living alone (18-64) move in with another such single,
    as relation "other". Returns how many households were removed.
    """
    sizes = np.bincount(formation.household, minlength=formation.count)
    alone = np.flatnonzero(
        (sizes[formation.household] == 1)
        & ~formation.collective[formation.household]
        & (age >= ADULT_AGE)
        & (age < 65)
    )
    moving = min(fewer, alone.size // 2)
    if moving <= 0:
        return 0
    alone = rng.permutation(alone)
    movers, hosts = alone[:moving], alone[moving:]
    destination = formation.household[hosts[rng.integers(0, hosts.size, moving)]]
    household = formation.household.copy()
    household[movers] = destination
    formation.relation[movers] = OTHER
    used, household = np.unique(household, return_inverse=True)
    formation.household = household.astype(np.int64)
    formation.collective = formation.collective[used]
    return moving
