"""Django choices from the plan's vocabulary (the enum inputs of `inputs.yaml`).

`choices_for("hukou")` gives the model fields, forms and exports their
(code, label) pairs, the label following the active language; `choice_code`
reads an imported cell that may hold the code or either label (issue 11).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import get_language

from equiserve.policy.vocabulary import vocabulary


def _in_language(labels: dict[str, str]) -> str:
    # No active language (management commands, migrations) reads English, as
    # gettext's msgids do; otherwise Chinese for zh-*, else English.
    language = get_language() or "en"
    return labels["zh"] if language.startswith("zh") else labels["en"]


_label = lazy(_in_language, str)


def plan_label(labels: dict[str, str]):
    """Return a plan's {"zh", "en"} label as lazy text in the active language."""
    return _label(labels)


def choices_for(column: str) -> list[tuple[str, str]]:
    """Return (code, label in the active language) for enum input `column`, in order."""
    field = vocabulary(column, settings.EQUISERVE_PLAN_DIR)
    return [(code, _label(field.value_labels[code])) for code in field.values]


def codes_for(column: str) -> tuple[str, ...]:
    """Return the codes of enum input `column`, in the plan's order."""
    return vocabulary(column, settings.EQUISERVE_PLAN_DIR).values


def code_readings(column: str) -> dict[str, str]:
    """Map each code and its zh and en labels, lower-cased, to the code."""
    field = vocabulary(column, settings.EQUISERVE_PLAN_DIR)
    readings: dict[str, str] = {}
    for code in field.values:
        labels = field.value_labels[code]
        former = field.former_labels.get(code, ())
        for text in (code, labels["zh"], labels["en"], *former):
            readings[text.strip().lower()] = code
    return readings
