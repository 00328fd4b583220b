"""What every app's tests share: the towns they use, persons, households, officers.

Said once here (issue 11, deliverable 7); each app's `tests/factories.py`
keeps only what is its own (eligible applicants, estates, facilities …).
Django apps' tests only: the plain packages' tests import no app.
"""

import datetime as dt
import itertools

from stdnum.cn import ric

# Three of the 24 towns (geography's reference list): two that see each
# other's data never, and the city centre (石岐街道).
XIAOLAN, GUZHEN, SHIQI = "442000100", "442000105", "442000001"

_serial = itertools.count(1)


def id_number(birth: dt.date = dt.date(1990, 1, 1), seq: int = 1, region="442000"):
    """Return a valid 18-character ID number (442000 is Zhongshan from 1988 on)."""
    first17 = f"{region}{birth:%Y%m%d}{seq % 1000:03d}"
    return first17 + ric.calc_check_digit(first17 + "0")


def make_household(town: str = XIAOLAN, **fields):
    """Create a household in `town` with a unique key."""
    from equiserve.registry.models import Household

    number = next(_serial)
    return Household.objects.create(
        key=fields.pop("key", f"h-test-{number}"), town_id=town, **fields
    )


def make_person(town: str = XIAOLAN, **fields):
    """Create a registered (hukou Zhongshan) person with a valid, unique ID number."""
    from equiserve.registry.models import Person

    number = next(_serial)
    birth = fields.pop("birth_date", dt.date(1990, 1, 1))
    defaults = {
        "key": f"p-test-{number}",
        "id_number": id_number(birth, number),
        "name": f"测试{number}",
        "sex": "M" if number % 2 else "F",
        "hukou": "zhongshan",
    }
    return Person.objects.create(town_id=town, birth_date=birth, **(defaults | fields))


def make_officer(
    username: str,
    role: str,
    *,
    department: str = "",
    town="",
    password: str = "",
):
    """Create an officer with a profile (password "demo-" + name unless given).

    `town` is a town's code or the town itself.
    """
    from django.contrib.auth import get_user_model

    from equiserve.accounts.models import Profile

    user = get_user_model().objects.create_user(
        username, password=password or f"demo-{username}"
    )
    Profile.objects.create(
        user=user,
        role=role,
        department=department,
        town_id=getattr(town, "code", town) or None,
    )
    return user


def record_persons_reads(monkeypatch) -> list:
    """Return the list of towns each fitness-circle read of persons asks for
    (None: the whole city), filled as the circle reads."""
    from equiserve.facilities import circle

    read = []
    original = circle.persons_read

    def persons_read(dates, partitions=None):
        read.append(partitions)
        return original(dates, partitions)

    monkeypatch.setattr(circle, "persons_read", persons_read)
    return read
