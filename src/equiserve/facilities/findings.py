"""Findings: the result of one standard for one place, and how they are made."""

import datetime as dt
from dataclasses import asdict, dataclass
from decimal import Decimal

from equiserve.facilities.standards import STANDARDS_BY_ID

MET, SHORT, NOT_DUE, UNKNOWN = "met", "short", "not_due", "unknown"
# Worst first: a town's status for a standard is the worst of its findings.
SEVERITY = {SHORT: 0, UNKNOWN: 1, NOT_DUE: 2, MET: 3}
TEN_THOUSAND = Decimal(10_000)


@dataclass(frozen=True)
class Finding:
    """The result of one standard for one facility, village, natural village or town."""

    standard: str
    clause: str
    level: str
    town: str
    subject: str
    name: str
    status: str
    required: Decimal | int | None = None
    actual: Decimal | int | None = None
    shortfall: Decimal | int | None = None
    unit: str = ""
    missing: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        data = asdict(self)
        for key in ("required", "actual", "shortfall"):
            data[key] = number_json(data[key])
        data["missing"] = list(self.missing)
        return data


def number_json(value):
    """Return a Decimal as an int when whole, else a float (JSON has no Decimal)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


@dataclass(frozen=True)
class Place:
    code: str
    town: str
    name: str
    parent: str = ""  # village of a natural village


def make_finding(standard_id: str, *, town, subject, name, status, **values) -> Finding:
    standard = STANDARDS_BY_ID[standard_id]
    return Finding(
        standard=standard.id,
        clause=standard.clause,
        level=values.pop("level", standard.level),
        town=town,
        subject=subject,
        name=name,
        status=status,
        unit=standard.unit,
        **values,
    )


def open_on(rows: list[dict], date: dt.date) -> list[dict]:
    return [
        row
        for row in rows
        if row["opening_date"] is None or row["opening_date"] <= date
    ]


def area_of(value) -> Decimal:
    return Decimal(0) if value is None else Decimal(value)


def minimum(standard_id, *, actual, required, **where) -> Finding:
    """Return a finding for "actual ≥ required", with the shortfall when short."""
    short = actual < required
    return make_finding(
        standard_id,
        status=SHORT if short else MET,
        required=required,
        actual=actual,
        shortfall=required - actual if short else 0,
        **where,
    )


def checklist(standard_id, row: dict, items, **where) -> Finding:
    """Return a finding listing the checklist items a facility lacks."""
    missing = tuple(item for item in items if not row.get(item))
    return make_finding(
        standard_id,
        status=SHORT if missing else MET,
        required=len(items),
        actual=len(items) - len(missing),
        shortfall=len(missing),
        missing=missing,
        **where,
    )
