"""Named selections an indicator term may use (`when:` in the indicator files).

Each is a small function of the period returning a Django `Q` over its model:
who is counted (residents on a day, deaths in a period, urban registered
households, households housed by an offer), never who is eligible. Eligibility
is the rules engine's: a term names the engine output (`rule:`) and
`sources.engine` evaluates it over the registry (issue 13), so a published
figure and a case decision cannot differ.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    Exists,
    OuterRef,
    Q,
)


def resident_on(day: dt.date) -> Q:
    """Return persons born, arrived and alive on `day`: the residents counted then."""
    return (
        Q(birth_date__lte=day)
        & (Q(resident_since__isnull=True) | Q(resident_since__lte=day))
        & (Q(death_date__isnull=True) | Q(death_date__gt=day))
    )


def years_before(day: dt.date, years: int) -> dt.date:
    """Return the day `years` before `day` (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


# -- persons -------------------------------------------------------------------


def registered(period) -> Q:
    """A person is registered when their hukou is in Zhongshan."""
    return Q(hukou="zhongshan")


def migrant(period) -> Q:
    """A migrant is registered elsewhere."""
    return Q(hukou="elsewhere")


def died_in_period(period) -> Q:
    """Persons whose date of death falls in the period (3.5)."""
    return Q(death_date__gte=period.start, death_date__lte=period.end)


# -- households ----------------------------------------------------------------


def registered_urban(period) -> Q:
    """A household is registered and urban when a member alive at the period's end (the members the engine counts) has an urban Zhongshan hukou (3.8)."""
    from equiserve.monitoring.sources.engine import alive_on
    from equiserve.registry.models import Person

    return Q(
        Exists(
            Person.objects.filter(
                alive_on(period.end),
                household=OuterRef("pk"),
                hukou="zhongshan",
                hukou_kind="urban",
            )
        )
    )


def housed_subquery(period):
    """Return the accepted offers of a household answered by the period's end (3.8)."""
    from django.utils import timezone

    from equiserve.housing.models import Offer, OfferStatus

    end = timezone.make_aware(
        dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time())
    )
    return Offer.objects.filter(
        application__household=OuterRef("pk"),
        status=OfferStatus.ACCEPTED,
        answered_at__lt=end,
    )


def housed(period) -> Q:
    """A household is housed when it accepted a public rental housing offer by the period's end (3.8)."""
    return Q(Exists(housed_subquery(period)))


PREDICATES = {
    "persons": {
        "registered": registered,
        "migrant": migrant,
        "died_in_period": died_in_period,
    },
    "households": {
        "registered_urban": registered_urban,
        "housed": housed,
    },
}
