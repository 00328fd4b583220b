"""Reads of disability services: the register, coverage, institutions (issue 17)."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from equiserve.accounts.scope import ALL_TOWNS
from equiserve.disability.models import (
    Category,
    DisabilityRecord,
    Institution,
    InstitutionKind,
    Service,
    WaitingEntry,
)

# Registration groups of the plan's "step by step" (catalogue, section 1-2).
GROUPS = ("all", "zhongshan", "elsewhere")
DIMENSIONS = ("town", "category", "grade")


@dataclass
class Cell:
    registered: int = 0
    served: int = 0

    @property
    def share(self) -> float | None:
        return self.served / self.registered if self.registered else None


@dataclass
class CoverageRow:
    key: str
    cells: dict[str, Cell] = field(default_factory=lambda: {g: Cell() for g in GROUPS})


def served_q(start: dt.date, end: dt.date) -> Q:
    """A service that runs on at least one day of [start, end]."""
    return Q(start_date__lte=end) & (Q(end_date__isnull=True) | Q(end_date__gte=start))


def coverage(
    *, year: int, towns: list[str] | None = ALL_TOWNS, kind: str = ""
) -> dict[str, list[CoverageRow]]:
    """Return the share of registered persons served in `year`, by town, category
    and grade, for everyone and split by registration (Zhongshan / elsewhere).

    A person counts once the certificate is issued by the year's end, and is
    served when any service (of `kind`, when given) runs on a day of the year.
    """
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    records = DisabilityRecord.objects.filter(issued_on__lte=end)
    services = Service.objects.filter(served_q(start, end))
    if towns is not ALL_TOWNS:
        records = records.filter(person__town_id__in=towns)
    if kind:
        services = services.filter(kind=kind)
    served = set(services.values_list("record_id", flat=True))
    tables: dict[str, dict[str, CoverageRow]] = {d: {} for d in DIMENSIONS}
    tables["total"] = {}
    rows = records.values_list(
        "pk", "person__town_id", "category", "grade", "person__hukou"
    )
    for pk, town, category, grade, hukou in rows.order_by("pk").iterator():
        group = "zhongshan" if hukou == "zhongshan" else "elsewhere"
        for dimension, key in (
            ("town", town),
            ("category", category),
            ("grade", str(grade)),
            ("total", "all"),
        ):
            row = tables[dimension].setdefault(key, CoverageRow(key))
            for g in ("all", group):
                row.cells[g].registered += 1
                row.cells[g].served += pk in served
    order = {"category": {c: i for i, c in enumerate(Category.values)}}
    return {
        dimension: sorted(
            table.values(),
            key=lambda r, d=dimension: (order.get(d, {}).get(r.key, 0), r.key),
        )
        for dimension, table in tables.items()
    }


def latest_service_year(default: int) -> int:
    """Return the year of the latest service's start (the coverage page's default)."""
    latest = (
        Service.objects.order_by("-start_date")
        .values_list("start_date", flat=True)
        .first()
    )
    return latest.year if latest else default


def institution_rows(*, on: dt.date, towns: list[str] | None = ALL_TOWNS) -> list[dict]:
    """Return each institution with its capacity, occupancy and waiting list on `on`.

    A town officer sees the city's institutions and their own town's stations.
    """
    institutions = Institution.objects.select_related("town").order_by("kind", "code")
    if towns is not ALL_TOWNS:
        institutions = institutions.filter(Q(town__isnull=True) | Q(town_id__in=towns))
    occupied = dict(
        Service.objects.filter(served_q(on, on), institution__isnull=False)
        .values_list("institution_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    waiting = dict(
        WaitingEntry.objects.filter(since__lte=on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
        .values_list("institution_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [
        {
            "institution": i,
            "capacity": i.capacity,
            "occupancy": occupied.get(i.pk, 0),
            "free": max(i.capacity - occupied.get(i.pk, 0), 0),
            "waiting": waiting.get(i.pk, 0),
        }
        for i in institutions
    ]


def waiting_list(
    *,
    on: dt.date,
    towns: list[str] | None = ALL_TOWNS,
    institution: str = "",
):
    """Return who waits on `on` for a place, longest waiting first.

    Only persons of `towns` are listed (a town officer's own town), whichever
    institution they wait for; `institution` keeps one institution's list.
    """
    entries = (
        WaitingEntry.objects.select_related(
            "record", "record__person", "record__person__town", "institution"
        )
        .filter(since__lte=on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
    )
    if towns is not ALL_TOWNS:
        entries = entries.filter(record__person__town_id__in=towns)
    if institution:
        entries = entries.filter(institution__code=institution)
    return entries.order_by("since", "institution__code", "pk")


def kangyuan_network(*, on: dt.date, towns: list[str] | None = ALL_TOWNS) -> list[dict]:
    """Return each town's Kangyuan stations open on `on`, their enrolment, and
    whether its network is complete (at least one station, clause 3.9)."""
    from equiserve.geography.models import Town

    town_qs = Town.objects.order_by("code")
    if towns is not ALL_TOWNS:
        town_qs = town_qs.filter(code__in=towns)
    stations = defaultdict(list)
    for station in Institution.objects.filter(
        kind=InstitutionKind.KANGYUAN, town__isnull=False
    ).filter(Q(opened_on__isnull=True) | Q(opened_on__lte=on)):
        stations[station.town_id].append(station)
    enrolled = dict(
        Service.objects.filter(served_q(on, on), kind="kangyuan")
        .values_list("record__person__town_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [
        {
            "town": t,
            "stations": len(stations[t.code]),
            "places": sum(s.capacity for s in stations[t.code]),
            "enrolled": enrolled.get(t.code, 0),
            "complete": bool(stations[t.code]),
        }
        for t in town_qs
    ]


def person_for(towns: list[str] | None, id_number: str, name: str):
    """Find a person by full ID number and name together, in `towns`.

    Both are needed, so a guessed number finds nobody (issue 10, finding 3).
    """
    from equiserve.registry.models import Person

    persons = Person.objects.filter(
        id_number=str(id_number).strip().upper(), name=str(name).strip()
    )
    if towns is not ALL_TOWNS:
        persons = persons.filter(town_id__in=towns)
    return persons.first()
