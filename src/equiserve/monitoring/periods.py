"""The plan's half-year reporting periods, 2014H1 to 2016H2 (clause 4.2)."""

import datetime as dt
import re
from dataclasses import dataclass

FIRST_YEAR, LAST_YEAR = 2014, 2016
_PATTERN = re.compile(r"^(\d{4})H([12])$")


class UnknownPeriod(ValueError):
    """A period id that is not a half-year of the plan."""


@dataclass(frozen=True, order=True)
class Period:
    year: int
    half: int

    @property
    def id(self) -> str:
        return f"{self.year}H{self.half}"

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def end(self) -> dt.date:
        return (
            dt.date(self.year, 6, 30) if self.half == 1 else dt.date(self.year, 12, 31)
        )

    def deadline(self, days: int) -> dt.date:
        """Return the day the period's report is due: `days` after the period ends."""
        return self.end + dt.timedelta(days=days)

    def __str__(self) -> str:
        return self.id


PERIODS: tuple[Period, ...] = tuple(
    Period(year, half) for year in range(FIRST_YEAR, LAST_YEAR + 1) for half in (1, 2)
)
PERIOD_IDS = tuple(period.id for period in PERIODS)
BASELINE = PERIODS[0]


def period_get(period_id: str) -> Period:
    """Return the plan's period with this id ("2015H2"); raise UnknownPeriod."""
    match = _PATTERN.match(period_id or "")
    if match:
        period = Period(int(match[1]), int(match[2]))
        if period in PERIODS:
            return period
    raise UnknownPeriod(
        f"{period_id!r} is not a period of the plan ({PERIOD_IDS[0]}–{PERIOD_IDS[-1]})"
    )


def current_period(today: dt.date | None = None) -> Period:
    """Return the latest period that has ended by `today` (the first one before it)."""
    today = today or dt.date.today()
    ended = [period for period in PERIODS if period.end <= today]
    return ended[-1] if ended else PERIODS[0]


def periods_through(period: Period) -> tuple[Period, ...]:
    """Return the plan's periods from the first up to and including `period`."""
    return tuple(p for p in PERIODS if p <= period)
