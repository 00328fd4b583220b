"""The calibration targets derived from the shipped data files."""

import numpy as np
import pytest

from equiserve.synth import calibration

RESIDENT_FACTOR = 3_969_600 / 4_466_900  # 2015 resident total / 2021 table total
REGISTERED_FACTOR = 1_586_800 / 1_987_414


def targets_by_town(scale: float = 1.0) -> dict[str, dict]:
    return {
        row["code_9"]: row
        for row in calibration.town_targets(scale).iter_rows(named=True)
    }


def test_the_towns_add_up_to_the_2015_city_totals():
    frame = calibration.town_targets(1.0)
    assert frame.height == 24
    assert frame["resident"].sum() == 3_969_600
    assert frame["registered"].sum() == 1_586_800
    assert frame["migrants"].sum() == 3_969_600 - 1_586_800
    assert frame["resident_expected"].sum() == pytest.approx(3_969_600)


def test_a_unit_unchanged_since_2015_keeps_its_2021_share():
    shiqi = targets_by_town()["442000001"]
    assert shiqi["resident_expected"] == pytest.approx(260_394 * RESIDENT_FACTOR)
    assert shiqi["resident_expected"] == pytest.approx(231_404.33, abs=0.01)
    assert shiqi["registered_expected"] == pytest.approx(150_560.50, abs=0.01)


def test_merged_units_are_split_by_2000_census_population():
    towns = targets_by_town()
    # 2021 小榄镇 = 2015 小榄 (309,948 in 2000) + 东升 (111,796 in 2000).
    assert towns["442000100"]["resident_expected"] == pytest.approx(
        516_246.41, abs=0.01
    )
    assert towns["442000104"]["resident_expected"] == pytest.approx(
        186_206.34, abs=0.01
    )
    # 火炬统筹区 = 火炬开发区 (109,878) + 民众 (81,822).
    assert towns["442000003"]["resident_expected"] == pytest.approx(
        200_497.29, abs=0.01
    )
    assert towns["442000102"]["resident_expected"] == pytest.approx(
        149_302.77, abs=0.01
    )


def test_cuiheng_is_taken_as_nanlang_whole():
    nanlang = targets_by_town()["442000113"]
    assert nanlang["resident_expected"] == pytest.approx(114_049 * RESIDENT_FACTOR)
    assert nanlang["registered_expected"] == pytest.approx(49_017 * REGISTERED_FACTOR)


def test_towns_missing_from_the_2020_sex_table_take_the_city_share():
    towns = targets_by_town()
    assert towns["442000115"]["male_share_expected"] == pytest.approx(0.5394)
    assert towns["442000001"]["male_share_expected"] == pytest.approx(0.4988)


def test_census_figures_are_interpolated_to_the_end_of_2015():
    assert calibration.interpolation_fraction() == pytest.approx(1886 / 3653)
    assert calibration.family_household_size() == pytest.approx(2.5235, abs=1e-4)
    bands = calibration.resident_age_bands()
    assert bands["0-14"] == pytest.approx(0.13760, abs=1e-5)
    assert bands["60-64"] + bands["65+"] == pytest.approx(0.07869, abs=1e-5)
    assert bands["65+"] == pytest.approx(0.05230, abs=1e-5)


def test_registered_age_bands_complete_the_illustrative_migrant_bands():
    bands = calibration.group_age_bands()
    registered, migrant = bands["registered"], bands["migrant"]
    assert sum(registered.values()) == pytest.approx(1.0)
    assert registered["0-14"] == pytest.approx(0.20908, abs=1e-5)
    resident = calibration.resident_age_bands()
    for band in calibration.AGE_BANDS:
        mixed = (registered[band] * 1_586_800 + migrant[band] * 2_382_800) / 3_969_600
        assert mixed == pytest.approx(resident[band])


def test_age_probabilities_respect_the_bands():
    probabilities = calibration.age_probabilities("migrant")
    assert probabilities.size == 101
    assert probabilities[:15].sum() == pytest.approx(0.09)
    assert probabilities[65:].sum() == pytest.approx(0.015)


def test_largest_remainder_keeps_the_total_and_favours_the_largest_fractions():
    counts = calibration.largest_remainder(np.array([1.5, 2.7, 0.8]), 5)
    assert counts.tolist() == [1, 3, 1]
    assert calibration.largest_remainder(
        np.array([0.2, 0.2, 0.2, 0.4]), 1
    ).tolist() == [
        0,
        0,
        0,
        1,
    ]


def test_collective_households_come_from_the_2020_census():
    assert calibration.collective_share_of_migrants() == pytest.approx(
        0.17212, abs=1e-5
    )
    assert calibration.collective_household_size() == pytest.approx(3.2187, abs=1e-4)


def test_every_rate_states_whether_it_is_cited_derived_or_illustrative():
    unmarked, unexplained = [], []
    for name, section in calibration.rates().items():
        entries = [(name, section)] if "status" in section else list(section.items())
        for key, entry in entries:
            if not isinstance(entry, dict) or "status" not in entry:
                unmarked.append(f"{name}.{key}")
            elif entry["status"] not in {"cited", "derived", "illustrative"}:
                unmarked.append(f"{name}.{key}")
            elif entry["status"] == "cited" and "source" not in entry:
                unexplained.append(f"{name}.{key}")
            elif not ({"holder", "note", "source"} & entry.keys()):
                unexplained.append(f"{name}.{key}")
    assert unmarked == []
    assert unexplained == []
