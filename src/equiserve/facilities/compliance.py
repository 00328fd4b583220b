"""Check facilities against the standards: per facility, village, natural village, town.

Pure functions over plain rows (dicts from `Facility.objects.values()`), so the
same answer reaches the pages, the command line and the spreadsheet. Areas are
Decimals and compared exactly: 1,199.9 m² per 10,000 people falls short of
1,200 by 0.1 m² × population / 10,000.
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from equiserve.facilities.findings import (
    MET,
    NOT_DUE,
    SEVERITY,
    SHORT,
    TEN_THOUSAND,
    UNKNOWN,
    Finding,
    Place,
    area_of,
    checklist,
    make_finding,
    minimum,
    number_json,
    open_on,
)
from equiserve.facilities.models import (
    CULTURE_INDOOR_KINDS,
    Authority,
    DisabilityComponent,
    Kind,
)
from equiserve.facilities.standards import STANDARDS, Standards

__all__ = ["Finding", "Place", "check", "culture_area_per_10000", "summarize"]


def culture_area_per_10000(
    *, town: Place, indoor_area: Decimal, population: int | None, per_10000: Decimal
) -> Finding:
    """Check ≥ `per_10000` m² of indoor culture area per 10,000 people (3.2.2).

    Compared as area × 10,000 ≥ standard × population, exactly; `actual` is
    the area per 10,000 people, the shortfall is in m² for the whole town.
    """
    where = {"town": town.code, "subject": town.code, "name": town.name}
    if not population:
        return make_finding(
            "culture.indoor_area_per_10000",
            status=UNKNOWN,
            required=per_10000,
            actual=None,
            missing=("population",),
            **where,
        )
    required_area = per_10000 * population / TEN_THOUSAND
    short = indoor_area * TEN_THOUSAND < per_10000 * population
    return make_finding(
        "culture.indoor_area_per_10000",
        status=SHORT if short else MET,
        required=per_10000,
        actual=(indoor_area * TEN_THOUSAND / population).quantize(Decimal("0.01")),
        shortfall=(required_area - indoor_area).quantize(Decimal("0.01"))
        if short
        else 0,
        **where,
    )


def school_authority_on(row: dict, date: dt.date) -> str:
    """Return who ran a school on `date`: the recorded authority from its date on.

    Before `managed_by_since` the school was under the other authority (the
    only change the plan makes is from town to city).
    """
    since = row["managed_by_since"]
    if since is None or since <= date:
        return row["managed_by"]
    return Authority.TOWN if row["managed_by"] == Authority.CITY else Authority.CITY


def _facility_place(row: dict) -> dict:
    return {"town": row["town_id"], "subject": row["code"], "name": row["name_zh"]}


def _town_facility_standards(rows, towns, standards, findings):
    """Town centre, library and plaza: one finding per facility, or a missing one."""
    by_town = defaultdict(lambda: defaultdict(list))
    for row in rows:
        by_town[row["town_id"]][row["kind"]].append(row)
    centre_area = standards.number("culture.town_centre_min_floor_area")
    activities = int(standards["culture.town_centre_min_free_activities"])
    plaza_area = standards.number("culture.town_plaza_min_area")
    library_items = tuple(standards["culture.town_library_checklist"])
    plaza_items = tuple(standards["culture.town_plaza_checklist"])
    for town in towns:
        kinds = by_town[town.code]
        absent = {"town": town.code, "subject": town.code, "name": town.name}
        centres = kinds[Kind.CULTURE_CENTRE]
        for row in centres:
            where = _facility_place(row)
            findings.append(
                minimum(
                    "culture.town_centre_area",
                    actual=area_of(row["indoor_area_m2"]),
                    required=centre_area,
                    **where,
                )
            )
            missing = ["free_opening"] if not row["free_opening"] else []
            held = row["free_activities_per_year"] or 0
            if held < activities:
                missing.append("free_activities")
            findings.append(
                make_finding(
                    "culture.town_centre_free",
                    status=SHORT if missing else MET,
                    required=activities,
                    actual=held,
                    shortfall=max(0, activities - held),
                    missing=tuple(missing),
                    **where,
                )
            )
        if not centres:
            for standard_id, required in (
                ("culture.town_centre_area", centre_area),
                ("culture.town_centre_free", activities),
            ):
                findings.append(
                    make_finding(
                        standard_id,
                        level="town",
                        status=SHORT,
                        required=required,
                        actual=0,
                        shortfall=required,
                        missing=("culture_centre",),
                        **absent,
                    )
                )
        for row in kinds[Kind.LIBRARY]:
            findings.append(
                checklist(
                    "culture.town_library", row, library_items, **_facility_place(row)
                )
            )
        if not kinds[Kind.LIBRARY]:
            findings.append(
                make_finding(
                    "culture.town_library",
                    level="town",
                    status=SHORT,
                    required=len(library_items),
                    actual=0,
                    shortfall=len(library_items),
                    missing=("library", *library_items),
                    **absent,
                )
            )
        for row in kinds[Kind.TOWN_PLAZA]:
            where = _facility_place(row)
            findings.append(
                minimum(
                    "culture.town_plaza_area",
                    actual=area_of(row["site_area_m2"]),
                    required=plaza_area,
                    **where,
                )
            )
            findings.append(
                checklist("culture.town_plaza_equipment", row, plaza_items, **where)
            )
        if not kinds[Kind.TOWN_PLAZA]:
            findings.append(
                make_finding(
                    "culture.town_plaza_area",
                    level="town",
                    status=SHORT,
                    required=plaza_area,
                    actual=0,
                    shortfall=plaza_area,
                    missing=("town_plaza",),
                    **absent,
                )
            )
            findings.append(
                make_finding(
                    "culture.town_plaza_equipment",
                    level="town",
                    status=SHORT,
                    required=len(plaza_items),
                    actual=0,
                    shortfall=len(plaza_items),
                    missing=("town_plaza", *plaza_items),
                    **absent,
                )
            )


def _village_standards(rows, villages, standards, date, findings):
    room_area = standards.number("culture.village_room_min_floor_area")
    plaza_area = standards.number("culture.village_plaza_min_area")
    plaza_kinds = set(standards["culture.village_plaza_kinds"])
    e_reading_due = bool(standards.get("culture.e_reading_room_required", False))
    rooms = defaultdict(Decimal)
    plazas = defaultdict(Decimal)
    reading = defaultdict(bool)
    for row in rows:
        village = row["village_id"]
        if village is None:
            continue
        if row["kind"] == Kind.CULTURE_ROOM:
            rooms[village] += area_of(row["indoor_area_m2"])
            reading[village] |= bool(row["e_reading_room"])
        if row["kind"] in plaza_kinds:
            plazas[village] += area_of(row["site_area_m2"])
    for village in villages:
        where = {"town": village.town, "subject": village.code, "name": village.name}
        findings.append(
            minimum(
                "culture.village_room_area",
                actual=rooms[village.code],
                required=room_area,
                **where,
            )
        )
        findings.append(
            minimum(
                "culture.village_plaza_area",
                actual=plazas[village.code],
                required=plaza_area,
                **where,
            )
        )
        has_room = reading[village.code]
        status = MET if has_room else (SHORT if e_reading_due else NOT_DUE)
        findings.append(
            make_finding(
                "culture.e_reading_room",
                status=status,
                required=1,
                actual=int(has_room),
                shortfall=0 if has_room else 1,
                missing=() if has_room else ("e_reading_room",),
                **where,
            )
        )


def _equipment_standard(rows, standards, date, findings):
    years = int(standards["culture.equipment_renewal_max_years"])
    kinds = {
        Kind.CULTURE_CENTRE,
        Kind.CULTURE_ROOM,
        Kind.TOWN_PLAZA,
        Kind.VILLAGE_PLAZA,
    }
    for row in rows:
        if row["kind"] not in kinds:
            continue
        # Equipment never renewed (or renewed only after `date`: the record
        # keeps the last renewal, not the history) is as old as the facility.
        renewed = row["equipment_renewed_on"]
        since = renewed if renewed and renewed <= date else row["opening_date"]
        where = _facility_place(row)
        if since is None:
            findings.append(
                make_finding(
                    "culture.equipment_renewal",
                    status=UNKNOWN,
                    required=years,
                    missing=("equipment_renewed_on",),
                    **where,
                )
            )
            continue
        age = (
            date.year - since.year - ((date.month, date.day) < (since.month, since.day))
        )
        overdue = age > years
        findings.append(
            make_finding(
                "culture.equipment_renewal",
                status=SHORT if overdue else MET,
                required=years,
                actual=age,
                shortfall=age - years if overdue else 0,
                missing=("renewal",) if overdue else (),
                **where,
            )
        )


def _natural_village_standards(rows, natural_villages, standards, findings):
    """Apply the plan's natural-village standards (3.6.1): each counts a column.

    A standard ``{kind: at_least, count: <column>, of: <parameter>}`` sums the
    column over the natural village's open facilities and compares it with the
    parameter on the date.
    """
    applied = [s for s in STANDARDS if s.level == "natural_village"]
    needed = {s.id: int(standards[s.required_by]) for s in applied}
    counted = {s.id: defaultdict(int) for s in applied}
    for row in rows:
        if row["natural_village_id"] is None:
            continue
        for standard in applied:
            counted[standard.id][row["natural_village_id"]] += (
                row[standard.rule["count"]] or 0
            )
    for place in natural_villages:
        where = {"town": place.town, "subject": place.code, "name": place.name}
        for standard in applied:
            findings.append(
                minimum(
                    standard.id,
                    actual=counted[standard.id][place.code],
                    required=needed[standard.id],
                    **where,
                )
            )


def _station_standards(rows, standards, findings):
    needed = int(standards["sports.station_min_instructors"])
    items = tuple(standards["sports.station_checklist"])
    compliant = {}
    for row in rows:
        if row["kind"] != Kind.GUIDANCE_STATION:
            continue
        where = _facility_place(row)
        instructors = minimum(
            "sports.station_instructors",
            actual=row["instructors"] or 0,
            required=needed,
            **where,
        )
        listed = checklist("sports.station_checklist", row, items, **where)
        findings += [instructors, listed]
        compliant[row["code"]] = instructors.status == listed.status == MET
    _plaza_station_standard(rows, compliant, findings)


def _plaza_station_standard(rows, compliant: dict[str, bool], findings):
    """Every fitness plaza needs a station meeting the standard (3.6.2 “依托……全民健身广场”).

    Stations are paired with the plazas of their village (or of their town, for
    town-level plazas), the compliant first, so a plaza without a station fails
    however good the other stations are (issue 12, point 10).
    """
    plazas, stations = defaultdict(list), defaultdict(list)
    for row in rows:
        key = (row["town_id"], row["village_id"])
        if row["kind"] == Kind.FITNESS_GROUND:
            plazas[key].append(row)
        elif row["kind"] == Kind.GUIDANCE_STATION:
            stations[key].append(row["code"])
    for key, group in plazas.items():
        ranked = sorted(stations[key], key=lambda code: (not compliant[code], code))
        for index, plaza in enumerate(sorted(group, key=lambda row: row["code"])):
            station = ranked[index] if index < len(ranked) else None
            met = station is not None and compliant[station]
            missing = (
                ()
                if met
                else ("station_standard",)
                if station
                else ("guidance_station",)
            )
            findings.append(
                make_finding(
                    "sports.plaza_station",
                    status=MET if met else SHORT,
                    required=1,
                    actual=int(met),
                    shortfall=0 if met else 1,
                    missing=missing,
                    **_facility_place(plaza),
                )
            )


def _school_standards(rows, standards, date, findings):
    required = bool(standards.get("schools.senior_high_city_managed", False))
    for row in rows:
        # Town vocational schools keep their management (3.1.3): not checked.
        if row["kind"] != Kind.SENIOR_HIGH:
            continue
        authority = school_authority_on(row, date)
        city = authority == Authority.CITY
        status = MET if city else (SHORT if required else NOT_DUE)
        findings.append(
            make_finding(
                "schools.senior_high_city_managed",
                status=status,
                required=1,
                actual=int(city),
                shortfall=0 if city else 1,
                missing=() if city else ("city_management",),
                **_facility_place(row),
            )
        )


def _disability_standards(rows, towns, standards, findings, *, whole_city: bool):
    per_town = int(standards["disability.kangyuan_station_per_town"])
    stations = defaultdict(int)
    present = set()
    for row in rows:
        if row["kind"] != Kind.DISABILITY_SERVICE:
            continue
        present.add(row["disability_component"])
        if row["disability_component"] == DisabilityComponent.KANGYUAN_STATION:
            stations[row["town_id"]] += 1
    network_complete = True
    for town in towns:
        finding = minimum(
            "disability.kangyuan_station",
            actual=stations[town.code],
            required=per_town,
            town=town.code,
            subject=town.code,
            name=town.name,
        )
        network_complete &= finding.status == MET
        findings.append(finding)
    if not whole_city:
        return
    if network_complete:
        present.add("kangyuan_network")
    items = tuple(standards["disability.five_ones"])
    missing = tuple(item for item in items if item not in present)
    findings.append(
        make_finding(
            "disability.five_ones",
            status=SHORT if missing else MET,
            town="",
            subject="city",
            name="",
            required=len(items),
            actual=len(items) - len(missing),
            shortfall=len(missing),
            missing=missing,
        )
    )


def check(
    *,
    date: dt.date,
    standards: Standards,
    facilities: list[dict],
    towns: list[Place],
    villages: list[Place],
    natural_villages: list[Place],
    town_population: dict[str, int | None],
    whole_city: bool = True,
) -> list[Finding]:
    """Return every finding on `date` for the places and facilities given.

    Facilities count from their opening date. `whole_city` adds the city-level
    findings (the "five ones"), which only make sense over all towns.
    """
    rows = open_on(facilities, date)
    findings: list[Finding] = []
    indoor = defaultdict(Decimal)
    for row in rows:
        if row["kind"] in CULTURE_INDOOR_KINDS:
            indoor[row["town_id"]] += area_of(row["indoor_area_m2"])
    per_10000 = standards.number("culture.indoor_area_per_10000")
    for town in towns:
        findings.append(
            culture_area_per_10000(
                town=town,
                indoor_area=indoor[town.code],
                population=town_population.get(town.code),
                per_10000=per_10000,
            )
        )
    _town_facility_standards(rows, towns, standards, findings)
    _village_standards(rows, villages, standards, date, findings)
    _equipment_standard(rows, standards, date, findings)
    _natural_village_standards(rows, natural_villages, standards, findings)
    _station_standards(rows, standards, findings)
    _school_standards(rows, standards, date, findings)
    _disability_standards(rows, towns, standards, findings, whole_city=whole_city)
    return findings


def summarize(findings: list[Finding]) -> list[dict]:
    """Return per (town, standard): subjects met, short, other, total shortfall, worst."""
    groups: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in findings:
        groups[(finding.town, finding.standard)].append(finding)
    rows = []
    for (town, standard), items in sorted(groups.items()):
        shortfall = sum(
            (Decimal(f.shortfall) for f in items if f.status == SHORT and f.shortfall),
            Decimal(0),
        )
        rows.append(
            {
                "town": town,
                "standard": standard,
                "clause": items[0].clause,
                "subjects": len(items),
                "met": sum(f.status == MET for f in items),
                "short": sum(f.status == SHORT for f in items),
                "other": sum(f.status in (NOT_DUE, UNKNOWN) for f in items),
                "shortfall": number_json(shortfall),
                "unit": items[0].unit,
                "status": min((f.status for f in items), key=SEVERITY.__getitem__),
            }
        )
    return rows
