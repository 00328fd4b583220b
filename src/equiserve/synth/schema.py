"""Check synthetic persons against the evaluate contract, the engine's own rules.

The field rules (types, the plan's vocabulary of codes, towns, dates) are
`equiserve.policy.contract`'s, not a copy (issue 11): a population the engine
would refuse fails here. Errors come back in the contract's format,
`{"path": "persons[3].veteran.kind", "code": ..., "message": ...}`, in English.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import polars as pl

from equiserve.policy.contract import check_records

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


def _as_json(value):
    """Return `value` as the contract's JSON reads it: dates as YYYY-MM-DD text."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {key: _as_json(inner) for key, inner in value.items()}
    return value


def validate_persons(
    persons: pl.DataFrame | Iterable[Mapping],
    *,
    required: Iterable[str] = ("id",),
) -> list[dict[str, str]]:
    """Return the contract errors of many persons (a frame or row mappings)."""
    rows = (
        persons.iter_rows(named=True) if isinstance(persons, pl.DataFrame) else persons
    )
    records = (_as_json(row) for row in rows)
    return check_records("person", records, required=tuple(required))


def validate_person(
    person: Mapping, *, index: int = 0, required: Iterable[str] = ("id",)
) -> list[dict[str, str]]:
    """Return the contract errors of one person (an empty list when valid)."""
    errors = validate_persons([person], required=required)
    prefix = f"persons[{index}]"
    return [{**error, "path": prefix + error["path"][10:]} for error in errors]
