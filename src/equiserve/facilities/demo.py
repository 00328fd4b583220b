"""Generate the demo city's facilities: plausible, with the gaps a department would see.

Everything here is made up (each facility says `synthetic`) but shaped so that
the tables and maps have something to show: about a third of the towns fall
short of 1,200 m² of indoor culture area per 10,000 residents, some town
centres and plazas are too small, one village in ten has no sports ground at
all (its people are outside the 15-minute circle), one guidance station in
five has a single instructor, one town's senior high school is still run by
the town and another changed late, the city's school for children with
severe disabilities opens only in September 2016. Many natural-village courts
are built during 2014–2016, so the circle grows over the plan's years.
"""

import datetime as dt
import math
from decimal import Decimal

import numpy as np

from equiserve.facilities.models import (
    Authority,
    DisabilityComponent,
    Facility,
    Kind,
)
from equiserve.facilities.standards import standards_at
from equiserve.geography.models import NaturalVillage, Town, Village

M_PER_DEG_LAT = 111_195.0
SIZING_DATE = dt.date(2016, 12, 31)  # the synthetic population describes 2015-16
COURT_M2 = 420  # a standard basketball court, 28 m × 15 m
TABLE_M2 = 40  # an outdoor table with its run-off


def _town_population() -> dict[str, int]:
    """Return each town's resident estimate, from the registry or the 2000 census."""
    from equiserve.facilities.population import RESIDENT, population_on
    from equiserve.geography.reference import towns_frame

    standards = standards_at(SIZING_DATE)
    population = population_on(SIZING_DATE, RESIDENT, standards)
    if population.factor is not None:
        return {
            code: population.town(code) or 0
            for code in Town.objects.values_list("code", flat=True)
        }
    census = dict(towns_frame().select("code_9", "pop_2000_census").iter_rows())
    total = sum(census.values())
    city = int(standards["population.city_resident"])
    return {code: round(city * people / total) for code, people in census.items()}


class _Maker:
    def __init__(self, seed: int):
        self.seed = seed
        self.facilities: list[Facility] = []
        self.serial = 0

    def rng(self, *key) -> np.random.Generator:
        return np.random.default_rng([self.seed, 5, *key])

    def near(self, rng, lon, lat, metres):
        angle = rng.uniform(0, 2 * math.pi)
        distance = metres * math.sqrt(rng.uniform(0, 1))
        dlat = distance * math.sin(angle) / M_PER_DEG_LAT
        dlon = (
            distance * math.cos(angle) / (M_PER_DEG_LAT * math.cos(math.radians(lat)))
        )
        return round(lon + dlon, 6), round(lat + dlat, 6)

    def opened(self, rng, start=1995, end=2013) -> dt.date:
        return dt.date(int(rng.integers(start, end + 1)), int(rng.integers(1, 13)), 1)

    def add(self, kind, town, name_zh, name_en, lon, lat, **fields) -> Facility:
        self.serial += 1
        facility = Facility(
            code=f"DEMO-{self.serial:05d}",
            kind=kind,
            name_zh=name_zh,
            name_en=name_en,
            town_id=town,
            lon=lon,
            lat=lat,
            synthetic=True,
            **fields,
        )
        self.facilities.append(facility)
        return facility


def _m2(value: float) -> Decimal:
    return Decimal(str(round(value, 1)))


def _town_level(make: _Maker, town: Town, short: bool, population: int, room_area):
    rng = make.rng(int(town.code))
    name, en = town.short_name_zh, town.name_en

    def point(metres=600):
        return make.near(rng, town.center_lon, town.center_lat, metres)

    small_centre = rng.random() < 0.2
    centre = rng.uniform(1400, 1950) if small_centre else rng.uniform(2000, 4200)
    activities = (
        int(rng.integers(4, 11)) if rng.random() < 0.2 else int(rng.integers(12, 60))
    )
    make.add(
        Kind.CULTURE_CENTRE,
        town.code,
        f"{name}综合文化活动中心",
        f"{en} Culture Centre",
        *point(),
        opening_date=make.opened(rng),
        indoor_area_m2=_m2(centre),
        free_opening=rng.random() > 0.08,
        free_activities_per_year=activities,
        equipment_renewed_on=make.opened(rng, 2009, 2016),
    )
    library = rng.uniform(800, 2600)
    make.add(
        Kind.LIBRARY,
        town.code,
        f"{name}图书馆",
        f"{en} Library",
        *point(),
        opening_date=make.opened(rng),
        indoor_area_m2=_m2(library),
        computerized=rng.random() > 0.05,
        union_catalogue=rng.random() > 0.25,
        unified_service=rng.random() > 0.3,
        unified_distribution=rng.random() > 0.4,
        borrow_anywhere=rng.random() > 0.3,
        self_service_24h=rng.random() > 0.6,
    )
    plaza = rng.uniform(3500, 5900) if rng.random() < 0.25 else rng.uniform(6000, 16000)
    make.add(
        Kind.TOWN_PLAZA,
        town.code,
        f"{name}文化广场",
        f"{en} Culture Plaza",
        *point(),
        opening_date=make.opened(rng),
        site_area_m2=_m2(plaza),
        stage=rng.random() > 0.1,
        dressing_room=rng.random() > 0.35,
        lighting=rng.random() > 0.15,
        sound=rng.random() > 0.2,
        equipment_renewed_on=make.opened(rng, 2009, 2016),
    )
    # Other venues (museums, theatres, youth palaces) make up the town's total.
    ratio = rng.uniform(850, 1180) if short else rng.uniform(1230, 1900)
    rest = ratio * population / 10_000 - centre - library - room_area
    venues = int(rng.integers(1, 4))
    for number in range(venues):
        make.add(
            Kind.CULTURE_VENUE,
            town.code,
            f"{name}文化场馆{number + 1}",
            f"{en} Culture Venue {number + 1}",
            *point(1500),
            opening_date=make.opened(rng, 1990, 2012)
            if number
            else dt.date(2000, 1, 1),
            indoor_area_m2=_m2(max(rest, 0) / venues),
        )


def _villages(make: _Maker, villages, natural_by_village) -> dict[str, float]:
    """Add culture rooms, plazas, fitness grounds and stations; return room m² by town."""
    rooms: dict[str, float] = {}
    for village in villages:
        rng = make.rng(int(village.code))
        remote = village.kind == "village" and rng.random() < 0.1
        if rng.random() < 0.92:
            area = (
                rng.uniform(150, 199) if rng.random() < 0.2 else rng.uniform(200, 420)
            )
            rooms[village.town_id] = rooms.get(village.town_id, 0.0) + round(area, 1)
            make.add(
                Kind.CULTURE_ROOM,
                village.town_id,
                f"{village.name_zh}文化室",
                f"{village.name_en} Culture Room",
                *make.near(rng, village.lon, village.lat, 80),
                village_id=village.code,
                opening_date=make.opened(rng, 2000, 2013),
                indoor_area_m2=_m2(area),
                e_reading_room=rng.random() < 0.85,
                equipment_renewed_on=make.opened(rng, 2009, 2016),
            )
        if rng.random() < 0.85:
            make.add(
                Kind.VILLAGE_PLAZA,
                village.town_id,
                f"{village.name_zh}文化广场",
                f"{village.name_en} Culture Plaza",
                *make.near(rng, village.lon, village.lat, 120),
                village_id=village.code,
                opening_date=make.opened(rng, 2000, 2013),
                site_area_m2=_m2(rng.uniform(350, 1500)),
                equipment_renewed_on=make.opened(rng, 2009, 2016),
            )
        if remote:
            continue
        ground_odds = 0.85 if village.kind == "community" else 0.55
        if rng.random() < ground_odds:
            lon, lat = make.near(rng, village.lon, village.lat, 200)
            make.add(
                Kind.FITNESS_GROUND,
                village.town_id,
                f"{village.name_zh}健身苑",
                f"{village.name_en} Fitness Garden",
                lon,
                lat,
                village_id=village.code,
                opening_date=make.opened(rng, 2003, 2015),
                site_area_m2=_m2(rng.uniform(300, 1500)),
            )
            if rng.random() < 0.6:
                instructors = 1 if rng.random() < 0.2 else int(rng.integers(2, 7))
                make.add(
                    Kind.GUIDANCE_STATION,
                    village.town_id,
                    f"{village.name_zh}全民健身指导站",
                    f"{village.name_en} Fitness Guidance Station",
                    lon,
                    lat,
                    village_id=village.code,
                    opening_date=make.opened(rng, 2010, 2016),
                    instructors=instructors,
                    **{
                        item: bool(rng.random() < 0.9)
                        for item in (
                            "sign",
                            "rules",
                            "equipment",
                            "uniforms",
                            "fixed_place",
                            "fixed_time",
                            "fixed_activity",
                            "fixed_staff",
                        )
                    },
                )
        for natural in natural_by_village.get(village.code, ()):
            _natural_village(make, village, natural)
    return rooms


def _natural_village(make: _Maker, village, natural) -> None:
    rng = make.rng(int(natural.code[:12]), int(natural.code[12:]))
    if rng.random() >= 0.75:
        return
    courts = 1 if rng.random() < 0.9 else 0
    tables = int(rng.choice([0, 1, 2, 2, 2, 2, 3]))
    # Half were there before the plan; the rest are built under it, 2014-2016.
    opened = (
        make.opened(rng, 2005, 2013)
        if rng.random() < 0.5
        else make.opened(rng, 2014, 2016)
    )
    make.add(
        Kind.SPORTS_GROUND,
        village.town_id,
        f"{natural.name_zh}篮球场",
        f"{natural.name_en} Sports Ground",
        *make.near(rng, natural.lon, natural.lat, 60),
        village_id=village.code,
        natural_village_id=natural.code,
        opening_date=opened,
        basketball_courts=courts,
        table_tennis_tables=tables,
        site_area_m2=_m2(courts * COURT_M2 + tables * TABLE_M2 + rng.uniform(0, 150)),
    )


def _schools(make: _Maker, towns: list[Town]) -> None:
    rng = make.rng(313)
    with_high = [town for town in towns if rng.random() < 0.7]
    for number, town in enumerate(with_high):
        if number == 0:
            managed = {"managed_by": Authority.TOWN}  # still run by the town
        elif number == 1:
            managed = {
                "managed_by": Authority.CITY,
                "managed_by_since": dt.date(2014, 9, 1),
            }
        else:
            managed = {
                "managed_by": Authority.CITY,
                "managed_by_since": dt.date(2014, 2, 10),
            }
        make.add(
            Kind.SENIOR_HIGH,
            town.code,
            f"中山市{town.short_name_zh}中学",
            f"{town.name_en} Senior High School",
            *make.near(rng, town.center_lon, town.center_lat, 1500),
            opening_date=make.opened(rng, 1980, 2005),
            **managed,
        )
    for town in towns:
        if rng.random() < 0.4:
            make.add(
                Kind.VOCATIONAL_SCHOOL,
                town.code,
                f"{town.short_name_zh}职业技术学校",
                f"{town.name_en} Vocational School",
                *make.near(rng, town.center_lon, town.center_lat, 1500),
                opening_date=make.opened(rng, 1985, 2008),
                managed_by=Authority.TOWN,
            )


def _disability(make: _Maker, towns: list[Town]) -> None:
    rng = make.rng(39)
    city = next(town for town in towns if town.code == "442000001")
    components = [
        (
            DisabilityComponent.REHABILITATION_CENTRE,
            "中山市残疾人康复中心",
            "Zhongshan Rehabilitation Centre",
            dt.date(2008, 5, 1),
        ),
        (
            DisabilityComponent.SEVERE_DISABILITY_SCHOOL,
            "中山市残疾儿童教养学校",
            "Zhongshan School for Children with Severe Disabilities",
            dt.date(2016, 9, 1),
        ),
        (
            DisabilityComponent.CARE_INSTITUTION,
            "中山市残疾人托养中心",
            "Zhongshan Disability Care Centre",
            dt.date(2015, 6, 1),
        ),
        (
            DisabilityComponent.POVERTY_TRAINING_BASE,
            "中山市残疾人扶贫培训基地",
            "Zhongshan Disability Poverty-Alleviation Training Base",
            dt.date(2012, 3, 1),
        ),
        (
            DisabilityComponent.VOCATIONAL_TRAINING,
            "中山市残疾人职业培训基地",
            "Zhongshan Disability Vocational Training Base",
            dt.date(2010, 9, 1),
        ),
        (
            DisabilityComponent.COMPREHENSIVE_CENTRE,
            "中山市残疾人综合服务中心",
            "Zhongshan Disability Comprehensive Service Centre",
            dt.date(2017, 6, 1),
        ),
    ]
    for component, name_zh, name_en, opened in components:
        make.add(
            Kind.DISABILITY_SERVICE,
            city.code,
            name_zh,
            name_en,
            *make.near(rng, city.center_lon, city.center_lat, 2000),
            opening_date=opened,
            disability_component=component,
        )
    missing = set(rng.choice([t.code for t in towns], size=3, replace=False).tolist())
    for town in towns:
        if town.code in missing:
            continue
        make.add(
            Kind.DISABILITY_SERVICE,
            town.code,
            f"{town.short_name_zh}康园工疗站",
            f"{town.name_en} Kangyuan Work-Therapy Station",
            *make.near(rng, town.center_lon, town.center_lat, 800),
            opening_date=make.opened(rng, 2006, 2015),
            disability_component=DisabilityComponent.KANGYUAN_STATION,
        )


def demo_facilities(*, seed: int = 1) -> list[Facility]:
    """Return the demo city's facilities, unsaved, deterministic for a seed."""
    make = _Maker(seed)
    towns = list(Town.objects.order_by("code"))
    if not towns:
        raise LookupError("load the geography first (equiserve geo load)")
    villages = list(Village.objects.order_by("code"))
    natural_by_village: dict[str, list] = {}
    for natural in NaturalVillage.objects.order_by("code"):
        natural_by_village.setdefault(natural.village_id, []).append(natural)
    population = _town_population()
    rooms = _villages(make, villages, natural_by_village)
    order = make.rng(222).permutation(len(towns))
    short = {towns[index].code for index in order[: len(towns) // 3]}
    for town in towns:
        _town_level(
            make,
            town,
            town.code in short,
            population.get(town.code, 0),
            rooms.get(town.code, 0.0),
        )
    _schools(make, towns)
    _disability(make, towns)
    return make.facilities
