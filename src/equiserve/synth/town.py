"""Generate the people and households of one town, vectorized.

Order of work: exact ages and sexes per group (registered, migrant), households
formed around them, households placed in villages, then everything the plan's
rules read (residence, points, school, income, rarer states) and identities.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from equiserve.synth import attributes, calibration
from equiserve.synth.attributes import (
    HARDSHIP_CAUSES,
    HOSPITAL_GRADES,
    NONE,
    SCHOOL_STAGES,
    SCHOOL_YEAR_START,
    VETERAN_KINDS,
    pick_weighted,
)
from equiserve.synth.calibration import REFERENCE_DATE, interpolate_points
from equiserve.synth.households import (
    CHILD,
    HEAD,
    RELATIONS,
    Formation,
    GroupRules,
    form_households,
    share_dwellings,
)
from equiserve.synth.identity import (
    IdNumbers,
    NameMaker,
    date_parts,
    days_since_epoch,
)

_M_PER_DEG_LAT = 111_195.0


@dataclass(frozen=True)
class TownPlan:
    """The integer targets of one town (from `calibration.town_targets`)."""

    code: str
    resident: int
    registered: int
    migrants: int
    registered_males: int
    migrant_males: int
    collective: int
    # The synthetic city of a run of several (issue 20); None in a run of one.
    city: int | None = None


@dataclass
class Shared:
    """What all towns of one run share: rules, tables and running counters."""

    rates: dict
    rules: dict[str, GroupRules]
    villages: pl.DataFrame
    ids: IdNumbers
    names: NameMaker
    family_size: float
    person_width: int
    household_width: int
    next_person: int = 0
    next_household: int = 0

    @classmethod
    def build(cls, total_people: int) -> Shared:
        from equiserve.synth import geo

        rates = calibration.rates()
        width = id_width(total_people)
        return cls(
            rates=rates,
            rules={group: group_rules(rates, group) for group in calibration.GROUPS},
            villages=geo.villages(),
            ids=IdNumbers(),
            names=NameMaker(),
            family_size=calibration.family_household_size(),
            person_width=width,
            household_width=width,
        )


def id_width(total_people: int) -> int:
    """Return the digits of a run's person and household numbers."""
    return max(7, len(str(total_people)))


def group_rules(rates: dict, group: str) -> GroupRules:
    """Collect one group's household-formation rates from `rates.yaml`."""
    households = rates["households"]
    children = households["children_per_family"][group]
    mother = households["mother_age_at_first_birth"][group]
    gap = households["husband_age_gap"]["values"]
    parent_gap = households["parent_child_age_gap"]["values"]
    sizes = np.array([int(k) for k in children], dtype=np.int64)
    probabilities = np.array(list(children.values()), dtype=float)
    return GroupRules(
        children_sizes=sizes,
        children_probabilities=probabilities / probabilities.sum(),
        mother_age_mean=mother["mean"],
        mother_age_sd=mother["sd"],
        mother_age_min=mother["min"],
        mother_age_max=mother["max"],
        partner_present=households["partner_present"][group],
        husband_gap_mean=gap["mean"],
        husband_gap_sd=gap["sd"],
        married_share_by_age=households["married_share_by_age"]["values"],
        young_adult_with_parents=households["young_adult_with_parents"][group],
        elderly_with_children=households["elderly_with_children"][group],
        parent_child_gap_mean=parent_gap["mean"],
        parent_child_gap_sd=parent_gap["sd"],
        collective_size=calibration.collective_household_size(),
    )


def _exact_ages(n: int, group: str, rng: np.random.Generator) -> np.ndarray:
    """Draw ages with each age band's count exact (largest remainder), years within."""
    probabilities = calibration.age_probabilities(group)
    bands = list(calibration.AGE_BANDS.values())
    band_probability = np.array([probabilities[lo : hi + 1].sum() for lo, hi in bands])
    counts = calibration.largest_remainder(band_probability * n, n)
    ages = [
        rng.choice(
            np.arange(lo, hi + 1),
            size=count,
            p=probabilities[lo : hi + 1] / probabilities[lo : hi + 1].sum(),
        )
        for (lo, hi), count in zip(bands, counts, strict=True)
    ]
    return rng.permutation(np.concatenate(ages))


def _year_bounds(years: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    starts = (years - 1970).astype("datetime64[Y]").astype("datetime64[D]")
    lengths = 365 + ((years % 4 == 0) & ((years % 100 != 0) | (years % 400 == 0)))
    return starts.astype(np.int64), lengths.astype(np.int64)


def _birth_days(ages: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    # On 31 December everyone has had this year's birthday: birth year = 2015 - age.
    starts, lengths = _year_bounds(REFERENCE_DATE.year - ages)
    return starts + (rng.random(ages.size) * lengths).astype(np.int64)


def exact_years(birth_days: np.ndarray) -> np.ndarray:
    """Return age in years on the reference date; its floor is the age in whole years."""
    years, _, _ = date_parts(birth_days)
    starts, lengths = _year_bounds(years)
    return (REFERENCE_DATE.year - years) + (starts + lengths - 1 - birth_days) / lengths


def _group(
    n: int, males: int, group: str, shared: Shared, collective: int, rng
) -> tuple[np.ndarray, np.ndarray, Formation]:
    ages = _exact_ages(n, group, rng)
    birth = _birth_days(ages, rng)
    weights = interpolate_points(
        shared.rates["sex"]["male_weight_by_age"]["values"], ages
    )
    male = np.zeros(n, dtype=bool)
    male[pick_weighted(weights, males, rng)] = True
    formation = form_households(
        exact_years(birth), male, shared.rules[group], collective, rng
    )
    return birth, male, formation


def _combine(parts: list[tuple[np.ndarray, np.ndarray, Formation]]):
    birth = np.concatenate([part[0] for part in parts])
    male = np.concatenate([part[1] for part in parts])
    offset_people = 0
    offset_households = 0
    households, relations, guardians, collective = [], [], [], []
    for part_birth, _, formation in parts:
        households.append(formation.household + offset_households)
        relations.append(formation.relation)
        guardians.append(
            np.where(formation.guardian >= 0, formation.guardian + offset_people, -1)
        )
        collective.append(formation.collective)
        offset_people += part_birth.size
        offset_households += formation.count
    combined = Formation(
        household=np.concatenate(households),
        relation=np.concatenate(relations),
        guardian=np.concatenate(guardians),
        collective=np.concatenate(collective),
    )
    return birth, male, combined


def generate_town(
    plan: TownPlan, shared: Shared, rng: np.random.Generator
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return (persons, households) of one town as Polars frames."""
    parts = [
        _group(plan.registered, plan.registered_males, "registered", shared, 0, rng),
        _group(
            plan.migrants, plan.migrant_males, "migrant", shared, plan.collective, rng
        ),
    ]
    birth, male, formation = _combine(parts)
    n = birth.size
    migrant = np.zeros(n, dtype=bool)
    migrant[plan.registered :] = True
    age = exact_years(birth)

    # Calibrate the number of family households to the census mean size.
    in_collective = formation.collective[formation.household]
    target = round(int((~in_collective).sum()) / shared.family_size)
    fewer = int((~formation.collective).sum()) - target
    for eligible in (migrant, ~migrant):
        if fewer > 0:
            fewer -= share_dwellings(
                formation, np.where(eligible, age, -1.0), fewer, rng
            )

    households = _place_households(plan, shared, formation, migrant, rng)
    return _describe_people(
        plan, shared, formation, households, birth, male, migrant, age, rng
    )


def _place_households(
    plan: TownPlan,
    shared: Shared,
    formation: Formation,
    migrant: np.ndarray,
    rng: np.random.Generator,
) -> dict:
    """Find each household's head, put it in a village and near the village point."""
    count = formation.count
    head = np.full(count, -1, dtype=np.int64)
    heads = np.flatnonzero(formation.relation == HEAD)
    head[formation.household[heads]] = heads
    if (head < 0).any():
        raise RuntimeError("a household without a head")

    villages = shared.villages.filter(pl.col("town") == plan.code)
    weights = villages["population_weight"].to_numpy()
    village = rng.choice(villages.height, size=count, p=weights / weights.sum())
    order = np.lexsort((rng.random(count), village))
    rank = np.empty(count, dtype=np.int64)
    rank[order] = np.arange(count)

    sd_m = shared.rates["location"]["sd_m"]
    v_lat = villages["lat"].to_numpy()[village]
    m_per_deg_lon = _M_PER_DEG_LAT * np.cos(np.radians(v_lat))
    lon = (
        villages["lon"].to_numpy()[village] + rng.normal(0, sd_m, count) / m_per_deg_lon
    )
    lat = v_lat + rng.normal(0, sd_m, count) / _M_PER_DEG_LAT
    is_urban = villages["is_urban"].to_numpy()[village]
    return {
        "head": head,
        "rank": rank,
        "order": order,
        "village": village,
        "village_codes": villages["code"],
        "lon": np.round(lon, 6),
        "lat": np.round(lat, 6),
        "is_urban": is_urban,
        "migrant": migrant[head],
    }


def _describe_people(
    plan: TownPlan,
    shared: Shared,
    formation: Formation,
    households: dict,
    birth: np.ndarray,
    male: np.ndarray,
    migrant: np.ndarray,
    age: np.ndarray,
    rng: np.random.Generator,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Draw everyone's facts, give out identities and build the two frames."""
    rates = shared.rates
    n = birth.size
    hh = formation.household
    count = formation.count

    since, elsewhere = attributes.resident_since(
        formation, households, birth, migrant, age, rates, rng
    )
    points = attributes.points(migrant, age, since, rates, rng)
    stage = attributes.school_stage(birth, migrant, rates, rng)

    # Hukou type of registered households, by the kind of village they live in.
    hukou_rates = rates["hukou_kind"]
    urban_share = np.where(
        households["is_urban"],
        hukou_rates["urban_share_in_community"],
        hukou_rates["urban_share_in_village"],
    )
    urban_hukou = rng.random(count) < urban_share

    # Income, low-income status, floor area, assets.
    size = np.bincount(hh, minlength=count)
    income = attributes.incomes(formation, migrant, age, rates, rng)
    low_income, floor_area, assets = attributes.household_economy(
        formation, households["migrant"], urban_hukou, income, rates, rng
    )

    # Rarer states.
    is_guardian = np.zeros(n, dtype=bool)
    is_guardian[formation.guardian[formation.guardian >= 0]] = True
    veteran_kind, discharged, nco_years = attributes.veterans(
        np.flatnonzero(~migrant & male), birth, plan.registered, rates, rng
    )
    death_day, storage_days, ash_years = attributes.deaths(
        age, birth, is_guardian | (veteran_kind >= 0), rates, rng
    )
    t1d_day, t1d_grade = attributes.t1d(age, birth, rates, rng)
    hardship_cause, hardship_day = attributes.hardship(
        migrant & (age >= 18) & (death_day == NONE), since, rates, rng
    )
    stage[(death_day != NONE) & (death_day < days_since_epoch(SCHOOL_YEAR_START))] = 0

    # Final order: households by village, people by household, relation, age.
    person_order = np.lexsort((-age, formation.relation, households["rank"][hh]))
    position = np.empty(n, dtype=np.int64)
    position[person_order] = np.arange(n)
    first_person, first_household = shared.next_person, shared.next_household
    shared.next_person += n
    shared.next_household += count

    code_index = np.where(
        migrant | elsewhere,
        shared.ids.origin_codes(birth, rng),
        shared.ids.home_codes(birth),
    )
    o = person_order
    id_numbers = shared.ids.assign(code_index[o], birth[o], male[o])
    surnames = shared.names.surnames_for(migrant, rng)
    head = households["head"]
    takes_head_name = (formation.relation == CHILD) & male[head[hh]]
    surnames = np.where(takes_head_name, surnames[head[hh]], surnames)
    full_names = shared.names.compose(surnames[o], male[o], rng)
    guardian = formation.guardian[o]

    frame = pl.DataFrame(
        {
            "_position": np.arange(n),
            "_household": households["rank"][hh[o]],
            "name": full_names,
            "id_number": id_numbers,
            "_male": male[o],
            "_birth": birth[o],
            "_migrant": migrant[o],
            "_urban_hukou": urban_hukou[hh[o]],
            "village": households["village_codes"].gather(households["village"][hh[o]]),
            "relation": _texts(RELATIONS, formation.relation[o]),
            "_since": since[o],
            "_points": points[o],
            "school_stage": _texts(SCHOOL_STAGES, stage[o]),
            "_guardian": np.where(guardian >= 0, position[np.maximum(guardian, 0)], -1),
            "low_income": low_income[hh[o]] & ~migrant[o],
            "_veteran_kind": _texts(VETERAN_KINDS, veteran_kind[o]),
            "_discharged": discharged[o],
            "_nco_years": nco_years[o],
            "_t1d_day": t1d_day[o],
            "_t1d_grade": _texts(HOSPITAL_GRADES, t1d_grade[o]),
            "_death_day": death_day[o],
            "_storage_days": storage_days[o],
            "_ash_years": ash_years[o],
            "_hardship_cause": _texts(HARDSHIP_CAUSES, hardship_cause[o]),
            "_hardship_day": hardship_day[o],
            "lon": households["lon"][hh[o]],
            "lat": households["lat"][hh[o]],
        }
    )
    person_id = _id_expr("p", first_person, shared.person_width)
    household_id = _id_expr("h", first_household, shared.household_width)
    persons = frame.select(
        person_id(pl.col("_position")).alias("id"),
        household_id(pl.col("_household")).alias("household"),
        "name",
        "id_number",
        pl.when(pl.col("_male")).then(pl.lit("M")).otherwise(pl.lit("F")).alias("sex"),
        _date("_birth").alias("birth_date"),
        pl.when(pl.col("_migrant"))
        .then(pl.lit("elsewhere"))
        .otherwise(pl.lit("zhongshan"))
        .alias("hukou"),
        pl.when(~pl.col("_migrant"))
        .then(
            pl.when(pl.col("_urban_hukou"))
            .then(pl.lit("urban"))
            .otherwise(pl.lit("rural"))
        )
        .alias("hukou_kind"),
        pl.lit(plan.code).alias("town"),
        *_city(plan),
        "village",
        "relation",
        _date("_since").alias("resident_since"),
        pl.when(pl.col("_points").is_not_nan()).then("_points").alias("points"),
        "school_stage",
        pl.when(pl.col("_guardian") >= 0)
        .then(person_id(pl.col("_guardian")))
        .alias("guardian"),
        "low_income",
        pl.when(pl.col("_veteran_kind").is_not_null())
        .then(
            pl.struct(
                kind=pl.col("_veteran_kind"),
                discharged=_date("_discharged"),
                nco_years=_int("_nco_years"),
            )
        )
        .alias("veteran"),
        pl.when(pl.col("_t1d_grade").is_not_null())
        .then(
            pl.struct(
                diagnosed=_date("_t1d_day"),
                hospital_grade=pl.col("_t1d_grade"),
            )
        )
        .alias("t1d"),
        pl.when(pl.col("_death_day") != NONE)
        .then(
            pl.struct(
                date=_date("_death_day"),
                storage_days=_int("_storage_days"),
                ash_storage_years=_int("_ash_years"),
            )
        )
        .alias("death"),
        pl.when(pl.col("_hardship_cause").is_not_null())
        .then(
            pl.struct(
                cause=pl.col("_hardship_cause"),
                date=_date("_hardship_day"),
            )
        )
        .alias("hardship"),
        "lon",
        "lat",
    )

    order = households["order"]
    head_frame = pl.DataFrame(
        {
            "_rank": np.arange(count),
            "village": households["village_codes"].gather(households["village"][order]),
            "_collective": formation.collective[order],
            "size": size[order],
            "_head": position[head[order]],
            "_migrant": households["migrant"][order],
            "_urban_hukou": urban_hukou[order],
            "is_urban": households["is_urban"][order],
            "floor_area_m2": floor_area[order],
            "annual_income": np.round(income[order], 2),
            "assets": assets[order],
            "low_income": low_income[order],
            "lon": households["lon"][order],
            "lat": households["lat"][order],
        }
    )
    households_frame = head_frame.select(
        household_id(pl.col("_rank")).alias("id"),
        pl.lit(plan.code).alias("town"),
        *_city(plan),
        "village",
        pl.when(pl.col("_collective"))
        .then(pl.lit("collective"))
        .otherwise(pl.lit("family"))
        .alias("kind"),
        pl.col("size").cast(pl.Int32),
        person_id(pl.col("_head")).alias("head"),
        pl.when(pl.col("_migrant"))
        .then(pl.lit("elsewhere"))
        .otherwise(pl.lit("zhongshan"))
        .alias("hukou"),
        pl.when(~pl.col("_migrant"))
        .then(
            pl.when(pl.col("_urban_hukou"))
            .then(pl.lit("urban"))
            .otherwise(pl.lit("rural"))
        )
        .alias("hukou_kind"),
        "is_urban",
        "floor_area_m2",
        "annual_income",
        "assets",
        "low_income",
        "lon",
        "lat",
    )
    return persons, households_frame


def _city(plan: TownPlan) -> list[pl.Expr]:
    """Return the `city` column of a run of several synthetic cities (none of one)."""
    if plan.city is None:
        return []
    return [pl.lit(plan.city, dtype=pl.Int32).alias("city")]


def _texts(values, index: np.ndarray) -> pl.Series:
    """Return `values[index]` as strings, null where the index is negative."""
    table = pl.Series(list(values), dtype=pl.String)
    return table.gather(
        pl.Series(index, dtype=pl.Int64).set(pl.Series(index < 0), None)
    )


def _id_expr(prefix: str, start: int, width: int):
    def build(number: pl.Expr) -> pl.Expr:
        return pl.lit(prefix) + (number + start + 1).cast(pl.String).str.zfill(width)

    return build


def _date(column: str) -> pl.Expr:
    value = pl.col(column)
    return pl.when(value != NONE).then(value.cast(pl.Int32).cast(pl.Date))


def _int(column: str) -> pl.Expr:
    value = pl.col(column)
    return pl.when(value != NONE).then(value.cast(pl.Int32))
