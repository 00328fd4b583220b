"""What a round's public page shows: the hashes, the seed, and per application
its public reference, rank, tie-break and outcome.

Nothing about the people: no name, ID number, town, priority group (disability,
elderly), household size or waiting date (issue 10, finding 13). A household
finds itself by its reference in the round (models.round_reference, shown on its
application page); the frozen list and round.json carry what recomputing the
round needs, under that reference only (docs/SECURITY.md says why each field).
"""

import json
from dataclasses import dataclass

from equiserve.allocation import REASONS
from equiserve.housing.models import AllocationRound


def mask_name(name: str) -> str:
    """Return a name with all but its first character hidden: 张三丰 → 张**."""
    name = (name or "").strip()
    if len(name) <= 1:
        return "*" * len(name)
    return name[0] + "*" * (len(name) - 1)


@dataclass(frozen=True)
class PublicRow:
    """One application on a round's public list."""

    id: str
    rank: int | None
    tie_break: str
    unit: str
    reason: str


def round_records(round_: AllocationRound) -> list[dict]:
    """Return the round's applicant records: rank order once drawn, id order before."""
    if round_.round_json:
        return json.loads(round_.round_json)["applicants"]
    return json.loads(round_.frozen_list)["applicants"]


def public_rows(
    round_: AllocationRound, records: list[dict], *, lang: str
) -> list[PublicRow]:
    """Return the page's rows for some of the round's records: references only."""
    result = json.loads(round_.round_json) if round_.round_json else None
    rows = []
    for record in records:
        reason = ""
        unit = ""
        if result is not None:
            unit = result["allocation"].get(record["id"], "")
            code = result["unallocated"].get(record["id"])
            if code:
                reason = REASONS.get(code, {}).get(lang, code)
        rows.append(
            PublicRow(
                id=record["id"],
                rank=record.get("rank"),
                tie_break=record.get("tie_break", ""),
                unit=unit,
                reason=reason,
            )
        )
    return rows
