"""The plan's vocabulary: the codes of every enum input, their order and labels.

Declared once, in the plan's `inputs.yaml`; the registry's choices, the
screener, the importer, the synthetic population and the rule modules read it
from here (issue 11). Plain Python: the Django side is `equiserve.choices`.
"""

from __future__ import annotations

import functools
from pathlib import Path

from equiserve.policy.inputs import InputField, InputSchema, load_inputs
from equiserve.policy.plan import default_plan_dir


@functools.cache
def _inputs(plan_dir: Path) -> InputSchema:
    return load_inputs(plan_dir / "inputs.yaml")


def input_schema(plan_dir: Path | str | None = None) -> InputSchema:
    """Return the inputs of the plan in `plan_dir` (default: the shipped plan), read once."""
    path = Path(plan_dir) if plan_dir is not None else default_plan_dir()
    return _inputs(path.resolve())


def vocabularies(plan_dir: Path | str | None = None) -> dict[str, InputField]:
    """Return every enum input by column name (``hukou``, ``veteran_kind`` …)."""
    return input_schema(plan_dir).enums()


def vocabulary(column: str, plan_dir: Path | str | None = None) -> InputField:
    """Return the enum input `column`: `.values` in order, `.value_labels`, `.ordered`."""
    try:
        return vocabularies(plan_dir)[column]
    except KeyError:
        raise KeyError(f"{column!r} is not an enum input of the plan") from None


def codes(column: str, plan_dir: Path | str | None = None) -> tuple[str, ...]:
    """Return the codes of enum input `column`, in the plan's order."""
    return vocabulary(column, plan_dir).values
