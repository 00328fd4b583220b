"""Assess households for public rental housing with the policy engine (3.8).

One engine evaluation covers any number of households: eligibility and its
explanation in Chinese and English come from the plan's 3.8 rules; the
priority group and score from the ranking version in force.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import polars as pl
from django.conf import settings
from django.db.models import Q

from equiserve.housing.ranking import (
    HouseholdFacts,
    Ranking,
    ScoreLimits,
    current_ranking,
    rankings,
)
from equiserve.registry.models import Household, Person

OUTPUTS = [
    "public_rental_housing_eligible",
    "household_size",
    "household_registered",
    "household_income_per_person_month",
    "household_floor_area_per_person",
]
CHUNK = 2000
PERSON_SCHEMA = {
    "id": pl.String,
    "household": pl.String,
    "birth_date": pl.Date,
    "hukou": pl.String,
    "hukou_kind": pl.String,
    "town": pl.String,
    "points": pl.Decimal(6, 1),  # half-points, exact (issue 12, point 5)
    "low_income": pl.Boolean,
}
HOUSEHOLD_SCHEMA = {
    "id": pl.String,
    "town": pl.String,
    "floor_area_m2": pl.Decimal(14, 2),
    "annual_income": pl.Decimal(14, 2),
    "assets": pl.Decimal(16, 2),
}


def plan_dir() -> Path:
    return Path(settings.EQUISERVE_PLAN_DIR)


def ranking_dir() -> Path:
    return plan_dir() / "housing"


def ranking_for(version: str | None = None) -> Ranking:
    """Return a published ranking version, the newest by default (KeyError if none)."""
    if version is None:
        return current_ranking(ranking_dir())
    return rankings(ranking_dir())[version]


def _plan():
    from equiserve.rules import plan_gateway

    return plan_gateway.plan(plan_dir())


def parameter(name: str, date: dt.date):
    """Return a plan parameter's value on `date` (None when not in force)."""
    found = _plan().parameters[name].at(date)
    return None if found is None else found.value


def score_limits(date: dt.date) -> ScoreLimits:
    """Return the parameters the score is measured against on `date`."""
    return ScoreLimits(
        floor_area_limit_per_person=Decimal(
            str(parameter("housing.floor_area_limit_per_person", date))
        ),
        migrant_minimum_points=Decimal(
            str(parameter("housing.migrant_minimum_points", date))
        ),
    )


@dataclass(frozen=True)
class Assessment:
    """A household's eligibility (with the engine's explanation) and ranking facts."""

    eligible: bool
    explanation: dict
    household_size: int
    migrant: bool
    priority: str | None
    score: int
    facts: HouseholdFacts


def _age(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((birth.month, birth.day) > (on.month, on.day))


def living_members(household_ids: Iterable[int], date: dt.date) -> dict[int, list]:
    """Return {household pk: [person rows]} of the members alive on `date`."""
    ids = list(household_ids)
    members: dict[int, list] = defaultdict(list)
    for start in range(0, len(ids), CHUNK):
        rows = Person.objects.filter(household_id__in=ids[start : start + CHUNK])
        rows = rows.filter(Q(death_date__isnull=True) | Q(death_date__gt=date))
        for row in rows.values(
            "pk",
            "household_id",
            "birth_date",
            "hukou",
            "hukou_kind",
            "town_id",
            "points",
            "low_income",
        ).order_by("pk"):
            members[row["household_id"]].append(row)
    return members


def assess_households(
    households: Sequence[Household],
    *,
    date: dt.date,
    disability: dict[int, bool],
    ranking: Ranking | None = None,
    explain: bool = True,
) -> dict[int, Assessment]:
    """Assess each household on `date`; `disability` says which declared one.

    Without `explain` the explanation is left empty (for screening many).
    """
    if not households:
        return {}
    ranking = ranking or ranking_for()
    members = living_members([h.pk for h in households], date)
    persons = pl.DataFrame(
        [
            {
                "id": str(row["pk"]),
                "household": str(household_id),
                "birth_date": row["birth_date"],
                "hukou": row["hukou"],
                "hukou_kind": row["hukou_kind"] or None,
                "town": row["town_id"],
                "points": row["points"],
                "low_income": row["low_income"],
            }
            for household_id, rows in members.items()
            for row in rows
        ],
        schema=PERSON_SCHEMA,
    )
    frame = pl.DataFrame(
        [
            {
                "id": str(h.pk),
                "town": h.town_id,
                "floor_area_m2": h.floor_area_m2,
                "annual_income": h.annual_income,
                "assets": h.assets,
            }
            for h in households
        ],
        schema=HOUSEHOLD_SCHEMA,
    )
    evaluation = _plan().evaluate(
        persons, frame, date=date, outputs=OUTPUTS, explain=explain, lang="zh"
    )
    explained = {
        lang: evaluation.explanations(lang)["households"] if explain else {}
        for lang in ("zh", "en")
    }
    results = {
        row["id"]: row
        for row in evaluation.households.select(
            "id", "public_rental_housing_eligible", "household_size",
            "household_registered",
        ).iter_rows(named=True)
    }  # fmt: skip
    limits = score_limits(date)
    assessed = {}
    for household in households:
        key = str(household.pk)
        result = results[key]
        rows = members.get(household.pk, [])
        size = result["household_size"] or len(rows)
        area = household.floor_area_m2
        facts = HouseholdFacts(
            disability=bool(disability.get(household.pk)),
            oldest_age=max((_age(r["birth_date"], date) for r in rows), default=None),
            low_income=any(r["low_income"] for r in rows),
            best_points=max(
                (r["points"] for r in rows if r["points"] is not None), default=None
            ),
            migrant=not result["household_registered"],
            floor_area_per_person=None if area is None or not size else area / size,
        )
        explanation = {
            lang: dict(explained[lang][key]["public_rental_housing_eligible"])
            for lang in ("zh", "en")
            if explain
        }
        assessed[household.pk] = Assessment(
            eligible=bool(result["public_rental_housing_eligible"]),
            explanation=explanation,
            household_size=max(size, 1),
            migrant=facts.migrant,
            priority=ranking.priority(facts),
            score=ranking.score(facts, limits),
            facts=facts,
        )
    return assessed
