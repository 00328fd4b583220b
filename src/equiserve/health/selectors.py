"""Reads of the health registries: a patient's management status, the 3.3.2 rates, pilot counts.

Standardized management and glucose control on a day follow the plan's dated
parameters in force that day (3.3.2):

- managed: at least `health.t1d_management_minimum_follow_ups` follow-up
  visits in the twelve months ending on the day;
- controlled: the latest HbA1c measured in those twelve months is below
  `health.t1d_control_maximum_hba1c`.

A patient counts on a day when enrolled by it, not left by it and alive on it.
The rates are managed (controlled) patients ÷ patients counted × 100.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from equiserve.health.models import (
    Enrolment,
    FollowUp,
    PilotSchool,
    PsychologyTeacher,
    Referral,
    RiskLevel,
    Screening,
)
from equiserve.rules.plan_gateway import parameter_on

MINIMUM_FOLLOW_UPS = "health.t1d_management_minimum_follow_ups"
MAXIMUM_HBA1C = "health.t1d_control_maximum_hba1c"


def year_before(day: dt.date) -> dt.date:
    """Return the day one year before `day` (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def counted_on(day: dt.date) -> Q:
    """Return the enrolments a rate counts on `day`: enrolled, not left, alive."""
    return (
        Q(enrolled_on__lte=day)
        & (Q(left_on__isnull=True) | Q(left_on__gt=day))
        & (Q(person__death_date__isnull=True) | Q(person__death_date__gt=day))
    )


@dataclass(frozen=True)
class Definitions:
    """The parameters in force on a day."""

    minimum_follow_ups: int
    maximum_hba1c: Decimal

    @classmethod
    def on(cls, day: dt.date) -> Definitions | None:
        """Return the definitions in force on `day` (None before the plan sets them)."""
        follow_ups = parameter_on(MINIMUM_FOLLOW_UPS, day)
        hba1c = parameter_on(MAXIMUM_HBA1C, day)
        if follow_ups is None or hba1c is None:
            return None
        return cls(int(follow_ups), Decimal(str(hba1c)))


@dataclass(frozen=True)
class Status:
    """A patient's standing on a day."""

    day: dt.date
    follow_ups: int
    latest_hba1c: Decimal | None
    managed: bool
    controlled: bool


def _status(visits: list[tuple[dt.date, Decimal | None]], day, rules) -> Status:
    """Return the status from (visit date, HbA1c) pairs in date order, any window."""
    start = year_before(day)
    within = [(on, hba1c) for on, hba1c in visits if start < on <= day]
    measured = [hba1c for _, hba1c in within if hba1c is not None]
    latest = measured[-1] if measured else None
    return Status(
        day=day,
        follow_ups=len(within),
        latest_hba1c=latest,
        managed=rules is not None and len(within) >= rules.minimum_follow_ups,
        controlled=rules is not None
        and latest is not None
        and latest < rules.maximum_hba1c,
    )


def _visits(enrolments, day: dt.date) -> dict[int, list]:
    rows = (
        FollowUp.objects.filter(
            enrolment__in=enrolments,
            visited_on__gt=year_before(day),
            visited_on__lte=day,
        )
        .order_by("enrolment_id", "visited_on", "pk")
        .values_list("enrolment_id", "visited_on", "hba1c")
    )
    found: dict[int, list] = defaultdict(list)
    for enrolment, on, hba1c in rows:
        found[enrolment].append((on, hba1c))
    return found


def status_on(enrolment: Enrolment, day: dt.date) -> Status:
    """Return one patient's management and control status on `day`."""
    visits = _visits(Enrolment.objects.filter(pk=enrolment.pk), day)
    return _status(visits.get(enrolment.pk, []), day, Definitions.on(day))


@dataclass(frozen=True)
class Counts:
    patients: int = 0
    managed: int = 0
    controlled: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.patients + other.patients,
            self.managed + other.managed,
            self.controlled + other.controlled,
        )

    def rate(self, part: int) -> Decimal | None:
        """Return part ÷ patients × 100 to one decimal (None with no patient)."""
        if not self.patients:
            return None
        return (Decimal(100) * part / self.patients).quantize(Decimal("0.1"))

    @property
    def managed_rate(self) -> Decimal | None:
        return self.rate(self.managed)

    @property
    def controlled_rate(self) -> Decimal | None:
        return self.rate(self.controlled)


def t1d_counts_by_town(
    day: dt.date, towns: list[str] | tuple[str, ...] | None = None
) -> dict[str, Counts]:
    """Return {town code: Counts} of the patients counted on `day` (their town now)."""
    enrolments = Enrolment.objects.filter(counted_on(day))
    if towns is not None:
        enrolments = enrolments.filter(person__town_id__in=towns)
    rules = Definitions.on(day)
    if rules is None:  # a day before the plan: no programme, no patient counted
        return {}
    visits = _visits(enrolments, day)
    counts: dict[str, Counts] = defaultdict(Counts)
    for pk, town in enrolments.order_by("pk").values_list("pk", "person__town_id"):
        status = _status(visits.get(pk, []), day, rules)
        counts[town] += Counts(1, int(status.managed), int(status.controlled))
    return dict(counts)


def t1d_counts(day: dt.date, towns=None) -> Counts:
    """Return the city's (or the towns') counts on `day`."""
    return sum(t1d_counts_by_town(day, towns).values(), Counts())


def enrolment_detail(enrolment: Enrolment):
    """Return the patient's visits and dispensings, newest first."""
    return (
        enrolment.follow_ups.select_related("recorded_by").order_by(
            "-visited_on", "-pk"
        ),
        enrolment.dispensings.order_by("-dispensed_on", "-pk"),
    )


# --- Student mental-health pilot (3.3.1) ---------------------------------


def pilot_stages(day: dt.date) -> tuple[str, ...]:
    return tuple(parameter_on("mental_health.pilot_school_stages", day) or ())


@dataclass(frozen=True)
class PilotCounts:
    schools: int
    teachers_certified: int
    screened: int
    referred: int
    followed_up: int


def pilot_counts(day: dt.date, schools=None) -> PilotCounts:
    """Return the pilot's indicators on `day`: schools covered, teachers, pupils."""
    stages = pilot_stages(day)
    covered = PilotSchool.objects.filter(pilot_from__lte=day, stage__in=stages)
    if schools is not None:
        covered = covered.filter(pk__in=[school.pk for school in schools])
    screenings = Screening.objects.filter(school__in=covered, screened_on__lte=day)
    referrals = Referral.objects.filter(screening__in=screenings, referred_on__lte=day)
    return PilotCounts(
        schools=covered.count(),
        teachers_certified=PsychologyTeacher.objects.filter(
            school__in=covered, certified_on__lte=day
        ).count(),
        screened=screenings.values("person").distinct().count(),
        referred=referrals.values("screening__person").distinct().count(),
        followed_up=referrals.filter(followed_up_on__lte=day)
        .values("screening__person")
        .distinct()
        .count(),
    )


def risk_level_of(score: int, day: dt.date) -> str:
    """Return the risk level of an MHT score under the cut-offs in force on `day`."""
    if score >= parameter_on("mental_health.screening_high_minimum_score", day):
        return RiskLevel.HIGH
    if score >= parameter_on("mental_health.screening_elevated_minimum_score", day):
        return RiskLevel.ELEVATED
    return RiskLevel.LOW


# --- Migrants' free family-planning services (3.3.4) ---------------------


def migrants_served(day: dt.date, towns=None) -> list[tuple[int, str, str]]:
    """Return (person pk, town, registration) of the residents on `day` given a
    free 3.3.4 service in the twelve months ending on it.

    Whether each is eligible on the day is the engine's (the indicator joins
    its outcome); this is only who was served.
    """
    from django.db.models import Exists, OuterRef

    from equiserve.health.models import MigrantService
    from equiserve.monitoring.conditions import resident_on
    from equiserve.registry.models import Person

    served = MigrantService.objects.filter(
        person=OuterRef("pk"), delivered_on__gt=year_before(day), delivered_on__lte=day
    )
    persons = Person.objects.filter(resident_on(day)).filter(Exists(served))
    if towns is not None:
        persons = persons.filter(town_id__in=towns)
    return list(persons.order_by("pk").values_list("pk", "town_id", "hukou"))


@dataclass(frozen=True)
class Coverage:
    """The 3.3.4 coverage on a day: eligible migrants, and those served."""

    eligible: int
    served: int

    @property
    def rate(self) -> Decimal | None:
        if not self.eligible:
            return None
        return (Decimal(100) * self.served / self.eligible).quantize(Decimal("0.1"))


def migrant_coverage(day: dt.date) -> Coverage:
    """Return the city's 3.3.4 coverage on `day`, as the indicator counts it."""
    from equiserve.cases.programmes import programme
    from equiserve.health.vocabulary import COVERAGE_PROGRAMME
    from equiserve.monitoring.conditions import resident_on
    from equiserve.monitoring.sources import engine
    from equiserve.registry.models import Person

    rule = programme(COVERAGE_PROGRAMME).eligibility
    frame = engine.evaluate_days([rule], [day])[(rule, day)]
    eligible = set(frame.filter(frame[engine.OUTCOME].fill_null(False))["pk"])
    eligible &= set(
        Person.objects.filter(resident_on(day)).values_list("pk", flat=True)
    )
    served = {pk for pk, _, _ in migrants_served(day)} & eligible
    return Coverage(len(eligible), len(served))
