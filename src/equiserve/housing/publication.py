"""What a round's public page shows: ranks, hashes, the seed, and masked people.

Names keep their first character (张**), ID numbers their first 6 and last 4
characters (440102********1234); everything else on the page is in round.json
already.
"""

import json
from dataclasses import dataclass

from equiserve.allocation import REASONS
from equiserve.housing.models import AllocationRound, Application, application_pk
from equiserve.registry.privacy import mask_id_number


def mask_name(name: str) -> str:
    """Return a name with all but its first character hidden: 张三丰 → 张**."""
    name = (name or "").strip()
    if len(name) <= 1:
        return "*" * len(name)
    return name[0] + "*" * (len(name) - 1)


@dataclass(frozen=True)
class PublicRow:
    """One household on a round's public list."""

    id: str
    rank: int | None
    name: str
    id_number: str
    town: str
    priority: str
    score: int | float
    waiting_since: str
    household_size: int
    migrant: bool
    refusals: int
    preferences: list[str]
    tie_break: str
    unit: str
    reason: str


def _people(ids: list[str]) -> dict[str, Application]:
    pks = [pk for code in ids if (pk := application_pk(code)) is not None]
    found = Application.objects.filter(pk__in=pks).select_related(
        "applicant", "household__town"
    )
    return {application.code: application for application in found}


def _town_name(application: Application | None, lang: str) -> str:
    if application is None:
        return ""
    town = application.household.town
    return town.name_en if lang == "en" else town.short_name_zh


def round_records(round_: AllocationRound) -> list[dict]:
    """Return the round's applicant records: rank order once drawn, id order before."""
    if round_.round_json:
        return json.loads(round_.round_json)["applicants"]
    return json.loads(round_.frozen_list)["applicants"]


def public_rows(
    round_: AllocationRound, records: list[dict], *, lang: str
) -> list[PublicRow]:
    """Return the page's rows for some of the round's records, people masked."""
    result = json.loads(round_.round_json) if round_.round_json else None
    config = json.loads(round_.frozen_list)["ranking_config"]
    labels = config.get("labels", {})
    people = _people([record["id"] for record in records])
    rows = []
    for record in records:
        application = people.get(record["id"])
        person = application.applicant if application else None
        reason = ""
        unit = ""
        if result is not None:
            unit = result["allocation"].get(record["id"], "")
            code = result["unallocated"].get(record["id"])
            if code:
                reason = REASONS.get(code, {}).get(lang, code)
        priority = record["priority"]
        rows.append(
            PublicRow(
                id=record["id"],
                rank=record.get("rank"),
                name=mask_name(person.name) if person else "",
                id_number=mask_id_number(person.id_number) if person else "",
                town=_town_name(application, lang),
                priority=labels.get(priority, {}).get(lang, priority)
                if priority
                else "",
                score=record["score"],
                waiting_since=record["waiting_since"],
                household_size=record["household_size"],
                migrant=record["migrant"],
                refusals=record["refusals"],
                preferences=record["preferences"],
                tie_break=record.get("tie_break", ""),
                unit=unit,
                reason=reason,
            )
        )
    return rows
