"""The applicants and units of a round, checked as they are built."""

import functools
import math
import re
from dataclasses import dataclass
from datetime import date

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

APPLICANT_FIELDS = (
    "id",
    "priority",
    "score",
    "waiting_since",
    "household_size",
    "preferences",
    "migrant",
    "refusals",
)
UNIT_FIELDS = ("id", "estate", "bedrooms", "suits")


class RoundFormatError(ValueError):
    """Say that round data misses a field, has a wrong type or breaks a format rule."""


@functools.lru_cache(maxsize=4096)
def _real_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _whole(value: object, minimum: int) -> bool:
    return type(value) is int and value >= minimum


@dataclass(frozen=True, slots=True)
class Applicant:
    """Hold what the ranking and the allocation read about one household.

    ``priority`` is the household's highest priority group (a name from the ranking
    configuration) or None; ``score`` its points; ``waiting_since`` the ISO date it
    joined the waiting list; ``preferences`` estate ids, most wanted first;
    ``refusals`` the offers it has refused so far.
    """

    id: str
    priority: str | None
    score: int | float
    waiting_since: str
    household_size: int
    preferences: tuple[str, ...]
    migrant: bool = False
    refusals: int = 0

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id:
            raise RoundFormatError(
                f"applicant id must be a non-empty string: {self.id!r}"
            )
        priority = self.priority
        if priority is not None and (not isinstance(priority, str) or not priority):
            self._fail(f"priority must be a group name or null, not {priority!r}")
        score = self.score
        if type(score) not in (int, float) or not math.isfinite(score):
            self._fail(f"score must be a finite number, not {score!r}")
        waiting = self.waiting_since
        if isinstance(waiting, date):
            waiting = waiting.isoformat()
            object.__setattr__(self, "waiting_since", waiting)
        if not isinstance(waiting, str) or not _DATE.fullmatch(waiting):
            self._fail(f"waiting_since must be a date YYYY-MM-DD, not {waiting!r}")
        if not _real_date(waiting):
            self._fail(f"waiting_since {waiting!r} is not a real date")
        if not _whole(self.household_size, 1):
            self._fail(
                f"household_size must be a whole number ≥ 1, not {self.household_size!r}"
            )
        prefs = self.preferences
        if not isinstance(prefs, list | tuple) or not all(
            isinstance(estate, str) and estate for estate in prefs
        ):
            self._fail(f"preferences must be a list of estate ids, not {prefs!r}")
        if len(set(prefs)) != len(prefs):
            self._fail("preferences list an estate twice")
        if type(prefs) is not tuple:
            object.__setattr__(self, "preferences", tuple(prefs))
        if type(self.migrant) is not bool:
            self._fail(f"migrant must be true or false, not {self.migrant!r}")
        if not _whole(self.refusals, 0):
            self._fail(f"refusals must be a whole number ≥ 0, not {self.refusals!r}")

    def _fail(self, problem: str) -> None:
        raise RoundFormatError(f"applicant {self.id}: {problem}")

    def to_dict(self) -> dict:
        """Return the applicant's fields as plain JSON data."""
        return {
            "id": self.id,
            "priority": self.priority,
            "score": self.score,
            "waiting_since": self.waiting_since,
            "household_size": self.household_size,
            "preferences": list(self.preferences),
            "migrant": self.migrant,
            "refusals": self.refusals,
        }

    @classmethod
    def from_dict(cls, data: object, extra: tuple[str, ...] = ()) -> "Applicant":
        """Build an applicant from plain data holding every field (and `extra` ones)."""
        _check_keys(data, "applicant", APPLICANT_FIELDS, extra)
        return cls(**{name: data[name] for name in APPLICANT_FIELDS})


@dataclass(frozen=True, slots=True)
class Unit:
    """Hold one flat offered in a round: its estate, bedrooms and the household
    sizes it suits."""

    id: str
    estate: str
    bedrooms: int
    suits: tuple[int, ...]

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id:
            raise RoundFormatError(f"unit id must be a non-empty string: {self.id!r}")
        what = f"unit {self.id}"
        if not isinstance(self.estate, str) or not self.estate:
            raise RoundFormatError(
                f"{what}: estate must be an estate id: {self.estate!r}"
            )
        if not _whole(self.bedrooms, 0):
            raise RoundFormatError(
                f"{what}: bedrooms must be a whole number ≥ 0, not {self.bedrooms!r}"
            )
        suits = self.suits
        if (
            not isinstance(suits, list | tuple)
            or not suits
            or not all(_whole(size, 1) for size in suits)
        ):
            raise RoundFormatError(
                f"{what}: suits must list household sizes (whole numbers ≥ 1), "
                f"not {suits!r}"
            )
        if len(set(suits)) != len(suits):
            raise RoundFormatError(f"{what}: suits lists a household size twice")
        object.__setattr__(self, "suits", tuple(suits))

    def to_dict(self) -> dict:
        """Return the unit's fields as plain JSON data."""
        return {
            "id": self.id,
            "estate": self.estate,
            "bedrooms": self.bedrooms,
            "suits": list(self.suits),
        }

    @classmethod
    def from_dict(cls, data: object) -> "Unit":
        """Build a unit from plain data holding exactly its fields."""
        _check_keys(data, "unit", UNIT_FIELDS, ())
        return cls(**{name: data[name] for name in UNIT_FIELDS})


def _check_keys(
    data: object, kind: str, required: tuple[str, ...], extra: tuple[str, ...]
) -> None:
    if not isinstance(data, dict):
        raise RoundFormatError(f"each {kind} must be an object, not {data!r}")
    if len(data) == len(required) + len(extra) and data.keys() >= {*required, *extra}:
        return
    who = f"{kind} {data.get('id')}" if isinstance(data.get("id"), str) else kind
    missing = [name for name in (*required, *extra) if name not in data]
    if missing:
        raise RoundFormatError(f"{who}: missing field {missing[0]!r}")
    if len(data) != len(required) + len(extra):
        unknown = sorted(set(data) - {*required, *extra})
        raise RoundFormatError(f"{who}: unknown field {unknown[0]!r}")


def check_unique_ids(applicants: list[Applicant], units: list[Unit]) -> None:
    """Refuse a round that lists one applicant or one unit twice."""
    for kind, items in (("applicant", applicants), ("unit", units)):
        seen: set[str] = set()
        for item in items:
            if item.id in seen:
                raise RoundFormatError(f"{kind} {item.id} is listed twice")
            seen.add(item.id)
