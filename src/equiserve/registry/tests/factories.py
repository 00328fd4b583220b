"""Persons and households for tests, with valid resident ID numbers."""

import datetime as dt
import itertools

from stdnum.cn import ric

from equiserve.registry.models import Household, Person

XIAOLAN, GUZHEN = "442000100", "442000105"
_serial = itertools.count(1)


def id_number(birth: dt.date = dt.date(1990, 1, 1), seq: int = 1, region="442000"):
    """Return a valid 18-character ID number (442000 is Zhongshan from 1988 on)."""
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + ric.calc_check_digit(first17 + "0")


def make_household(town: str = XIAOLAN, **fields) -> Household:
    number = next(_serial)
    return Household.objects.create(
        key=fields.pop("key", f"h-test-{number}"), town_id=town, **fields
    )


def make_person(town: str = XIAOLAN, **fields) -> Person:
    number = next(_serial)
    birth = fields.pop("birth_date", dt.date(1990, 1, 1))
    defaults = {
        "key": f"p-test-{number}",
        "id_number": id_number(birth, number % 1000),
        "name": f"测试{number}",
        "sex": "M" if number % 2 else "F",
        "hukou": "zhongshan",
    }
    return Person.objects.create(town_id=town, birth_date=birth, **(defaults | fields))
