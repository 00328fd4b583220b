"""The layers hold: breaking an import-linter contract fails `make lint` (issue 11).

Each test copies the package's Python files to a temporary tree, adds one
import the architecture forbids, and runs `lint-imports` with the project's
own contracts (pyproject.toml) on that tree.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    """Return a copy of src/equiserve's modules and the project's pyproject.toml."""
    root = tmp_path_factory.mktemp("layers")
    shutil.copytree(
        ROOT / "src" / "equiserve",
        root / "src" / "equiserve",
        ignore=lambda folder, names: [
            name
            for name in names
            if not name.endswith(".py")
            and not (Path(folder) / name).is_dir()
            or name in ("__pycache__", "static", "templates", "locale")
        ],
    )
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    return root


def lint(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=root,
        env={"PYTHONPATH": str(root / "src"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def add_import(tree):
    """Return a function appending an import to a module of the copy, undone after."""
    changed: dict[Path, str] = {}

    def add(module: str, statement: str) -> None:
        path = tree / "src" / (module.replace(".", "/") + ".py")
        changed.setdefault(path, path.read_text(encoding="utf-8"))
        path.write_text(changed[path] + f"\n{statement}\n", encoding="utf-8")

    yield add
    for path, text in changed.items():
        path.write_text(text, encoding="utf-8")


def test_the_project_keeps_every_contract(tree):
    result = lint(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "statement", "contract", "broken"),
    [
        (
            "equiserve.policy.explain",
            "import django.db  # noqa",
            "Plain packages import no Django and no app",
            "equiserve.policy is not allowed to import django",
        ),
        (
            "equiserve.equality.measures",
            "from equiserve.registry import models  # noqa",
            "Plain packages import no Django and no app",
            "equiserve.equality is not allowed to import equiserve.registry",
        ),
        (
            "equiserve.registry.selectors",
            "from equiserve.cases import models  # noqa",
            "The registry imports neither cases nor housing",
            "equiserve.registry is not allowed to import equiserve.cases",
        ),
        (
            "equiserve.monitoring.measures",
            "from equiserve.equality import _input  # noqa",
            "Private modules (_name) are imported only from inside their package",
            "equiserve.monitoring.measures",
        ),
    ],
)
def test_a_forbidden_import_fails_lint_naming_the_contract(
    add_import, tree, module, statement, contract, broken
):
    add_import(module, statement)
    result = lint(tree)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{contract}" in result.stdout
    assert "BROKEN" in result.stdout
    assert broken in result.stdout
