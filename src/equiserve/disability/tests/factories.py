"""Register records, institutions and services for the disability app's tests."""

import datetime as dt
from decimal import Decimal

from equiserve.disability.models import (
    DIGIT_OF_CATEGORY,
    DisabilityRecord,
    Institution,
    Service,
)
from equiserve.testkit import make_person


def certificate(person, category: str = "physical", grade: int = 2) -> str:
    return f"{person.id_number}{DIGIT_OF_CATEGORY[category]}{grade}"


def make_record(town: str, category: str = "physical", grade: int = 2, **person_fields):
    person = make_person(town, **person_fields)
    return DisabilityRecord.objects.create(
        person=person,
        certificate_number=certificate(person, category, grade),
        category=category,
        grade=grade,
        issued_on=dt.date(2013, 1, 1),
    )


def make_institution(
    code: str = "rehab", kind: str = "rehabilitation-centre", **fields
):
    defaults = {"name": f"机构{code}", "name_en": f"Institution {code}", "capacity": 10}
    return Institution.objects.create(code=code, kind=kind, **(defaults | fields))


def make_service(record, start: dt.date, kind: str = "rehabilitation", **fields):
    return Service.objects.create(
        record=record,
        kind=kind,
        start_date=start,
        cost=fields.pop("cost", Decimal("100.00")),
        **fields,
    )
