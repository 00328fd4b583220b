from pathlib import Path

import pytest

from equiserve.policy import load_plan
from equiserve.synth import synthesize

PLAN_DIR = Path(__file__).resolve().parents[4] / "plans" / "zhongshan_2014"


@pytest.fixture(scope="session")
def plan():
    return load_plan(PLAN_DIR)


@pytest.fixture(scope="session")
def population(tmp_path_factory):
    """A 1 % synthetic population (about 40,000 persons), written once per session."""
    directory = tmp_path_factory.mktemp("population")
    synthesize(scale=0.01, seed=1, out_dir=directory, progress=False)
    return directory
