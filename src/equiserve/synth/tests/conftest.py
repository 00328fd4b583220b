"""One 1 % population (seed 1) per test session, shared by the population tests."""

from pathlib import Path

import polars as pl
import pytest

from equiserve.synth import synthesize

SCALE = 0.01
SEED = 1


@pytest.fixture(scope="session")
def population_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synth-0.01-seed-1")
    synthesize(scale=SCALE, seed=SEED, out_dir=out, progress=False)
    return out


@pytest.fixture(scope="session")
def persons(population_dir) -> pl.DataFrame:
    return pl.read_parquet(population_dir / "persons.parquet")


@pytest.fixture(scope="session")
def households(population_dir) -> pl.DataFrame:
    return pl.read_parquet(population_dir / "households.parquet")
