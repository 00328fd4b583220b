"""The occupations of vacancies and job seekers, read from the plan (3.7).

`plans/<plan>/employment/occupations.yaml`: middle groups of the national
occupational classification under their major groups, with zh and en labels.
"""

from functools import cache
from pathlib import Path

import yaml

from equiserve.rules.plan_gateway import plan_dir


@cache
def _load(folder: Path) -> dict:
    return yaml.safe_load(
        (folder / "employment" / "occupations.yaml").read_text("utf-8")
    )


def _lang_key(lang: str) -> str:
    return "en" if (lang or "").lower().startswith("en") else "zh"


def occupations() -> dict:
    return _load(plan_dir())


def occupation_choices(lang: str = "zh") -> list[tuple[str, str]]:
    """Return (middle-group code, "major — middle" label) pairs in code order."""
    data = occupations()
    key = _lang_key(lang)
    return [
        (code, f"{data['major_groups'][code[0]][key]} — {label[key]}")
        for code, label in sorted(data["middle_groups"].items())
    ]


def occupation_label(code: str, lang: str = "zh") -> str:
    """Return the middle group's label (the code itself only if it is unknown)."""
    label = occupations()["middle_groups"].get(code)
    return label[_lang_key(lang)] if label else code
