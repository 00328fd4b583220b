"""`equiserve synth` over N synthetic cities, and on a Dask cluster (issue 20)."""

import polars as pl
import pytest
from polars.testing import assert_frame_equal
from typer.testing import CliRunner

from equiserve.cli import app
from equiserve.synth import synthesize
from equiserve.synth.distributed import (
    PARTS,
    generate_part,
    part_name,
    synthesize_distributed,
)
from equiserve.synth.generate import town_plans

SCALE = 0.002  # 7,939 persons a city
SEED = 4
FILES = ("persons.parquet", "households.parquet")


@pytest.fixture(scope="module")
def two_cities(tmp_path_factory):
    out = tmp_path_factory.mktemp("two-cities")
    synthesize(scale=SCALE, seed=SEED, out_dir=out, progress=False, cities=2)
    return out


def test_two_cities_keep_person_and_household_ids_unique_and_the_towns_codes(
    two_cities,
):
    persons = pl.read_parquet(two_cities / "persons.parquet")
    households = pl.read_parquet(two_cities / "households.parquet")

    assert persons.height == 15_878
    assert persons["id"].n_unique() == 15_878
    assert households["id"].n_unique() == households.height
    # Ids run on across the cities, in file order (simulate's batches need it).
    assert persons["id"].is_sorted() and households["id"].is_sorted()
    assert persons.group_by("city").len().sort("city")["len"].to_list() == [
        7_939,
        7_939,
    ]
    # The towns keep the plan's 24 codes, which the rules read; (city, town) is
    # the area.
    assert persons.group_by("city").agg(pl.col("town").n_unique())[
        "town"
    ].to_list() == [
        24,
        24,
    ]
    # ID numbers are unique within a city; the replicas are not copies.
    for city in (0, 1):
        numbers = persons.filter(pl.col("city") == city)["id_number"]
        assert numbers.n_unique() == 7_939
    first, second = (persons.filter(pl.col("city") == c) for c in (0, 1))
    assert not first["birth_date"].equals(second["birth_date"])
    # Every household's members carry its city.
    joined = persons.join(
        households.select("id", "city"), left_on="household", right_on="id"
    )
    assert (joined["city"] == joined["city_right"]).all()


def test_the_first_of_several_cities_is_the_one_city_run(two_cities, tmp_path):
    synthesize(scale=SCALE, seed=SEED, out_dir=tmp_path, progress=False)
    alone = pl.read_parquet(tmp_path / "persons.parquet")
    first = pl.read_parquet(two_cities / "persons.parquet").filter(pl.col("city") == 0)
    assert "city" not in alone.columns
    columns = ["name", "id_number", "birth_date", "town", "village", "points"]
    assert_frame_equal(first.select(columns), alone.select(columns))


@pytest.mark.slow
def test_a_two_worker_cluster_writes_what_one_process_writes(two_cities, tmp_path):
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as local,
        Client(local) as client,
    ):
        summary = synthesize_distributed(
            scale=SCALE, seed=SEED, out_dir=tmp_path, cities=2, client=client
        )

    assert summary.persons == 15_878
    for name in FILES:
        assert_frame_equal(
            pl.read_parquet(tmp_path / name), pl.read_parquet(two_cities / name)
        )
    assert not (tmp_path / PARTS).exists()


def test_a_town_generated_twice_leaves_one_part(tmp_path):
    plan = town_plans(SCALE, 2)[30]
    first = generate_part(3, plan, SEED, 2, 15_878, 100, str(tmp_path))
    again = generate_part(3, plan, SEED, 2, 15_878, 100, str(tmp_path))

    assert first == again
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        part_name("households", 3),
        part_name("persons", 3),
    ]


def test_synth_command_writes_several_cities(tmp_path):
    result = CliRunner().invoke(
        app,
        [
            "synth",
            "--scale",
            "0.001",
            "--seed",
            "3",
            "--cities",
            "2",
            "--out",
            str(tmp_path),
            "--no-progress",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "persons: 7940 (3174 registered, 4766 migrants)" in result.output


def test_synth_command_rejects_zero_cities(tmp_path):
    result = CliRunner().invoke(
        app, ["synth", "--cities", "0", "--out", str(tmp_path), "--no-progress"]
    )
    assert result.exit_code == 2
    assert "cities must be at least 1 and at most 999" in result.output
