"""Resident ID numbers and names for synthetic people, vectorized.

An ID number (公民身份号码, GB 11643-1999) is a 6-digit region code, the birth
date as YYYYMMDD, a 3-digit sequence number (odd for men, even for women) and an
ISO 7064 MOD 11-2 check character. `python-stdnum` (stdnum.cn.ric) accepts a
region code only if it existed in the year of birth, so people born in the city
carry the city's code of that year (442724 中山县 up to 1982, 440620 1983-1987,
442000 from 1988) and people born elsewhere a county code of their province
valid that year.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

from equiserve.synth.calibration import home_region_codes, names, origin_regions, rates

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2016, 12, 31)
FIRST_YEAR, LAST_YEAR = FIRST_DAY.year, LAST_DAY.year
_EPOCH = date(1970, 1, 1)
# ISO 7064 MOD 11-2 weights of the 17 digits: 2**(17 - i) mod 11.
_WEIGHTS = np.array([pow(2, 17 - i, 11) for i in range(17)], dtype=np.int64)
_POWERS = 10 ** np.arange(16, -1, -1, dtype=np.int64)


def days_since_epoch(day: date) -> int:
    """Return the number of days from 1970-01-01 (the Arrow/Polars date unit)."""
    return (day - _EPOCH).days


def date_parts(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split day numbers (since 1970-01-01) into year, month and day arrays."""
    as_dates = np.asarray(days, dtype=np.int64).astype("datetime64[D]")
    years = as_dates.astype("datetime64[Y]")
    months = as_dates.astype("datetime64[M]")
    return (
        years.astype(np.int64) + 1970,
        (months - years.astype("datetime64[M]")).astype(np.int64) + 1,
        (as_dates - months.astype("datetime64[D]")).astype(np.int64) + 1,
    )


def check_characters(first17: np.ndarray) -> np.ndarray:
    """Return the ISO 7064 MOD 11-2 check character of 17-digit integers."""
    digits = (np.asarray(first17, dtype=np.int64)[:, None] // _POWERS) % 10
    check = (12 - (digits @ _WEIGHTS) % 11) % 11
    return np.where(check == 10, "X", check.astype(str))


class IdNumbers:
    """Hand out unique ID numbers across the towns of one run.

    A counter per (region code, birth date, sex) carries over from town to town,
    so sequence numbers never repeat however the towns are generated.
    """

    def __init__(self) -> None:
        home = home_region_codes()
        origin = origin_regions()
        codes = list(dict.fromkeys(home["code"].to_list() + origin["code"].to_list()))
        self.codes = np.array([int(code) for code in codes], dtype=np.int64)
        index = {code: i for i, code in enumerate(codes)}
        self.days = (LAST_DAY - FIRST_DAY).days + 1
        self.first_day = days_since_epoch(FIRST_DAY)
        self.counter = np.zeros(len(codes) * self.days * 2, dtype=np.uint16)
        years = np.arange(FIRST_YEAR, LAST_YEAR + 1)

        self.home_by_year = np.full(years.size, -1, dtype=np.int64)
        for row in home.iter_rows(named=True):
            valid = (years >= row["valid_from"]) & (years <= row["valid_to"])
            self.home_by_year[valid & (self.home_by_year < 0)] = index[row["code"]]

        shares = rates()["origin"]["province_shares"]["values"]
        self.provinces = list(shares)
        self.province_probabilities = np.array(list(shares.values()), dtype=float)
        self.province_probabilities /= self.province_probabilities.sum()
        widest = origin.group_by("province").len()["len"].max()
        self.origin_table = np.full(
            (len(self.provinces), years.size, widest), -1, dtype=np.int64
        )
        self.origin_count = np.zeros((len(self.provinces), years.size), dtype=np.int64)
        for p, province in enumerate(self.provinces):
            rows = origin.filter(pl.col("province") == province)
            if rows.is_empty():
                raise ValueError(f"origin_regions.csv has no codes for {province}")
            for y, year in enumerate(years):
                valid = rows.filter(
                    (pl.col("valid_from") <= year) & (pl.col("valid_to") >= year)
                )["code"].to_list()
                self.origin_count[p, y] = len(valid)
                self.origin_table[p, y, : len(valid)] = [index[c] for c in valid]

    def home_codes(self, birth_days: np.ndarray) -> np.ndarray:
        """Return the city's code index valid in each birth year."""
        years, _, _ = date_parts(birth_days)
        return self.home_by_year[years - FIRST_YEAR]

    def origin_codes(
        self, birth_days: np.ndarray, rng: np.random.Generator
    ) -> np.ndarray:
        """Draw a province, then a county code of it valid in each birth year."""
        years, _, _ = date_parts(birth_days)
        province = rng.choice(
            len(self.provinces), size=len(years), p=self.province_probabilities
        )
        year = years - FIRST_YEAR
        count = self.origin_count[province, year]
        if (count == 0).any():
            raise ValueError("origin_regions.csv leaves some birth years uncovered")
        pick = (rng.random(len(years)) * count).astype(np.int64)
        return self.origin_table[province, year, pick]

    def assign(
        self, code_index: np.ndarray, birth_days: np.ndarray, male: np.ndarray
    ) -> pl.Series:
        """Return unique 18-character ID numbers, in the order given."""
        day = np.asarray(birth_days, dtype=np.int64) - self.first_day
        if day.size and (day.min() < 0 or day.max() >= self.days):
            raise ValueError("birth date outside 1900-2016")
        key = (code_index * self.days + day) * 2 + male.astype(np.int64)
        order = np.argsort(key, kind="stable")
        sorted_key = key[order]
        steps = np.arange(key.size)
        starts = np.ones(key.size, dtype=bool)
        starts[1:] = sorted_key[1:] != sorted_key[:-1]
        rank = np.empty(key.size, dtype=np.int64)
        rank[order] = steps - np.maximum.accumulate(np.where(starts, steps, 0))
        rank += self.counter[key]
        unique_keys, counts = np.unique(key, return_counts=True)
        self.counter[unique_keys] += counts.astype(np.uint16)
        sequence = np.where(male, 2 * rank + 1, 2 * rank + 2)
        if sequence.size and sequence.max() > 999:
            raise RuntimeError(
                "more than 499 people share a region, birth date and sex"
            )
        years, months, days = date_parts(birth_days)
        first17 = (
            self.codes[code_index] * 10**11
            + (years * 10_000 + months * 100 + days) * 1_000
            + sequence
        )
        return pl.Series(first17).cast(pl.String) + pl.Series(check_characters(first17))


class NameMaker:
    """Draw synthetic Chinese names: a surname and one or two given characters.

    Work is done on indices into small tables; `compose` turns them into text
    with one Polars gather per part.
    """

    def __init__(self) -> None:
        data = names()
        local, national = data["surnames_local"], data["surnames_national"]
        self.surname_table = pl.Series(list(local) + list(national), dtype=pl.String)
        self.surname_choices = {}
        offset = 0
        for group, table in (("registered", local), ("migrant", national)):
            weights = np.array(list(table.values()), dtype=float)
            indices = np.arange(offset, offset + len(table))
            self.surname_choices[group] = (indices, weights / weights.sum())
            offset += len(table)
        male, female = data["given_male"].split(), data["given_female"].split()
        # Male characters, then female ones, then "" for a one-character name.
        self.given_table = pl.Series(male + female + [""], dtype=pl.String)
        self.given_ranges = {True: (0, len(male)), False: (len(male), len(female))}
        self.two_characters = float(data["two_character_given_share"])

    def surnames_for(self, migrant: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Draw a surname (as an index) per person from their group's list."""
        result = np.empty(migrant.size, dtype=np.int64)
        for group, mask in (("registered", ~migrant), ("migrant", migrant)):
            indices, weights = self.surname_choices[group]
            result[mask] = rng.choice(indices, size=int(mask.sum()), p=weights)
        return result

    def compose(
        self, surnames: np.ndarray, male: np.ndarray, rng: np.random.Generator
    ) -> pl.Series:
        """Return full names: the given surnames and one or two drawn characters."""
        n = male.size
        start = np.where(male, self.given_ranges[True][0], self.given_ranges[False][0])
        count = np.where(male, self.given_ranges[True][1], self.given_ranges[False][1])
        first = start + (rng.random(n) * count).astype(np.int64)
        second = start + (rng.random(n) * count).astype(np.int64)
        second = np.where(
            rng.random(n) < self.two_characters, second, len(self.given_table) - 1
        )
        return (
            self.surname_table.gather(surnames)
            + self.given_table.gather(first)
            + self.given_table.gather(second)
        )
