"""Per-person facts the plan's rules read, drawn for one town, vectorized.

Residence, points, school stage, income, and the rarer states: veterans,
deaths, type-1 diabetes and sudden hardship. Every rate comes from
`reference/population/rates.yaml`; docs/DATA.md says how each is used.
Dates are day numbers since 1970-01-01; `NONE` marks "no date / not
applicable" until the frame is built.
"""

from __future__ import annotations

import math
from datetime import date

import numpy as np

from equiserve.policy.vocabulary import codes
from equiserve.synth.calibration import REFERENCE_DATE, interpolate_points
from equiserve.synth.households import CHILD, PARENT, SPOUSE, Formation
from equiserve.synth.identity import date_parts, days_since_epoch

YEAR_DAYS = 365.2425
REF_DAY = days_since_epoch(REFERENCE_DATE)
SCHOOL_YEAR_START = date(2015, 9, 1)
NONE = np.iinfo(np.int32).min  # "no date" sentinel before conversion to null
# The codes are the plan's vocabulary (inputs.yaml), in its order.
SCHOOL_STAGES = codes("school_stage")
VETERAN_KINDS = codes("veteran_kind")
HARDSHIP_CAUSES = codes("hardship_cause")
HOSPITAL_GRADES = codes("t1d_hospital_grade")


def pick_weighted(weights: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """Pick `k` distinct indices with probability proportional to `weights`.

    Efraimidis-Spirakis keys (log(u) / w, the k largest); zero weights are never
    picked, so fewer than `k` come back when too few weights are positive.
    """
    weights = np.asarray(weights, dtype=float)
    k = min(k, int((weights > 0).sum()))
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    with np.errstate(divide="ignore"):
        keys = np.log(rng.random(weights.size)) / weights
    keys[weights <= 0] = -np.inf
    chosen = np.argpartition(-keys, k - 1)[:k]
    return np.sort(chosen)


def stochastic_round(expected: float, rng: np.random.Generator) -> int:
    """Round down or up at random so that the mean equals `expected`."""
    whole = math.floor(expected)
    return whole + int(rng.random() < expected - whole)


def resident_since(
    formation: Formation,
    households: dict,
    birth: np.ndarray,
    migrant: np.ndarray,
    age: np.ndarray,
    rates: dict,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Return (resident_since day, born elsewhere) per person."""
    n = birth.size
    residence = rates["residence"]
    # Registered people: born here (resident since birth) or moved in as adults.
    elsewhere = (
        ~migrant
        & (age >= 25)
        & (rng.random(n) < residence["registered_born_elsewhere"]["value"])
    )
    years_here = rng.uniform(1.0, np.maximum(age - 18.0, 1.0))
    since = np.where(
        elsewhere, REF_DAY - (years_here * YEAR_DAYS).astype(np.int64), birth
    )

    # Migrants: each person's own arrival, then family members follow the head.
    values = residence["migrant_years_in_city"]["values"]
    collective = formation.collective[formation.household]
    mean = np.where(collective, values["collective_mean_years"], values["mean_years"])
    years = np.where(
        rng.random(n) < values["recent"],
        rng.random(n),
        1.0 + rng.exponential(1.0, n) * mean,
    )
    years = np.minimum(
        np.minimum(years, values["max_years"]), np.maximum(age - 16.0, 0.0)
    )
    own = REF_DAY - (years * YEAR_DAYS).astype(np.int64)
    head_arrival = own[households["head"]][formation.household]
    lag_years = np.select(
        [
            formation.relation == SPOUSE,
            formation.relation == CHILD,
            formation.relation == PARENT,
        ],
        [rng.uniform(0, 2, n), rng.uniform(0, 1, n), rng.uniform(0, 4, n)],
        0.0,
    )
    follows = np.isin(formation.relation, (SPOUSE, CHILD, PARENT)) & ~collective
    joined = np.where(
        follows, head_arrival + (lag_years * YEAR_DAYS).astype(np.int64), own
    )
    joined = np.clip(np.maximum(joined, birth), None, REF_DAY)
    return np.where(migrant, joined, since), elsewhere


def points(
    migrant: np.ndarray, age: np.ndarray, since: np.ndarray, rates: dict, rng
) -> np.ndarray:
    """Return a points score for adult migrants, in half-points (NaN otherwise).

    The points system steps by 0.5 (7.5 a half-year of residence permit), so the
    score is floored to the half-point, not the whole point (issue 12, point 5).
    """
    rules = rates["points"]
    n = age.size
    education = rules["education"]
    skill = rules["skill"]
    score = np.asarray(education["levels"], dtype=float)[
        rng.choice(len(education["levels"]), size=n, p=education["shares"])
    ]
    score += np.asarray(skill["levels"], dtype=float)[
        rng.choice(len(skill["levels"]), size=n, p=skill["shares"])
    ]
    half_years = np.floor((REF_DAY - since) / (YEAR_DAYS / 2))
    coverage = rng.uniform(
        rules["insured_coverage"]["min"], rules["insured_coverage"]["max"], n
    )
    insured = rng.random(n) < rules["insured_share"]
    score += (
        np.where(insured, np.floor(half_years * coverage), 0)
        * rules["insurance_per_half_year"]
    )
    score += half_years * rules["permit_per_half_year"]
    score += np.where(
        rng.random(n) < rules["home"]["share"], rules["home"]["points"], 0
    )
    return np.where(migrant & (age >= 18), np.floor(score * 2) / 2, np.nan)


def school_stage(
    birth: np.ndarray, migrant: np.ndarray, rates: dict, rng
) -> np.ndarray:
    """Return an index into SCHOOL_STAGES per person, by age on 2015-08-31."""
    years, months, _ = date_parts(birth)
    age = SCHOOL_YEAR_START.year - years - (months >= SCHOOL_YEAR_START.month)
    enrolment = rates["school"]
    n = birth.size
    u = rng.random(n)
    stage = np.zeros(n, dtype=np.int64)
    for group, mask in (("registered", ~migrant), ("migrant", migrant)):
        share = enrolment[group]
        for name, low, high in (
            ("kindergarten", 3, 5),
            ("primary", 6, 11),
            ("junior", 12, 14),
        ):
            chosen = mask & (age >= low) & (age <= high) & (u < share[name])
            stage[chosen] = SCHOOL_STAGES.index(name)
        older = mask & (age >= 15) & (age <= 17)
        stage[older & (u < share["senior"])] = SCHOOL_STAGES.index("senior")
        vocational = (
            older & (u >= share["senior"]) & (u < share["senior"] + share["vocational"])
        )
        stage[vocational] = SCHOOL_STAGES.index("vocational")
    return stage


def incomes(
    formation: Formation,
    migrant: np.ndarray,
    age: np.ndarray,
    rates: dict,
    rng,
) -> np.ndarray:
    """Return each household's annual income (sum of wages and pensions)."""
    income_rates = rates["income"]
    n = age.size
    personal = np.zeros(n)
    for group, mask in (("registered", ~migrant), ("migrant", migrant)):
        r = income_rates[group]
        working = mask & (age >= 18) & (age < 60) & (rng.random(n) < r["employment"])
        personal[working] = rng.lognormal(
            math.log(r["wage_median"]), r["wage_sigma"], int(working.sum())
        )
        retired = mask & (age >= 60) & (rng.random(n) < r["pension_share"])
        personal[retired] = rng.lognormal(
            math.log(r["pension_median"]), r["pension_sigma"], int(retired.sum())
        )
    return np.bincount(formation.household, weights=personal, minlength=formation.count)


def veterans(
    candidates: np.ndarray, birth: np.ndarray, registered: int, rates: dict, rng
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pick registered men discharged 2013-2016: (kind index, day, NCO years)."""
    n = birth.size
    kind = np.full(n, -1, dtype=np.int64)
    discharged = np.full(n, NONE, dtype=np.int64)
    nco = np.full(n, NONE, dtype=np.int64)
    rules = rates["veterans"]
    first, last = rules["years"]
    order = candidates[np.argsort(birth[candidates], kind="stable")]
    sorted_birth = birth[order]
    taken = np.zeros(n, dtype=bool)
    for year in range(first, last + 1):
        autumn = days_since_epoch(date(year, 9, 1))
        for k, name in enumerate(VETERAN_KINDS):
            count = stochastic_round(
                rules["per_100k_registered_per_year"][name] * registered / 1e5, rng
            )
            if not count:
                continue
            if name == "conscript":
                years = np.zeros(count, dtype=np.int64)
            else:
                table = rules["nco_years"][name]
                weights = np.asarray(table["weights"], dtype=float)
                years = rng.choice(
                    table["values"], size=count, p=weights / weights.sum()
                )
            for served in np.unique(years):
                wanted = int((years == served).sum())
                low_age, high_age = (
                    (19, 23)
                    if name == "conscript"
                    else (
                        20 + served,
                        23 + served,
                    )
                )
                lo = np.searchsorted(sorted_birth, autumn - high_age * YEAR_DAYS)
                hi = np.searchsorted(sorted_birth, autumn - low_age * YEAR_DAYS)
                pool = order[lo:hi]
                pool = pool[~taken[pool]]
                chosen = rng.permutation(pool)[:wanted]
                taken[chosen] = True
                kind[chosen] = k
                nco[chosen] = served
                discharged[chosen] = autumn + rng.integers(0, 122, chosen.size)
    return kind, discharged, nco


def deaths(
    age: np.ndarray, birth: np.ndarray, excluded: np.ndarray, rates: dict, rng
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pick deaths 2014-2016 at the cited rate, weighted by age."""
    rules = rates["deaths"]
    n = age.size
    first, last = rules["window"]["values"]
    expected = rules["rate_per_mille"]["value"] / 1000 * n * (last - first + 1)
    weight = rules["age_weight"]["values"]
    weights = np.exp(weight["slope"] * (age - 80.0)) + np.where(
        age < 1, weight["infant"], 0.0
    )
    weights[excluded] = 0.0
    chosen = pick_weighted(weights, stochastic_round(expected, rng), rng)
    start = np.maximum(birth[chosen], days_since_epoch(date(first, 1, 1)))
    end = days_since_epoch(date(last, 12, 31))
    day = np.full(n, NONE, dtype=np.int64)
    day[chosen] = start + (rng.random(chosen.size) * (end - start + 1)).astype(np.int64)
    storage = np.full(n, NONE, dtype=np.int64)
    ashes = np.full(n, NONE, dtype=np.int64)
    for target, table in (
        (storage, rules["storage_days"]),
        (ashes, rules["ash_storage_years"]),
    ):
        weights = np.asarray(table["weights"], dtype=float)
        target[chosen] = rng.choice(
            table["values"], size=chosen.size, p=weights / weights.sum()
        )
    return day, storage, ashes


def t1d(age: np.ndarray, birth: np.ndarray, rates: dict, rng):
    """Pick people with type-1 diabetes: (diagnosis day, index into HOSPITAL_GRADES)."""
    rules = rates["t1d"]
    n = age.size
    count = stochastic_round(rules["prevalence_per_100k"]["value"] * n / 1e5, rng)
    weights = interpolate_points(rules["age_weight"]["values"], age)
    chosen = pick_weighted(weights, count, rng)
    end = days_since_epoch(date(2016, 12, 31))
    oldest = np.minimum(age[chosen] + 1.0, rules["diagnosis_age"]["max"])
    at_age = rng.uniform(1.0, np.maximum(oldest, 1.0))
    day = np.full(n, NONE, dtype=np.int64)
    day[chosen] = np.minimum(birth[chosen] + (at_age * YEAR_DAYS).astype(np.int64), end)
    table = rules["hospital_grades"]["weights"]
    weights = np.array([table[grade] for grade in HOSPITAL_GRADES], dtype=float)
    grade = np.full(n, -1, dtype=np.int64)
    grade[chosen] = rng.choice(
        len(HOSPITAL_GRADES), size=chosen.size, p=weights / weights.sum()
    )
    return day, grade


def hardship(
    eligible: np.ndarray, since: np.ndarray, rates: dict, rng
) -> tuple[np.ndarray, np.ndarray]:
    """Pick sudden-hardship events among adult migrants: (cause index, day)."""
    rules = rates["hardship"]
    n = eligible.size
    cause = np.full(n, -1, dtype=np.int64)
    day = np.full(n, NONE, dtype=np.int64)
    causes = np.array([rules["causes"][name] for name in HARDSHIP_CAUSES], dtype=float)
    first, last = rules["years"]
    free = eligible.copy()
    for year in range(first, last + 1):
        start = days_since_epoch(date(year, 1, 1))
        end = days_since_epoch(date(year, 12, 31))
        pool = np.flatnonzero(free & (since <= end))
        count = stochastic_round(
            rules["per_mille_per_year"] / 1000 * eligible.sum(), rng
        )
        chosen = rng.permutation(pool)[:count]
        free[chosen] = False
        begin = np.maximum(since[chosen], start)
        day[chosen] = begin + (rng.random(chosen.size) * (end - begin + 1)).astype(
            np.int64
        )
        cause[chosen] = rng.choice(
            len(HARDSHIP_CAUSES), size=chosen.size, p=causes / causes.sum()
        )
    return cause, day


def household_economy(
    formation: Formation,
    migrant_household: np.ndarray,
    urban_hukou: np.ndarray,
    income: np.ndarray,
    rates: dict,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return per household (low-income flag, floor area m², assets CNY).

    Low-income: the poorest share of registered family households per head in
    the town (rates: low_income). Floor area: a lognormal area per person by
    kind of household, times size^0.9. Assets: income times a lognormal factor.
    """
    count = formation.count
    size = np.bincount(formation.household, minlength=count)
    per_head = income / size
    registered_family = ~migrant_household & ~formation.collective
    low_income = np.zeros(count, dtype=bool)
    flagged = round(
        rates["low_income"]["share_of_registered_households"] * registered_family.sum()
    )
    if flagged:
        candidates = np.flatnonzero(registered_family)
        ranked = candidates[
            np.lexsort((rng.random(candidates.size), per_head[candidates]))
        ]
        low_income[ranked[:flagged]] = True

    housing = rates["housing"]
    kinds = ("registered_urban", "registered_rural", "migrant", "collective")
    kind = np.select(
        [formation.collective, migrant_household, urban_hukou], [3, 2, 0], 1
    )
    medians = np.array([housing[k]["median"] for k in kinds])
    sigmas = np.array([housing[k]["sigma"] for k in kinds])
    floor_area = np.round(
        rng.lognormal(np.log(medians[kind]), sigmas[kind]) * size**0.9, 1
    )
    assets_rule = rates["income"]["assets_to_income"]
    factor = rng.lognormal(math.log(assets_rule["median"]), assets_rule["sigma"], count)
    return low_income, floor_area, np.round(income * factor, 2)
