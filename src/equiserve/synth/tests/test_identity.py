"""Resident ID numbers: check characters, region codes by year, unique sequences."""

from datetime import date

import numpy as np
from stdnum.cn import ric

from equiserve.synth.calibration import names as names_yaml
from equiserve.synth.identity import (
    IdNumbers,
    NameMaker,
    check_characters,
    date_parts,
    days_since_epoch,
)


def test_check_character_of_the_stdnum_example():
    assert check_characters(np.array([36042619910101007])).tolist() == ["1"]


def test_check_characters_agree_with_stdnum_including_x():
    rng = np.random.default_rng(5)
    numbers = rng.integers(10**16, 10**17, size=2_000)
    ours = check_characters(numbers).tolist()
    theirs = [ric.calc_check_digit(f"{number}0") for number in numbers]
    assert ours == theirs
    assert "X" in ours


def test_date_parts_split_day_numbers():
    days = np.array(
        [days_since_epoch(date(1988, 2, 29)), days_since_epoch(date(1915, 12, 31))]
    )
    years, months, day = date_parts(days)
    assert years.tolist() == [1988, 1915]
    assert months.tolist() == [2, 12]
    assert day.tolist() == [29, 31]


def test_people_born_in_the_city_carry_the_code_of_their_birth_year():
    ids = IdNumbers()
    births = np.array(
        [
            days_since_epoch(date(year, 6, 1))
            for year in (1950, 1982, 1983, 1987, 1988, 2015)
        ]
    )
    codes = ids.codes[ids.home_codes(births)].tolist()
    assert codes == [442724, 442724, 440620, 440620, 442000, 442000]


def test_sequence_numbers_carry_over_between_towns():
    ids = IdNumbers()
    code = ids.home_codes(np.array([days_since_epoch(date(2000, 1, 1))]))
    birth = np.array([days_since_epoch(date(2000, 1, 1))] * 2)
    first = ids.assign(np.repeat(code, 2), birth, np.array([True, False])).to_list()
    second = ids.assign(np.repeat(code, 2), birth, np.array([True, False])).to_list()
    assert [number[:17] for number in first] == [
        "44200020000101001",
        "44200020000101002",
    ]
    assert [number[:17] for number in second] == [
        "44200020000101003",
        "44200020000101004",
    ]
    assert all(ric.is_valid(number) for number in first + second)


def test_origin_codes_are_valid_in_the_birth_year():
    ids = IdNumbers()
    rng = np.random.default_rng(3)
    births = rng.integers(
        days_since_epoch(date(1915, 1, 1)), days_since_epoch(date(2015, 12, 31)), 3_000
    )
    male = rng.random(births.size) < 0.5
    numbers = ids.assign(ids.origin_codes(births, rng), births, male).to_list()
    assert [number for number in numbers if not ric.is_valid(number)] == []
    assert not any(
        number.startswith(("442000", "440620", "442724")) for number in numbers
    )


def test_names_have_a_surname_and_one_or_two_given_characters():
    maker = NameMaker()
    rng = np.random.default_rng(1)
    migrant = np.array([False, True] * 500)
    surnames = maker.surnames_for(migrant, rng)
    names = maker.compose(surnames, migrant, rng).to_list()
    local = set(names_yaml()["surnames_local"])
    assert all(name[0] in local or name[:2] in local for name in names[::2])
    assert {len(name) for name in names} <= {2, 3, 4}
    assert any(name.startswith("王") for name in names[1::2])
    two_characters = sum(len(name) == 3 for name in names) / len(names)
    assert 0.65 < two_characters < 0.85
