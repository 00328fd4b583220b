"""Read the calibration files and derive the targets of the synthetic population.

The files live in `equiserve/reference/population/` (each figure with its
source key; see docs/DATA.md). Nothing here reads outside the package.
"""

from __future__ import annotations

import csv
from datetime import date
from functools import cache
from pathlib import Path

import numpy as np
import polars as pl
import yaml

POPULATION_DIR = Path(__file__).resolve().parent.parent / "reference" / "population"

REFERENCE_DATE = date(2015, 12, 31)
CENSUS_2010 = date(2010, 11, 1)
CENSUS_2020 = date(2020, 11, 1)
MAX_AGE = 100
AGE_BANDS = {
    "0-14": (0, 14),
    "15-59": (15, 59),
    "60-64": (60, 64),
    "65+": (65, MAX_AGE),
}
GROUPS = ("registered", "migrant")


@cache
def rates() -> dict:
    """Return the rates and distributions of `rates.yaml`."""
    with open(POPULATION_DIR / "rates.yaml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@cache
def names() -> dict:
    """Return the building blocks of synthetic names (`names.yaml`)."""
    with open(POPULATION_DIR / "names.yaml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@cache
def city_figures() -> dict[tuple[str, int], float]:
    """Return the cited city figures keyed by (indicator, year)."""
    with open(POPULATION_DIR / "city_figures.csv", encoding="utf-8") as handle:
        return {
            (row["indicator"], int(row["year"])): float(row["value"])
            for row in csv.DictReader(handle)
        }


def figure(indicator: str, year: int) -> float:
    """Return one cited city figure."""
    return city_figures()[(indicator, year)]


def interpolation_fraction() -> float:
    """Return how far the reference date lies from the 2010 to the 2020 census."""
    return (REFERENCE_DATE - CENSUS_2010).days / (CENSUS_2020 - CENSUS_2010).days


def interpolated(indicator: str) -> float:
    """Interpolate a census indicator linearly to the reference date."""
    low, high = figure(indicator, 2010), figure(indicator, 2020)
    return low + interpolation_fraction() * (high - low)


def family_household_size() -> float:
    """Return the target mean size of family households (census, interpolated)."""
    return interpolated("avg_family_household_size_census")


def city_totals() -> dict[str, float]:
    """Return the 2015 resident, registered and migrant totals of the city."""
    resident = figure("resident_pop_yearend", 2015)
    registered = figure("registered_pop_yearend", 2015)
    return {
        "resident": resident,
        "registered": registered,
        "migrant": resident - registered,
    }


def resident_age_bands() -> dict[str, float]:
    """Return the resident population's age-band shares at the reference date."""
    young = interpolated("age_share_0_14_census")
    working = interpolated("age_share_15_59_census")
    sixty = interpolated("age_share_60plus_census")
    sixty_five = interpolated("age_share_65plus_census")
    shares = {
        "0-14": young,
        "15-59": working,
        "60-64": sixty - sixty_five,
        "65+": sixty_five,
    }
    total = sum(shares.values())
    return {band: value / total for band, value in shares.items()}


def group_age_bands() -> dict[str, dict[str, float]]:
    """Return age-band shares of registered people and migrants.

    Migrants' shares are illustrative; the registered shares follow so that both
    groups together match the interpolated census shares of the city.
    """
    totals = city_totals()
    migrant = rates()["age"]["migrant_band_shares"]["values"]
    resident = resident_age_bands()
    registered = {}
    for band in AGE_BANDS:
        people = resident[band] * totals["resident"] - migrant[band] * totals["migrant"]
        if people < 0:
            raise ValueError(f"migrant share of age band {band} exceeds the city's")
        registered[band] = people / totals["registered"]
    return {"registered": registered, "migrant": dict(migrant)}


@cache
def age_probabilities(group: str) -> np.ndarray:
    """Return the probability of each single year of age 0-100 for a group."""
    bands = group_age_bands()[group]
    weights = rates()["age"]["five_year_weights"][group]
    probabilities = np.zeros(MAX_AGE + 1)
    for band, (low, high) in AGE_BANDS.items():
        ages = np.arange(low, high + 1)
        groups = np.minimum((ages - low) // 5, len(weights[band]) - 1)
        per_year = np.asarray(weights[band], dtype=float)[groups]
        probabilities[low : high + 1] = bands[band] * per_year / per_year.sum()
    return probabilities / probabilities.sum()


def largest_remainder(expected: np.ndarray, total: int) -> np.ndarray:
    """Round non-negative `expected` to integers summing to `total`.

    Hamilton's method: floor everything, then give the missing units to the
    largest remainders (ties to the lower index, so the result is deterministic).
    """
    expected = np.asarray(expected, dtype=float)
    if expected.sum() <= 0:
        return np.zeros(expected.shape, dtype=np.int64)
    scaled = expected * (total / expected.sum())
    counts = np.floor(scaled).astype(np.int64)
    missing = int(total - counts.sum())
    if missing > 0:
        order = np.argsort(-(scaled - counts), kind="stable")
        counts[order[:missing]] += 1
    return counts


@cache
def _town_shares() -> pl.DataFrame:
    """Return each 2015 town's share of the 2021 resident and registered totals."""
    from equiserve.synth.geo import towns

    town_frame = towns()
    pop_2000 = dict(
        zip(town_frame["code_9"], town_frame["pop_2000_census"], strict=True)
    )
    units = pl.read_csv(
        POPULATION_DIR / "town_population_2021.csv",
        schema_overrides={"codes_2015": pl.String},
    )
    resident_total = units["resident_2021"].sum()
    registered_total = units["registered_2021"].sum()
    rows = []
    for unit in units.iter_rows(named=True):
        codes = unit["codes_2015"].split()
        weights = np.array([pop_2000[code] for code in codes], dtype=float)
        if unit["split"] == "whole" and len(codes) != 1:
            raise ValueError(f"{unit['unit_name']}: 'whole' needs exactly one code")
        weights /= weights.sum()
        for code, weight in zip(codes, weights, strict=True):
            rows.append(
                {
                    "code_9": code,
                    "resident_share": unit["resident_2021"] * weight / resident_total,
                    "registered_share": unit["registered_2021"]
                    * weight
                    / registered_total,
                }
            )
    shares = pl.DataFrame(rows).sort("code_9")
    if shares["code_9"].to_list() != sorted(town_frame["code_9"].to_list()):
        raise ValueError("town_population_2021.csv does not cover the 24 towns")
    return shares


@cache
def _town_male_shares() -> dict[str, float]:
    city = figure("male_pct_census", 2020) / 100
    frame = pl.read_csv(
        POPULATION_DIR / "town_sex_2020.csv", schema_overrides={"code_9": pl.String}
    )
    return {
        code: (city if pct is None else pct / 100)
        for code, pct in zip(frame["code_9"], frame["male_pct"], strict=True)
    }


def town_targets(scale: float = 1.0) -> pl.DataFrame:
    """Return per town the expected and the integer counts at `scale`.

    Columns: code_9, resident_expected, registered_expected (floats, the
    calibration targets times `scale`), resident, registered, migrants,
    registered_males, migrant_males, collective (integers the generator uses;
    city totals rounded once, towns by largest remainder).
    """
    totals = city_totals()
    shares = _town_shares()
    resident_expected = shares["resident_share"].to_numpy() * totals["resident"] * scale
    registered_expected = (
        shares["registered_share"].to_numpy() * totals["registered"] * scale
    )
    resident = largest_remainder(resident_expected, round(totals["resident"] * scale))
    registered = largest_remainder(
        registered_expected, round(totals["registered"] * scale)
    )
    registered = np.minimum(registered, resident)
    migrants = resident - registered

    male_share = np.array([_town_male_shares()[code] for code in shares["code_9"]])
    registered_male_share = (
        figure("registered_pop_male_yearend", 2015) / totals["registered"]
    )
    registered_males = np.round(registered * registered_male_share).astype(np.int64)
    migrant_males = np.clip(
        np.round(resident * male_share).astype(np.int64) - registered_males,
        0,
        migrants,
    )
    collective = np.round(migrants * collective_share_of_migrants()).astype(np.int64)
    return pl.DataFrame(
        {
            "code_9": shares["code_9"],
            "resident_expected": resident_expected,
            "registered_expected": registered_expected,
            "male_share_expected": male_share,
            "resident": resident,
            "registered": registered,
            "migrants": migrants,
            "registered_males": registered_males,
            "migrant_males": migrant_males,
            "collective": collective,
        }
    )


def collective_share_of_migrants() -> float:
    """Return the share of migrants living in collective households (dormitories).

    The 2020 census share of the resident population in collective households,
    assumed for 2015 and carried by migrants alone.
    """
    share = figure("collective_household_pop_census", 2020) / figure(
        "resident_pop_census", 2020
    )
    totals = city_totals()
    return share * totals["resident"] / totals["migrant"]


def collective_household_size() -> float:
    """Return the 2020 census mean size of collective households."""
    return figure("collective_household_pop_census", 2020) / figure(
        "collective_households_census", 2020
    )


@cache
def origin_regions() -> pl.DataFrame:
    """Return the county codes of other provinces, with their years of validity."""
    return pl.read_csv(
        POPULATION_DIR / "origin_regions.csv",
        schema_overrides={"code": pl.String},
    ).with_columns(
        pl.col("valid_from").fill_null(1800).cast(pl.Int32),
        pl.col("valid_to").fill_null(9999).cast(pl.Int32),
    )


@cache
def home_region_codes() -> pl.DataFrame:
    """Return Zhongshan's own region codes, with their years of validity."""
    return pl.read_csv(
        POPULATION_DIR / "home_region_codes.csv",
        schema_overrides={"code": pl.String},
    ).with_columns(
        pl.col("valid_from").fill_null(1800).cast(pl.Int32),
        pl.col("valid_to").fill_null(9999).cast(pl.Int32),
    )


def interpolate_points(points: list[list[float]], x: np.ndarray) -> np.ndarray:
    """Interpolate a piecewise-linear curve given as [[x, y], ...] at `x`."""
    xs = np.array([point[0] for point in points], dtype=float)
    ys = np.array([point[1] for point in points], dtype=float)
    return np.interp(x, xs, ys)
