"""A 1 % synthetic Zhongshan (seed 1) against its calibration targets and the contract."""

from datetime import date

import numpy as np
import polars as pl
import pytest
from stdnum.cn import ric

from equiserve.synth import calibration, synthesize
from equiserve.synth.schema import POPULATION_FIELDS, validate_persons
from equiserve.synth.tests.conftest import SCALE, SEED

REFERENCE = date(2015, 12, 31)
HOME_CODES = ("442000", "440620", "442724")


def with_age(persons: pl.DataFrame) -> pl.DataFrame:
    """Add whole years of age on 2015-12-31 (the birth year decides, on 31 December)."""
    return persons.with_columns(age=REFERENCE.year - pl.col("birth_date").dt.year())


def test_the_same_seed_writes_the_same_bytes(population_dir, tmp_path):
    synthesize(scale=SCALE, seed=SEED, out_dir=tmp_path, progress=False)
    for name in ("persons.parquet", "households.parquet"):
        assert (tmp_path / name).read_bytes() == (population_dir / name).read_bytes()


def test_population_and_registered_share_by_town_match_the_targets(persons):
    targets = calibration.town_targets(SCALE)
    counts = persons.group_by("town").agg(
        pl.len().alias("people"),
        (pl.col("hukou") == "zhongshan").sum().alias("registered"),
    )
    joined = targets.join(counts, left_on="code_9", right_on="town")
    assert joined.height == 24
    for row in joined.iter_rows(named=True):
        assert row["people"] == pytest.approx(row["resident_expected"], rel=0.01)
        assert row["registered"] == pytest.approx(row["registered_expected"], rel=0.01)
        target_share = row["registered_expected"] / row["resident_expected"]
        assert row["registered"] / row["people"] == pytest.approx(
            target_share, rel=0.01
        )
    assert persons.height == 39_696
    assert (persons["hukou"] == "zhongshan").sum() == 15_868


def test_age_structure_matches_the_interpolated_census(persons):
    aged = with_age(persons)["age"]
    bands = calibration.resident_age_bands()
    assert (aged < 15).mean() == pytest.approx(bands["0-14"], abs=0.002)
    assert ((aged >= 15) & (aged < 60)).mean() == pytest.approx(
        bands["15-59"], abs=0.002
    )
    assert (aged >= 60).mean() == pytest.approx(
        bands["60-64"] + bands["65+"], abs=0.002
    )
    assert (aged >= 65).mean() == pytest.approx(bands["65+"], abs=0.002)


def test_migrants_are_younger_than_registered_people(persons):
    aged = with_age(persons)
    migrant = aged.filter(pl.col("hukou") == "elsewhere")["age"]
    registered = aged.filter(pl.col("hukou") == "zhongshan")["age"]
    assert ((migrant >= 15) & (migrant < 60)).mean() == pytest.approx(0.88, abs=0.003)
    assert (registered >= 60).mean() > 3 * (migrant >= 60).mean()


def test_sex_shares_follow_the_towns_and_the_registered_split(persons):
    targets = calibration.town_targets(SCALE)
    shares = persons.group_by("town").agg((pl.col("sex") == "M").mean().alias("male"))
    joined = targets.join(shares, left_on="code_9", right_on="town")
    for row in joined.iter_rows(named=True):
        assert row["male"] == pytest.approx(row["male_share_expected"], abs=0.005)
    registered = persons.filter(pl.col("hukou") == "zhongshan")
    assert (registered["sex"] == "M").mean() == pytest.approx(
        786_400 / 1_586_800, abs=0.002
    )


def test_every_person_validates_against_the_evaluate_contract(persons):
    assert validate_persons(persons, required=POPULATION_FIELDS) == []


def test_id_numbers_are_unique_and_valid(persons):
    numbers = persons["id_number"]
    assert numbers.n_unique() == persons.height
    sample = numbers.sample(2_000, seed=7).to_list()
    assert [number for number in sample if not ric.is_valid(number)] == []
    # The birth date and sex are the ones written in the number.
    row = persons.row(0, named=True)
    assert ric.get_birth_date(row["id_number"]) == row["birth_date"]
    assert int(row["id_number"][16]) % 2 == (1 if row["sex"] == "M" else 0)


def test_region_codes_tell_who_was_born_in_the_city(persons):
    region = persons["id_number"].str.slice(0, 6)
    migrants = persons.filter(pl.col("hukou") == "elsewhere")
    assert not migrants["id_number"].str.slice(0, 6).is_in(HOME_CODES).any()
    born_here = persons.filter(
        (pl.col("hukou") == "zhongshan")
        & (pl.col("resident_since") == pl.col("birth_date"))
    )
    assert born_here["id_number"].str.slice(0, 6).is_in(HOME_CODES).all()
    since_1988 = born_here.filter(pl.col("birth_date").dt.year() >= 1988)
    assert (since_1988["id_number"].str.slice(0, 6) == "442000").all()
    assert region.n_unique() > 100


def test_minors_have_a_parent_in_their_household_as_guardian(persons):
    aged = with_age(persons)
    minors = aged.filter(pl.col("age") < 18)
    assert minors["guardian"].null_count() == 0
    assert (
        aged.filter(pl.col("age") >= 18)["guardian"].null_count()
        == aged.filter(pl.col("age") >= 18).height
    )
    guardians = aged.select(
        pl.col("id").alias("guardian"),
        pl.col("household").alias("guardian_household"),
        pl.col("age").alias("guardian_age"),
    )
    joined = minors.join(guardians, on="guardian", how="left")
    assert joined["guardian_household"].null_count() == 0
    assert (joined["guardian_household"] == joined["household"]).all()
    gap = joined["guardian_age"] - joined["age"]
    assert gap.min() >= 16
    assert gap.max() <= 50


def test_households_are_consistent_with_their_members(persons, households):
    assert households["id"].n_unique() == households.height
    members = persons.group_by("household").agg(
        pl.len().alias("members"),
        (pl.col("relation") == "head").sum().alias("heads"),
        pl.col("town").n_unique().alias("towns"),
        pl.col("hukou").n_unique().alias("hukous"),
    )
    joined = households.join(members, left_on="id", right_on="household", how="left")
    assert (joined["members"] == joined["size"]).all()
    assert (joined["heads"] == 1).all()
    assert (joined["towns"] == 1).all()
    assert (joined["hukous"] == 1).all()
    heads = persons.filter(pl.col("relation") == "head").select(
        pl.col("id").alias("head"), pl.col("household").alias("head_household")
    )
    checked = households.join(heads, on="head", how="left")
    assert (checked["head_household"] == checked["id"]).all()
    assert households["size"].sum() == persons.height


def test_family_households_average_the_census_size(households):
    family = households.filter(pl.col("kind") == "family")["size"]
    assert family.mean() == pytest.approx(calibration.family_household_size(), abs=0.03)
    collective = households.filter(pl.col("kind") == "collective")
    assert collective["size"].mean() == pytest.approx(3.22, abs=0.2)
    assert (collective["hukou"] == "elsewhere").all()
    assert (
        collective["size"].sum() == calibration.town_targets(SCALE)["collective"].sum()
    )


def test_contract_fields_of_households_are_filled(households):
    for field in ("id", "town", "floor_area_m2", "annual_income"):
        assert households[field].null_count() == 0
    assert (households["floor_area_m2"] > 0).all()
    assert (households["annual_income"] == households["annual_income"].round(2)).all()
    assert households.schema["floor_area_m2"] == pl.Float64
    assert households.schema["annual_income"] == pl.Float64


def test_migrant_only_fields(persons):
    aged = with_age(persons)
    registered = aged.filter(pl.col("hukou") == "zhongshan")
    migrants = aged.filter(pl.col("hukou") == "elsewhere")
    assert registered["points"].null_count() == registered.height
    assert registered["hukou_kind"].null_count() == 0
    assert migrants["hukou_kind"].null_count() == migrants.height
    adults = migrants.filter(pl.col("age") >= 18)
    assert adults["points"].null_count() == 0
    assert adults["points"].min() >= 0
    # Issue 12, point 5: half-points are kept (7.5 a half-year of residence permit).
    assert adults["points"].dtype == pl.Float64
    assert ((adults["points"] * 2) % 1 == 0).all()
    assert (adults["points"] % 1 == 0.5).any()
    assert migrants.filter(pl.col("age") < 18)["points"].null_count() == (
        migrants.filter(pl.col("age") < 18).height
    )
    arrival = migrants["resident_since"]
    assert (arrival >= migrants["birth_date"]).all()
    assert (arrival <= REFERENCE).all()
    recent = (arrival > date(2015, 6, 30)).mean()
    assert 0.05 < recent < 0.30


def test_registered_people_are_resident_since_birth_unless_they_moved_in(persons):
    registered = persons.filter(pl.col("hukou") == "zhongshan")
    moved_in = registered.filter(pl.col("resident_since") != pl.col("birth_date"))
    assert 0.05 < moved_in.height / registered.height < 0.12
    assert (moved_in["resident_since"] > moved_in["birth_date"]).all()
    assert not moved_in["id_number"].str.slice(0, 6).is_in(HOME_CODES).any()


def test_school_stage_follows_age_on_the_first_of_september(persons):
    school_age = persons.with_columns(
        age=2015
        - pl.col("birth_date").dt.year()
        - (pl.col("birth_date").dt.month() >= 9).cast(pl.Int32)
    )
    stages = {
        "kindergarten": (3, 5),
        "primary": (6, 11),
        "junior": (12, 14),
        "senior": (15, 17),
        "vocational": (15, 17),
    }
    for stage, (low, high) in stages.items():
        ages = school_age.filter(pl.col("school_stage") == stage)["age"]
        assert ages.len() > 0
        assert ages.min() >= low
        assert ages.max() <= high
    primary_age = school_age.filter(pl.col("age").is_between(6, 11))
    assert (primary_age["school_stage"] == "primary").mean() > 0.95


def test_veterans_were_discharged_2013_to_2016(persons):
    veterans = (
        with_age(persons).filter(pl.col("veteran").is_not_null()).unnest("veteran")
    )
    assert 40 <= veterans.height <= 80  # 90 per 100,000 registered a year, 4 years
    assert (veterans["hukou"] == "zhongshan").all()
    assert (veterans["sex"] == "M").all()
    assert set(veterans["kind"]) == {"conscript", "demobilized_nco", "transferred_nco"}
    assert veterans["discharged"].dt.year().is_between(2013, 2016).all()
    conscripts = veterans.filter(pl.col("kind") == "conscript")
    assert (conscripts["nco_years"] == 0).all()
    transferred = veterans.filter(pl.col("kind") == "transferred_nco")
    assert transferred["nco_years"].is_between(10, 18).all()


def test_deaths_follow_the_2015_rate_over_three_years(persons):
    deaths = with_age(persons).filter(pl.col("death").is_not_null())
    expected = 2.68 / 1000 * persons.height * 3
    assert deaths.height == pytest.approx(expected, abs=15)
    detail = deaths.unnest("death")
    assert detail["date"].dt.year().is_between(2014, 2016).all()
    assert (detail["date"] >= detail["birth_date"]).all()
    assert detail["age"].median() > 65
    assert (detail["storage_days"] > 3).any() and (detail["storage_days"] <= 3).any()
    assert (detail["ash_storage_years"] > 10).any()
    assert (detail["ash_storage_years"] <= 10).any()


def test_type_1_diabetes_hardship_and_low_income_are_present(persons, households):
    t1d = persons.filter(pl.col("t1d").is_not_null()).unnest("t1d")
    assert 3 <= t1d.height <= 20  # 25 per 100,000
    assert (t1d["diagnosed"] > t1d["birth_date"]).all()
    hardship = persons.filter(pl.col("hardship").is_not_null()).unnest("hardship")
    assert (hardship["hukou"] == "elsewhere").all()
    assert (hardship["date"] >= hardship["resident_since"]).all()
    assert hardship["date"].dt.year().is_between(2014, 2016).all()
    expected = (
        3
        / 1000
        * 3
        * with_age(persons)
        .filter((pl.col("hukou") == "elsewhere") & (pl.col("age") >= 18))
        .height
    )
    assert hardship.height == pytest.approx(expected, rel=0.1)

    registered_family = households.filter(
        (pl.col("hukou") == "zhongshan") & (pl.col("kind") == "family")
    )
    low = registered_family.filter(pl.col("low_income"))
    assert low.height / registered_family.height == pytest.approx(0.02, abs=0.003)
    per_head = (pl.col("annual_income") / pl.col("size")).alias("per_head")
    assert (
        low.select(per_head.max()).item()
        <= registered_family.select(per_head.median()).item()
    )
    assert not households.filter(pl.col("hukou") == "elsewhere")["low_income"].any()
    flagged_people = persons.filter(pl.col("low_income"))
    assert flagged_people["household"].is_in(low["id"].implode()).all()


def test_everyone_lives_near_their_village_inside_the_city(persons, households):
    from equiserve.synth.geo import villages

    points = households.join(
        villages().select(pl.col("code").alias("village"), "lon", "lat"),
        on="village",
        suffix="_village",
    )
    assert points.height == households.height
    offset_m = np.hypot(
        (points["lon"] - points["lon_village"]).to_numpy() * 102_700,
        (points["lat"] - points["lat_village"]).to_numpy() * 111_195,
    )
    assert np.median(offset_m) == pytest.approx(350 * 1.18, rel=0.1)  # Rayleigh median
    assert persons["lon"].is_between(113.0, 113.8).all()
    assert persons["lat"].is_between(22.1, 22.9).all()
