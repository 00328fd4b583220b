import json
import shutil
from pathlib import Path

import pytest

from equiserve.policy import load_plan
from equiserve.policy.openapi import EXAMPLE_REQUEST

PLAN_DIR = Path(__file__).resolve().parents[4] / "plans" / "zhongshan_2014"


@pytest.fixture(scope="session")
def plan():
    return load_plan(PLAN_DIR)


@pytest.fixture
def example():
    return json.loads(EXAMPLE_REQUEST.read_text(encoding="utf-8"))


@pytest.fixture
def plan_copy(tmp_path):
    """Return a copy of the shipped plan that a test may break."""
    target = tmp_path / "plan"
    shutil.copytree(
        PLAN_DIR, target, ignore=shutil.ignore_patterns("tests", "__pycache__")
    )
    return target
