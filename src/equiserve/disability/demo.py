"""Disability services for the demo city (issue 17): fast and deterministic.

About one registered person in 40 of the synthetic population gets a
certificate (category and grade by position, not by chance); the institutions,
their capacities, the services and their costs are illustrative.
"""

import datetime as dt
from decimal import Decimal

from django.db import transaction

from equiserve.disability.models import (
    DIGIT_OF_CATEGORY,
    Category,
    DisabilityRecord,
    Institution,
    InstitutionKind,
    Service,
    WaitingEntry,
)
from equiserve.registry.models import Person

EVERY = 40
# Physical disabilities are the most common; the cycle keeps that shape.
CATEGORY_CYCLE = [
    Category.PHYSICAL,
    Category.PHYSICAL,
    Category.PHYSICAL,
    Category.VISION,
    Category.HEARING,
    Category.INTELLECTUAL,
    Category.MENTAL,
    Category.PHYSICAL,
    Category.SPEECH,
    Category.MULTIPLE,
    Category.MENTAL,
    Category.HEARING,
]
# fmt: off
CITY_INSTITUTIONS = [
    ("rehab-centre", InstitutionKind.REHABILITATION_CENTRE, "中山市残疾人康复中心", "Zhongshan rehabilitation centre", 120),
    ("childrens-school", InstitutionKind.CHILDREN_SCHOOL, "中山市重度残疾儿童学校", "School for children with severe disabilities", 60),
    ("care-home", InstitutionKind.CARE, "中山市残疾人托养中心", "Zhongshan residential care centre", 40),
    ("poverty-base", InstitutionKind.POVERTY_BASE, "中山市残疾人扶贫培训基地", "Poverty-alleviation training base", 50),
    ("training-base", InstitutionKind.TRAINING_BASE, "中山市残疾人职业培训基地", "City vocational training base", 80),
    ("service-centre", InstitutionKind.SERVICE_CENTRE, "中山市残疾人综合服务中心", "Comprehensive service centre", 0),
]
# fmt: on
# Towns with no Kangyuan station yet: their network is not complete.
TOWNS_WITHOUT_STATION = 4


def disability_demo_clear() -> None:
    """Remove the register (it protects the persons a population reload replaces)."""
    Service.objects.all().delete()
    WaitingEntry.objects.all().delete()
    DisabilityRecord.objects.all().delete()
    Institution.objects.filter(illustrative=True).delete()


@transaction.atomic
def disability_demo_load() -> dict[str, int]:
    """Load the demo register, institutions, services and waiting lists."""
    from equiserve.geography.models import Town

    disability_demo_clear()
    city = {
        code: Institution.objects.create(
            code=code,
            kind=kind,
            name=zh,
            name_en=en,
            capacity=cap,
            opened_on=dt.date(2012, 1, 1),
            illustrative=True,
        )
        for code, kind, zh, en, cap in CITY_INSTITUTIONS
    }
    towns = list(
        Town.objects.order_by("code").values_list("code", "short_name_zh", "name_en")
    )
    stations = {
        code: Institution.objects.create(
            code=f"kangyuan-{code}",
            kind=InstitutionKind.KANGYUAN,
            name=f"{zh}康园工疗站",
            name_en=f"{en} Kangyuan station",
            town_id=code,
            capacity=30,
            opened_on=dt.date(2013, 1, 1),
            illustrative=True,
        )
        for code, zh, en in towns[: len(towns) - TOWNS_WITHOUT_STATION]
    }
    persons = Person.objects.order_by("key").values_list("pk", "id_number", "town_id")
    records = []
    for n, (pk, id_number, _town) in enumerate(persons.iterator()):
        if n % EVERY:
            continue
        i = n // EVERY
        category = CATEGORY_CYCLE[i % len(CATEGORY_CYCLE)]
        grade = 1 + (i * 7 // 3) % 4
        records.append(
            DisabilityRecord(
                person_id=pk,
                certificate_number=f"{id_number}{DIGIT_OF_CATEGORY[category]}{grade}",
                category=category,
                grade=grade,
                issued_on=dt.date(2010 + i % 6, 1 + i % 12, 1 + i % 28),
            )
        )
    records = DisabilityRecord.objects.bulk_create(records)
    towns_of = dict(
        Person.objects.filter(pk__in=[r.person_id for r in records]).values_list(
            "pk", "town_id"
        )
    )
    services, waiting = [], []
    for i, r in enumerate(records):
        start = dt.date(2014 + i % 3, 1 + i % 12, 1 + i % 28)

        def service(kind, institution, days, cost, attendance=0, r=r, start=start):
            end = None if days is None else start + dt.timedelta(days=days)
            return Service(
                record=r,
                kind=kind,
                institution=institution,
                start_date=start,
                end_date=end,
                cost=Decimal(cost),
                attendance_days=attendance,
            )

        station = stations.get(towns_of[r.person_id])
        if i % 3 == 0:
            cost = f"{1200 + 35 * (i % 9)}.50"
            services.append(service("rehabilitation", city["rehab-centre"], 90, cost))
        if r.category in ("intellectual", "mental") and i % 2 == 0 and station:
            days = None if i % 4 == 0 else 365
            services.append(service("kangyuan", station, days, "3600.00", 180 + i % 60))
        if r.grade == 1 and i % 8 == 1:
            services.append(service("care", city["care-home"], None, "18000.00"))
        elif r.grade == 1 and i % 4 == 1:
            waiting.append(
                WaitingEntry(record=r, institution=city["care-home"], since=start)
            )
        if r.grade in (3, 4) and i % 5 == 0:
            services.append(service("training", city["training-base"], 60, "2500.00"))
        if i % 11 == 0:
            services.append(
                service("poverty-training", city["poverty-base"], 30, "1500.00")
            )
    Service.objects.bulk_create(services)
    WaitingEntry.objects.bulk_create(waiting)
    return {"records": len(records), "services": len(services), "waiting": len(waiting)}
