"""How many people a town has, for the per-10,000 standard and the fitness circle.

The registry (`registry.Person`) may hold a sample (the demo city holds 1 %),
so counts are scaled: a town's population is the city's published year-end
total (parameters `facilities.population.city_resident` / `city_registered`,
the latest in force on the day) times the town's share of the registry. With a
complete registry the factor is close to 1.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q

from equiserve.facilities.standards import Standards
from equiserve.registry.models import Person

RESIDENT, REGISTERED = "resident", "registered"

# What the fitness circle reads of each person (`circle.persons_read`): a
# change to another field moves none of its figures (`monitoring.stored`).
CIRCLE_PERSON_PATHS = {
    "key": "key",
    "town": "town_id",
    "village": "village_id",
    # Whose tallies a person's change moves: people are placed within their
    # village, so a village's people are read and kept together.
    "partition": "village__town_id",
    "hukou": "hukou",
    "birth_date": "birth_date",
    "death_date": "death_date",
}
BASES = (RESIDENT, REGISTERED)


def persons_on(date: dt.date):
    """Return the registry's persons alive on `date`."""
    return Person.objects.filter(birth_date__lte=date).filter(
        Q(death_date__isnull=True) | Q(death_date__gt=date)
    )


@dataclass(frozen=True)
class Population:
    """Registry counts by town on a day, and the factor that scales them to people."""

    basis: str
    records: dict[str, int]
    city_total: int | None

    @property
    def record_total(self) -> int:
        return sum(self.records.values())

    @property
    def factor(self) -> float | None:
        """Return people per registry record (None without records or a total)."""
        if not self.city_total or not self.record_total:
            return None
        return self.city_total / self.record_total

    def town(self, code: str) -> int | None:
        """Return the estimated population of a town, in whole people."""
        factor = self.factor
        if factor is None:
            return None
        return round(self.records.get(code, 0) * factor)


def population_on(date: dt.date, basis: str, standards: Standards) -> Population:
    """Count the registry by town on `date`, resident or registered (`basis`)."""
    if basis not in BASES:
        raise ValueError(f"population basis must be one of {BASES}, not {basis!r}")
    persons = persons_on(date)
    if basis == REGISTERED:
        persons = persons.filter(hukou="zhongshan")
    records = dict(
        persons.values_list("town_id")
        .annotate(n=Count("pk"))
        .values_list("town_id", "n")
    )
    return population_counted(records, basis, standards)


def population_counted(
    records: dict[str, int], basis: str, standards: Standards
) -> Population:
    """Return the population of registry `records` counted by town."""
    total = standards.get(f"population.city_{basis}")
    return Population(
        basis=basis,
        records=records,
        city_total=None if total is None else int(total),
    )
