"""The waiting list's ranking as versioned, published files (clause 3.8).

Each version is a YAML file ``<plan>/housing/ranking-v<N>.yaml``: the fields of
`equiserve.allocation.RankingConfig` (the part round.json carries) plus a
``criteria`` block saying who belongs to each priority group and what the
score counts. A round records the version it used and publishes both.

Plain Python: the housing app gathers a household's facts (`HouseholdFacts`),
this module turns them into a priority group, a score and the words that
explain a position on the list.
"""

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import yaml

from equiserve.allocation import RankingConfig, RoundFormatError

FILE_PATTERN = re.compile(r"ranking-v(\d+)\.yaml")
GROUP_RULES = {
    "declared_disability": (),
    "member_aged_at_least": ("age",),
    "member_low_income": (),
}
SCORE_PARTS = ("points_above_minimum", "floor_area_shortfall_m2")


class RankingFileError(ValueError):
    """Say what is wrong with a ranking file, naming the file."""


@dataclass(frozen=True)
class HouseholdFacts:
    """What the ranking reads about a household on the assessment date."""

    disability: bool
    oldest_age: int | None
    low_income: bool
    best_points: Decimal | None  # half-points (issue 12, point 5)
    migrant: bool
    floor_area_per_person: Decimal | None


@dataclass(frozen=True)
class ScoreLimits:
    """The plan's parameters the score is measured against, on the date."""

    floor_area_limit_per_person: Decimal
    migrant_minimum_points: Decimal


@dataclass(frozen=True)
class Ranking:
    """One published version: the core's configuration and the criteria."""

    config: RankingConfig
    criteria: dict
    path: Path

    @property
    def version(self) -> str:
        return self.config.version

    def priority(self, facts: HouseholdFacts) -> str | None:
        """Return the household's first priority group in the order, or None."""
        for group in self.config.priority_groups:
            if self._in_group(group, facts):
                return group
        return None

    def _in_group(self, group: str, facts: HouseholdFacts) -> bool:
        rule = self.criteria["groups"][group]
        kind = rule["rule"]
        if kind == "declared_disability":
            return facts.disability
        if kind == "member_aged_at_least":
            return facts.oldest_age is not None and facts.oldest_age >= rule["age"]
        return facts.low_income  # member_low_income

    def score_parts(self, facts: HouseholdFacts, limits: ScoreLimits) -> dict:
        """Return each part of the score before weighting (Decimals ≥ 0)."""
        points = Decimal(0)
        if facts.migrant and facts.best_points is not None:
            points = max(
                Decimal(0), Decimal(facts.best_points) - limits.migrant_minimum_points
            )
        shortfall = Decimal(0)
        if facts.floor_area_per_person is not None:
            shortfall = max(
                Decimal(0),
                limits.floor_area_limit_per_person - facts.floor_area_per_person,
            )
        return {"points_above_minimum": points, "floor_area_shortfall_m2": shortfall}

    def score(self, facts: HouseholdFacts, limits: ScoreLimits) -> int:
        """Return the weighted score, rounded down to a whole number."""
        weights = self.criteria["score"]
        parts = self.score_parts(facts, limits)
        total = sum(
            (Decimal(str(weights[name])) * parts[name] for name in SCORE_PARTS),
            Decimal(0),
        )
        return math.floor(total)

    def group_label(self, group: str | None, lang: str) -> str:
        """Return a group's label in `lang` ("zh" or "en"), or its name."""
        if group is None:
            return ""
        return self.config.labels.get(group, {}).get(lang, group)

    def published(self) -> dict:
        """Return the version as published: the configuration and the criteria."""
        return {**self.config.to_dict(), "criteria": self.criteria}


def _check_criteria(criteria: object, config: RankingConfig, where: str) -> dict:
    if not isinstance(criteria, dict) or set(criteria) != {"groups", "score"}:
        raise RankingFileError(f"{where}: criteria must hold exactly groups and score")
    groups = criteria["groups"]
    if not isinstance(groups, dict) or set(groups) != set(config.priority_groups):
        raise RankingFileError(
            f"{where}: criteria.groups must give a rule for each priority group "
            f"{list(config.priority_groups)}"
        )
    for name, rule in groups.items():
        kind = rule.get("rule") if isinstance(rule, dict) else None
        if kind not in GROUP_RULES:
            raise RankingFileError(
                f"{where}: group {name}: rule must be one of {sorted(GROUP_RULES)}"
            )
        if set(rule) != {"rule", *GROUP_RULES[kind]}:
            raise RankingFileError(
                f"{where}: group {name}: rule {kind} takes {list(GROUP_RULES[kind])}"
            )
        if kind == "member_aged_at_least" and (
            type(rule["age"]) is not int or rule["age"] < 0
        ):
            raise RankingFileError(f"{where}: group {name}: age must be a whole number")
    score = criteria["score"]
    if not isinstance(score, dict) or set(score) != set(SCORE_PARTS):
        raise RankingFileError(
            f"{where}: criteria.score must weigh {list(SCORE_PARTS)}"
        )
    for name, weight in score.items():
        if type(weight) not in (int, float) or not math.isfinite(weight) or weight < 0:
            raise RankingFileError(
                f"{where}: criteria.score.{name} must be a number ≥ 0"
            )
    return criteria


def load_ranking(path: str | Path) -> Ranking:
    """Load and check one ranking file; raise RankingFileError naming the file."""
    path = Path(path)
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    if not isinstance(data, dict) or "criteria" not in data:
        raise RankingFileError(f"{path}: missing field 'criteria'")
    criteria = data.pop("criteria")
    try:
        config = RankingConfig.from_dict(data)
    except RoundFormatError as error:
        raise RankingFileError(f"{path}: {error}") from None
    match = FILE_PATTERN.fullmatch(path.name)
    if match is None or match.group(1) != config.version:
        raise RankingFileError(
            f"{path}: a ranking file is named ranking-v<version>.yaml with "
            f'version: "<version>" inside'
        )
    return Ranking(config, _check_criteria(criteria, config, str(path)), path)


@lru_cache(maxsize=8)
def _rankings(directory: Path, stamp: tuple) -> dict[str, Ranking]:
    found = sorted(
        (int(m.group(1)), path)
        for path in directory.glob("ranking-v*.yaml")
        if (m := FILE_PATTERN.fullmatch(path.name))
    )
    return {str(number): load_ranking(path) for number, path in found}


def rankings(directory: str | Path) -> dict[str, Ranking]:
    """Return every published version in `directory`, oldest first."""
    directory = Path(directory)
    stamp = tuple(
        (path.name, path.stat().st_mtime_ns)
        for path in sorted(directory.glob("ranking-v*.yaml"))
    )
    return _rankings(directory, stamp)


def current_ranking(directory: str | Path) -> Ranking:
    """Return the newest published version."""
    found = rankings(directory)
    if not found:
        raise RankingFileError(f"{directory}: no ranking-v<N>.yaml file")
    return list(found.values())[-1]
