"""The engine's texts in zh and en, kept as data in messages.yaml."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

LANGUAGES = ("zh", "en")
_PATH = Path(__file__).with_name("messages.yaml")


@functools.cache
def catalogue() -> dict[str, Any]:
    """Return the parsed messages.yaml."""
    return yaml.safe_load(_PATH.read_text(encoding="utf-8"))


def check_language(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(
            f"language must be one of {', '.join(LANGUAGES)}, not {lang!r}"
        )
    return lang


def message(section: str, key: str, lang: str, **values: Any) -> str:
    """Return text `section.key` in `lang` with `values` filled in."""
    template = catalogue()[section][key][lang]
    return template.format(**values) if values else template


def departments() -> dict[str, dict[str, str]]:
    return catalogue()["departments"]


def unit(name: str | None, lang: str, count: Any = None) -> str:
    """Return the display unit for `name` in `lang` (the name itself if unknown).

    A `count` of exactly 1 takes the English singular ("1 month", issue 14).
    """
    if not name:
        return ""
    found = catalogue()["units"].get(name)
    if not found:
        return name
    if lang == "en" and count is not None and count == 1 and "en_one" in found:
        return found["en_one"]
    return found[lang]
