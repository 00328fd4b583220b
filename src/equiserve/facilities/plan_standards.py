"""The plan's facility standards, read from `<plan>/standards/*.yaml` (issue 11).

Each standard says what is measured and where (`level`), the plan's parameters
it reads and its `rule` (a kind, the parameter it compares with, the
facilities it looks at and the column it counts or measures), with its text in
zh and en. `compliance` applies them; nothing in the app states a standard of
its own.
"""

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings

from equiserve.choices import plan_label

PREFIX = "facilities."
LEVELS = ("facility", "village", "natural_village", "town", "city")
# Each rule kind and the keys it takes besides `kind` and `of` (the parameter
# compared with); the standards' README says what they mean.
RULE_KEYS = {
    "at_least": {"facilities", "where", "in_every", "count", "flags", "missing"},
    "area_at_least": {"facilities", "where", "in_every", "area"},
    "per_10000": {"facilities", "where", "area"},
    "checklist": {"facilities", "where", "in_every"},
    "due": {"facilities", "where", "has", "missing"},
    "renewed_within": {"facilities", "where", "renewed", "missing"},
    "paired": {"facilities", "with", "meeting", "missing"},
    "all_present": {"facilities", "where", "item", "present_when_met"},
}
RULE_KINDS = tuple(RULE_KEYS)
# Keys naming other standards, checked once all are read.
_STANDARD_REFERENCES = ("meeting", "present_when_met")
_KEYS = {"id", "clause", "level", "unit", "label", "parameters", "rule", "text"}


class StandardFileError(ValueError):
    """A standard of the plan that cannot be applied; the message names the file."""


@dataclass(frozen=True)
class Standard:
    """One checkable standard: what it measures, where, and which parameters it reads."""

    id: str
    clause: str
    level: str  # facility | village | natural_village | town | city
    unit: str
    label: str
    parameters: tuple[str, ...]  # names without the "facilities." prefix
    rule: dict = field(default_factory=dict)  # kind, of, facilities, count…
    text: dict = field(default_factory=dict)  # the rule in one sentence, zh and en

    @property
    def required_by(self) -> str:
        """Return the parameter the rule compares with (without the prefix)."""
        return self.rule["of"].removeprefix(PREFIX)


def _standard(item: object, where: str) -> Standard:
    if not isinstance(item, dict) or set(item) != _KEYS:
        raise StandardFileError(f"{where}: a standard has exactly {sorted(_KEYS)}")
    rule = item["rule"]
    name = item["id"]
    if item["level"] not in LEVELS:
        raise StandardFileError(f"{where}: {name}: level must be one of {LEVELS}")
    if not isinstance(rule, dict) or rule.get("kind") not in RULE_KINDS:
        raise StandardFileError(
            f"{where}: {name}: rule kind must be one of {RULE_KINDS}"
        )
    parameters = item["parameters"]
    if rule.get("of") not in parameters or not all(
        str(parameter).startswith(PREFIX) for parameter in parameters
    ):
        raise StandardFileError(
            f"{where}: {name}: the rule compares with one of its parameters, "
            f"each named {PREFIX}…"
        )
    unknown = set(rule) - {"kind", "of"} - RULE_KEYS[rule["kind"]]
    if unknown:
        raise StandardFileError(
            f"{where}: {name}: a {rule['kind']} rule takes no {sorted(unknown)}"
        )
    if rule.get("in_every", "town") != "town" or (
        "in_every" in rule and item["level"] != "facility"
    ):
        raise StandardFileError(f"{where}: {name}: in_every is town, at facility level")
    read = rule.get("facilities")
    if isinstance(read, str) and read.startswith(PREFIX) and read not in parameters:
        raise StandardFileError(
            f"{where}: {name}: the rule reads {read}, not among its parameters"
        )
    for text in (item["label"], item["text"]):
        if not isinstance(text, dict) or set(text) != {"zh", "en"}:
            raise StandardFileError(f"{where}: {name}: label and text need zh and en")
    return Standard(
        id=name,
        clause=str(item["clause"]),
        level=item["level"],
        unit=item["unit"],
        label=plan_label(item["label"]),
        parameters=tuple(parameter.removeprefix(PREFIX) for parameter in parameters),
        rule=dict(rule),
        text=dict(item["text"]),
    )


def load_standards(plan_dir: Path) -> tuple[Standard, ...]:
    """Return the plan's standards, file by file in name order."""
    found: list[Standard] = []
    for path in sorted((Path(plan_dir) / "standards").glob("*.yaml")):
        items = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(items, list):
            raise StandardFileError(f"{path}: expected a list of standards")
        found.extend(_standard(item, str(path)) for item in items)
    ids = [standard.id for standard in found]
    if len(set(ids)) != len(ids):
        raise StandardFileError(f"{plan_dir}/standards: a standard id is used twice")
    for standard in found:
        for key in _STANDARD_REFERENCES:
            named = standard.rule.get(key, ())
            named = named.values() if isinstance(named, dict) else named
            if not set(named) <= set(ids):
                raise StandardFileError(
                    f"{plan_dir}/standards: {standard.id}: {key} names a standard "
                    "that is not in the plan"
                )
    return tuple(found)


STANDARDS: tuple[Standard, ...] = load_standards(settings.EQUISERVE_PLAN_DIR)
STANDARDS_BY_ID = {standard.id: standard for standard in STANDARDS}
