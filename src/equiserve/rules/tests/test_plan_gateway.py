"""One gateway from Django to the plan (issue 11, deliverable 4)."""

import datetime as dt
import os
import re
import shutil
from pathlib import Path

import pytest

from equiserve.rules import plan_gateway

SRC = Path(__file__).resolve().parents[2]  # src/equiserve


@pytest.fixture
def plan_copy(settings, tmp_path):
    folder = tmp_path / "plan"
    shutil.copytree(
        Path(settings.EQUISERVE_PLAN_DIR),
        folder,
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    settings.EQUISERVE_PLAN_DIR = folder
    return folder


def test_the_plan_is_loaded_once_and_again_when_a_file_changes(plan_copy, monkeypatch):
    monkeypatch.setattr(plan_gateway, "CHECK_SECONDS", 0)
    first = plan_gateway.plan()
    assert first.path == plan_copy.resolve()
    assert plan_gateway.plan() is first
    parameter = plan_copy / "parameters" / "costs" / "hardship_relief_per_case.yaml"
    assert (
        plan_gateway.parameter_on("costs.hardship_relief_per_case", dt.date(2015, 1, 1))
        == 2000
    )
    text = parameter.read_text(encoding="utf-8").replace("value: 2000", "value: 2500")
    parameter.write_text(text, encoding="utf-8")
    stat = parameter.stat()
    os.utime(parameter, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    second = plan_gateway.plan()
    assert second is not first
    assert (
        plan_gateway.parameter_on("costs.hardship_relief_per_case", dt.date(2015, 1, 1))
        == 2500
    )


def test_a_parameter_not_yet_in_force_is_none():
    assert (
        plan_gateway.parameter_on("costs.hardship_relief_per_case", dt.date(2013, 1, 1))
        is None
    )


def _django_modules():
    """Yield every module of a Django app (a package with apps.py), tests aside."""
    for apps in sorted(SRC.glob("*/apps.py")):
        for path in sorted(apps.parent.rglob("*.py")):
            if "tests" not in path.relative_to(SRC).parts:
                yield path


def test_only_the_gateway_loads_the_plan_for_django():
    """Issue 11: no Django module but the gateway calls load_plan or reads the
    plan's catalogue.yaml; plain packages (simulation, synth, …) take the plan as
    an argument or use the policy package's own API."""
    gateway = SRC / "rules" / "plan_gateway.py"
    modules = list(_django_modules())
    assert gateway in modules and len(modules) > 50
    offenders = [
        str(path.relative_to(SRC))
        for path in modules
        if path != gateway
        and re.search(
            r"\bload_plan\b|Plan\.load\(|yaml\.safe_load\(.*catalogue",
            path.read_text(encoding="utf-8"),
        )
    ]
    assert offenders == []


def test_a_plan_that_does_not_load_is_a_system_error_naming_file_and_line(plan_copy):
    """Issue 11: a misspelt output in programmes.yaml stops `check` with file:line."""
    from equiserve.rules.checks import plan_loads

    path = plan_copy / "programmes.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(
        n for n, text in enumerate(lines, 1) if "eligible: funeral_eligible" in text
    )
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "eligible: funeral_eligible", "eligible: funeral_eligble"
        ),
        encoding="utf-8",
    )
    (error,) = plan_loads(None)
    assert error.id == "equiserve.E002"
    assert error.msg == (
        f"The plan does not load: {path.resolve()}:{line}: "
        "unknown person output 'funeral_eligble'"
    )
