"""Check persons against the field rules of the evaluate contract.

The contract (shared spec `evaluate.md`, "Request") names the person fields,
their types and allowed values; unknown extra fields are allowed. Errors come
back as `{"path": "persons[3].veteran.kind", "message": "..."}`, every error
listed, in the contract's error format.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

import polars as pl

SEXES = ("F", "M")
HUKOU = ("zhongshan", "elsewhere")
HUKOU_KINDS = ("urban", "rural")
SCHOOL_STAGES = ("none", "kindergarten", "primary", "junior", "senior", "vocational")
VETERAN_KINDS = ("conscript", "demobilized_nco", "transferred_nco")
HOSPITAL_GRADES = ("1", "2C", "2B", "2A", "3C", "3B", "3A", "3S")
HARDSHIP_CAUSES = ("accident", "illness", "disaster", "fire", "crime", "other")

# The fields every person of a synthetic population carries (the contract
# itself requires only `id`).
POPULATION_FIELDS = (
    "id",
    "household",
    "birth_date",
    "sex",
    "hukou",
    "town",
    "school_stage",
    "low_income",
)

_NESTED = {
    "veteran": {
        "kind": ("choice", VETERAN_KINDS),
        "discharged": ("date", None),
        "nco_years": ("count", None),
    },
    "t1d": {"diagnosed": ("date", None), "hospital_grade": ("choice", HOSPITAL_GRADES)},
    "death": {
        "date": ("date", None),
        "storage_days": ("count", None),
        "ash_storage_years": ("count", None),
    },
    "hardship": {"cause": ("choice", HARDSHIP_CAUSES), "date": ("date", None)},
}

_FLAT = {
    "id": ("text", None),
    "household": ("text", None),
    "birth_date": ("date", None),
    "sex": ("choice", SEXES),
    "hukou": ("choice", HUKOU),
    "hukou_kind": ("choice", HUKOU_KINDS),
    "town": ("town", None),
    "resident_since": ("date", None),
    "points": ("count", None),
    "school_stage": ("choice", SCHOOL_STAGES),
    "guardian": ("text", None),
    "low_income": ("bool", None),
}


def _known_towns() -> frozenset[str]:
    from equiserve.synth.geo import town_codes

    return town_codes()


def _check(kind: str, allowed, value, towns: frozenset[str]) -> str | None:
    """Return an error message for `value`, or None when it is valid."""
    if kind == "text":
        if not isinstance(value, str) or not value:
            return "must be a non-empty string"
    elif kind == "choice":
        if value not in allowed:
            return f"must be one of {', '.join(allowed)}; got {value!r}"
    elif kind == "town":
        if value not in towns:
            return f"unknown town {value!r}"
    elif kind == "bool":
        if not isinstance(value, bool):
            return "must be true or false"
    elif kind == "count":
        if isinstance(value, bool) or not isinstance(value, int):
            return "must be a whole number"
        if value < 0:
            return f"must not be negative; got {value}"
    elif kind == "date":
        if isinstance(value, date):
            return None
        if not isinstance(value, str):
            return "must be a date (YYYY-MM-DD)"
        try:
            date.fromisoformat(value)
        except ValueError:
            return f"is not a valid date: {value!r}"
        if len(value) != 10:
            return f"must be written YYYY-MM-DD; got {value!r}"
    return None


def validate_person(
    person: Mapping,
    *,
    index: int = 0,
    towns: frozenset[str] | None = None,
    required: Iterable[str] = ("id",),
) -> list[dict[str, str]]:
    """Return the contract errors of one person (an empty list when valid).

    `required` names fields that must be present and not null; every other field
    may be missing or null, as in the contract.
    """
    towns = _known_towns() if towns is None else towns
    prefix = f"persons[{index}]"
    errors = []
    for field in required:
        if person.get(field) is None:
            errors.append({"path": f"{prefix}.{field}", "message": "is required"})
    for field, (kind, allowed) in _FLAT.items():
        value = person.get(field)
        if value is None:
            continue
        message = _check(kind, allowed, value, towns)
        if message:
            errors.append({"path": f"{prefix}.{field}", "message": message})
    for field, parts in _NESTED.items():
        value = person.get(field)
        if value is None:
            continue
        if not isinstance(value, Mapping):
            errors.append({"path": f"{prefix}.{field}", "message": "must be an object"})
            continue
        for part, (kind, allowed) in parts.items():
            inner = value.get(part)
            if inner is None:
                errors.append(
                    {"path": f"{prefix}.{field}.{part}", "message": "is required"}
                )
                continue
            message = _check(kind, allowed, inner, towns)
            if message:
                errors.append({"path": f"{prefix}.{field}.{part}", "message": message})
    return errors


def validate_persons(
    persons: pl.DataFrame | Iterable[Mapping],
    *,
    towns: frozenset[str] | None = None,
    required: Iterable[str] = ("id",),
) -> list[dict[str, str]]:
    """Return the contract errors of many persons (a frame or row mappings)."""
    towns = _known_towns() if towns is None else towns
    required = tuple(required)
    rows = (
        persons.iter_rows(named=True) if isinstance(persons, pl.DataFrame) else persons
    )
    errors = []
    for index, person in enumerate(rows):
        errors.extend(
            validate_person(person, index=index, towns=towns, required=required)
        )
    return errors
