"""The demo city's labour register (issue 15, deliverable 8): fast and deterministic.

Every living person of working age (16–59) on 2014-01-01 gets a status history
drawn from a seeded generator: most employed, some not in the labour force, a
few registered unemployed at some time in 2014–2016 (some re-employed since);
employers post vacancies in every town. Bulk writes (a few seconds): demo data,
not casework, so no audit entries.
"""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from equiserve.employment.models import (
    EndReason,
    LabourStatus,
    Referral,
    Registration,
    Status,
    StatusSource,
    Vacancy,
)
from equiserve.employment.occupations import occupations
from equiserve.geography.models import Town
from equiserve.registry.models import Person

START = dt.date(2014, 1, 1)
SINCE = dt.date(2010, 1, 1)
PLAN_DAYS = (dt.date(2016, 12, 31) - START).days
EMPLOYERS = ("明阳电器", "华帝五金", "小榄灯饰", "古镇灯具城", "石岐食品", "火炬电子")


def employment_demo_clear() -> None:
    Referral.objects.all().delete()
    Registration.objects.all().delete()
    Vacancy.objects.all().delete()
    LabourStatus.objects.all().delete()


@transaction.atomic
def employment_demo_load(*, seed: int = 1) -> dict[str, int]:
    """Replace the labour register with a seeded one; return counts."""
    employment_demo_clear()
    rng = random.Random(seed)
    codes = sorted(occupations()["middle_groups"])
    people = Person.objects.filter(
        death_date__isnull=True,
        birth_date__gt=dt.date(1954, 1, 1),
        birth_date__lte=dt.date(1997, 12, 31),
    ).order_by("pk")
    statuses, registrations = [], []
    for person in people.only("pk", "town_id").iterator(chunk_size=5000):
        draw = rng.random()
        if draw < 0.2:
            statuses.append(
                LabourStatus(
                    person=person,
                    status=Status.INACTIVE,
                    since=SINCE,
                    source=StatusSource.SURVEY,
                )
            )
            continue
        if draw < 0.25:
            registered = START + dt.timedelta(days=rng.randrange(PLAN_DAYS))
            ended = None
            if rng.random() < 0.5:
                ended = registered + dt.timedelta(days=rng.randrange(30, 400))
            statuses += _unemployment_spell(person, registered, ended)
            registrations.append(
                Registration(
                    person=person,
                    town_id=person.town_id,
                    registered_on=registered,
                    occupation=rng.choice(codes),
                    wage_min=Decimal(rng.randrange(1500, 4000, 100)),
                    ended_on=ended,
                    end_reason=EndReason.REEMPLOYED if ended else "",
                )
            )
            continue
        statuses.append(
            LabourStatus(
                person=person,
                status=Status.EMPLOYED,
                since=SINCE,
                source=StatusSource.SOCIAL_INSURANCE,
            )
        )
    LabourStatus.objects.bulk_create(statuses, batch_size=2000)
    Registration.objects.bulk_create(registrations, batch_size=2000)
    vacancies = [
        Vacancy(
            employer=rng.choice(EMPLOYERS),
            title=f"{occupations()['middle_groups'][code]['zh']}",
            occupation=code,
            town=town,
            wage=Decimal(rng.randrange(1800, 6000, 100)),
            hours_per_week=rng.choice((40, 44, 48)),
            positions=rng.randint(1, 5),
            posted_on=START + dt.timedelta(days=rng.randrange(PLAN_DAYS)),
        )
        for town in Town.objects.order_by("code")
        for code in rng.sample(codes, 4)
    ]
    Vacancy.objects.bulk_create(vacancies)
    return {
        "statuses": len(statuses),
        "registrations": len(registrations),
        "vacancies": len(vacancies),
    }


def _unemployment_spell(person, registered, ended) -> list[LabourStatus]:
    """Employed until the day before registering, unemployed, employed again if ended."""
    spell = [
        LabourStatus(
            person=person,
            status=Status.EMPLOYED,
            since=SINCE,
            until=registered - dt.timedelta(days=1),
            source=StatusSource.SOCIAL_INSURANCE,
        ),
        LabourStatus(
            person=person,
            status=Status.UNEMPLOYED,
            since=registered,
            until=ended - dt.timedelta(days=1) if ended else None,
            source=StatusSource.WINDOW,
        ),
    ]
    if ended:
        spell.append(
            LabourStatus(
                person=person,
                status=Status.EMPLOYED,
                since=ended,
                source=StatusSource.REFERRAL,
            )
        )
    return spell
