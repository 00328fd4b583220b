"""Small places, people, facilities and users for the facilities tests.

Two towns a few kilometres apart, with villages and natural villages at known
points, so that distances (and so the fitness circle) can be worked out by
hand or by brute force.
"""

import datetime as dt
import itertools
from decimal import Decimal

from equiserve.facilities.models import Facility
from equiserve.geography.models import NaturalVillage, Town, Village
from equiserve.registry.models import Person
from equiserve.testkit import GUZHEN, XIAOLAN

# Two towns of the test kit, placed where `make_town` puts them.
TOWN_A, TOWN_B = XIAOLAN, GUZHEN
_serial = itertools.count(1)


def make_town(code=TOWN_A, lon=113.25, lat=22.65, name="小榄") -> Town:
    square = [
        [lon - 0.03, lat - 0.03],
        [lon + 0.03, lat - 0.03],
        [lon + 0.03, lat + 0.03],
        [lon - 0.03, lat + 0.03],
        [lon - 0.03, lat - 0.03],
    ]
    return Town.objects.create(
        code=code,
        code_12=code + "000",
        name_zh=name + "镇",
        short_name_zh=name,
        pinyin=name,
        name_en=f"Town {code}",
        kind="town",
        center_lon=lon,
        center_lat=lat,
        center_lon_gcj02=lon,
        center_lat_gcj02=lat,
        area_geometry={"type": "Polygon", "coordinates": [square]},
    )


def make_village(town: Town, serial: int, lon, lat, kind="village") -> Village:
    return Village.objects.create(
        code=f"{town.code}{serial:03d}",
        town=town,
        name_zh=f"村{serial}",
        name_en=f"Village {serial}",
        kind=kind,
        lon=lon,
        lat=lat,
    )


def make_natural_village(village: Village, serial: int, lon, lat) -> NaturalVillage:
    return NaturalVillage.objects.create(
        code=f"{village.code}{serial:03d}",
        village=village,
        name_zh=f"自然村{serial}",
        name_en=f"Hamlet {serial}",
        lon=lon,
        lat=lat,
    )


def make_facility(kind, town, *, lon=None, lat=None, **fields) -> Facility:
    number = next(_serial)
    fields.setdefault("name_zh", f"设施{number}")
    for key in ("indoor_area_m2", "site_area_m2"):
        if key in fields and fields[key] is not None:
            fields[key] = Decimal(str(fields[key]))
    return Facility.objects.create(
        code=fields.pop("code", f"T-{number:05d}"),
        kind=kind,
        town=town,
        lon=town.center_lon if lon is None else lon,
        lat=town.center_lat if lat is None else lat,
        **fields,
    )


def make_person(town, village=None, *, hukou="zhongshan", born=dt.date(1980, 1, 1)):
    number = next(_serial)
    return Person.objects.create(
        key=f"P{number:07d}",
        id_number=f"44200019800101{number:04d}",
        name=f"人{number}",
        birth_date=born,
        sex="F",
        hukou=hukou,
        town=town,
        village=village,
    )
