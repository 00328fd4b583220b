"""The ranking of the waiting list as versioned, published configuration (clause 3.8).

A ranking orders applicants by, in turn:

1. priority group: the groups in ``priority_groups`` in the listed order, then
   applicants in no group;
2. score (points), highest first;
3. waiting time: earlier ``waiting_since`` first;
4. the lottery: lower SHA-256(seed ‖ applicant id) first.

A household that has refused ``refusal_limit`` offers or more is moved down:

- ``refusal_demotion: end_of_group`` puts it after every household of its own
  priority group that is not moved down, and before the next group;
- ``refusal_demotion: end_of_list`` puts it after every household that is not
  moved down, whatever their group.

Households moved down keep the same order among themselves (group, score, waiting
time, lottery).
"""

from dataclasses import dataclass, field, fields
from pathlib import Path

import yaml

from equiserve.allocation.model import RoundFormatError

DEMOTIONS = ("end_of_group", "end_of_list")


@dataclass(frozen=True)
class RankingConfig:
    """Say how a round ranks its applicants; see the module docstring."""

    version: str
    priority_groups: tuple[str, ...]
    refusal_limit: int
    refusal_demotion: str = "end_of_group"
    clause: str = "3.8"
    status: str = "illustrative"
    owner: str = "housing"
    reference: str = ""
    labels: dict[str, dict[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.version, str) or not self.version:
            raise RoundFormatError(
                f"ranking_config: version must be a non-empty string (quote it in "
                f"YAML), not {self.version!r}"
            )
        groups = self.priority_groups
        if not isinstance(groups, list | tuple) or not all(
            isinstance(group, str) and group for group in groups
        ):
            raise RoundFormatError(
                f"ranking_config: priority_groups must be a list of names, "
                f"not {groups!r}"
            )
        if len(set(groups)) != len(groups):
            raise RoundFormatError(
                f"ranking_config: priority_groups lists a group twice: {list(groups)}"
            )
        object.__setattr__(self, "priority_groups", tuple(groups))
        limit = self.refusal_limit
        if type(limit) is not int or limit < 1:
            raise RoundFormatError(
                f"ranking_config: refusal_limit must be a whole number ≥ 1, "
                f"not {limit!r}"
            )
        if self.refusal_demotion not in DEMOTIONS:
            raise RoundFormatError(
                f"ranking_config: refusal_demotion must be one of {', '.join(DEMOTIONS)}"
                f", not {self.refusal_demotion!r}"
            )
        for name in ("clause", "status", "owner", "reference"):
            if not isinstance(getattr(self, name), str):
                raise RoundFormatError(f"ranking_config: {name} must be a string")
        if not isinstance(self.labels, dict) or not all(
            isinstance(key, str)
            and isinstance(label, dict)
            and all(isinstance(v, str) for v in [*label, *label.values()])
            for key, label in self.labels.items()
        ):
            raise RoundFormatError(
                "ranking_config: labels must map a group to {language: text}"
            )

    def group_index(self, priority: str | None) -> int:
        """Return the place of a priority group in the order; no group comes last."""
        if priority is None:
            return len(self.priority_groups)
        return self.priority_groups.index(priority)

    def to_dict(self) -> dict:
        """Return the configuration as plain JSON data, as it appears in round.json."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["priority_groups"] = list(self.priority_groups)
        data["labels"] = {k: dict(v) for k, v in self.labels.items()}
        return data

    @classmethod
    def from_dict(cls, data: object) -> "RankingConfig":
        """Build a configuration from plain data, refusing unknown keys."""
        if not isinstance(data, dict):
            raise RoundFormatError("ranking_config must be an object")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise RoundFormatError(f"ranking_config: unknown field {unknown[0]!r}")
        missing = [
            name
            for name in ("version", "priority_groups", "refusal_limit")
            if name not in data
        ]
        if missing:
            raise RoundFormatError(f"ranking_config: missing field {missing[0]!r}")
        return cls(**data)

    @classmethod
    def from_file(cls, path: str | Path) -> "RankingConfig":
        """Load a configuration from a YAML or JSON file."""
        with open(path, encoding="utf-8") as handle:
            return cls.from_dict(yaml.safe_load(handle))
