"""Check facilities against the plan's standards: per facility, village, natural village, town.

Every standard is the plan's (`plans/zhongshan_2014/standards/*.yaml`, read by
`plan_standards`); this module only knows the rule kinds those files use (their
README lists them) and applies each standard from its declared rule, so no
standard id or parameter name is written here.

Pure functions over plain rows (dicts from `Facility.objects.values()`), so the
same answer reaches the pages, the command line and the spreadsheet. Areas are
Decimals and compared exactly: 1,199.9 m² per 10,000 people falls short of
1,200 by 0.1 m² × population / 10,000.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
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
from equiserve.facilities.models import Authority
from equiserve.facilities.standards import (
    PREFIX,
    STANDARDS,
    STANDARDS_BY_ID,
    Standard,
    Standards,
)

__all__ = ["Finding", "Place", "check", "culture_area_per_10000", "summarize"]

# The column that places a facility in a village, natural village or town.
PLACE_COLUMN = {
    "town": "town_id",
    "village": "village_id",
    "natural_village": "natural_village_id",
}


def school_authority_on(row: dict, date: dt.date) -> str:
    """Return who ran a school on `date`: the recorded authority from its date on.

    Before `managed_by_since` the school was under the other authority (the
    only change the plan makes is from town to city).
    """
    since = row["managed_by_since"]
    if since is None or since <= date:
        return row["managed_by"]
    return Authority.TOWN if row["managed_by"] == Authority.CITY else Authority.CITY


# Facts a rule may ask of a facility (`has:`) that no single column holds.
FACTS = {
    "city_managed": lambda row, date: school_authority_on(row, date) == Authority.CITY,
}


def per_10000_finding(
    standard: Standard,
    *,
    town: Place,
    area: Decimal,
    population: int | None,
    required: Decimal,
) -> Finding:
    """Check ≥ `required` m² per 10,000 people (rule kind `per_10000`).

    Compared as area × 10,000 ≥ standard × population, exactly; `actual` is
    the area per 10,000 people, the shortfall is in m² for the whole town.
    """
    where = {"town": town.code, "subject": town.code, "name": town.name}
    if not population:
        return make_finding(
            standard.id,
            status=UNKNOWN,
            required=required,
            actual=None,
            missing=("population",),
            **where,
        )
    required_area = required * population / TEN_THOUSAND
    short = area * TEN_THOUSAND < required * population
    return make_finding(
        standard.id,
        status=SHORT if short else MET,
        required=required,
        actual=(area * TEN_THOUSAND / population).quantize(Decimal("0.01")),
        shortfall=(required_area - area).quantize(Decimal("0.01")) if short else 0,
        **where,
    )


def culture_area_per_10000(
    *, town: Place, indoor_area: Decimal, population: int | None, per_10000: Decimal
) -> Finding:
    """Check the plan's floor-area-per-10,000-people standard (3.2.2) for one town."""
    (standard,) = (s for s in STANDARDS if s.rule["kind"] == "per_10000")
    return per_10000_finding(
        standard,
        town=town,
        area=indoor_area,
        population=population,
        required=per_10000,
    )


def _facility_place(row: dict) -> dict:
    return {"town": row["town_id"], "subject": row["code"], "name": row["name_zh"]}


def _place(place: Place) -> dict:
    return {"town": place.town, "subject": place.code, "name": place.name}


def _years_between(since: dt.date, date: dt.date) -> int:
    return date.year - since.year - ((date.month, date.day) < (since.month, since.day))


@dataclass
class _Check:
    """One run of the check: the rows open on `date`, the places, the findings so far."""

    date: dt.date
    standards: Standards
    rows: list[dict]
    places: dict[str, list[Place]]
    town_population: dict[str, int | None]
    whole_city: bool
    done: dict[str, list[Finding]] = field(default_factory=dict)

    def findings_of(self, standard: Standard) -> list[Finding]:
        """Return the standard's findings, applying its rule once."""
        if standard.id not in self.done:
            apply = getattr(self, "_" + standard.rule["kind"])
            self.done[standard.id] = list(apply(standard, standard.rule))
        return self.done[standard.id]

    def _value(self, rule: dict):
        return self.standards[rule["of"].removeprefix(PREFIX)]

    def _selected(self, rule: dict) -> list[dict]:
        """Return the rows a rule looks at: its `facilities` kinds and `where` values."""
        wanted = rule.get("facilities")
        if wanted is None:
            kinds = None
        elif isinstance(wanted, str) and wanted.startswith(PREFIX):
            kinds = set(self.standards[wanted.removeprefix(PREFIX)])
        else:
            kinds = {wanted} if isinstance(wanted, str) else set(wanted)
        conditions = rule.get("where", {}).items()
        return [
            row
            for row in self.rows
            if (kinds is None or row["kind"] in kinds)
            and all(row[column] == value for column, value in conditions)
        ]

    def _by_place(self, standard: Standard, measure) -> list[Finding]:
        """Apply `measure(rows, where)` per place of the level, or per facility.

        With `in_every: town`, facilities are taken town by town and a town
        without any has one finding of its own (`measure(None, where)`).
        """
        rows = self._selected(standard.rule)
        if standard.level == "facility":
            if standard.rule.get("in_every") != "town":
                return [measure([row], _facility_place(row)) for row in rows]
            found = []
            for town in self.places["town"]:
                here = [row for row in rows if row["town_id"] == town.code]
                found += [measure([row], _facility_place(row)) for row in here]
                if not here:
                    found.append(measure(None, _place(town)))
            return found
        column = PLACE_COLUMN[standard.level]
        grouped = defaultdict(list)
        for row in rows:
            if row[column] is not None:
                grouped[row[column]].append(row)
        return [
            measure(grouped[place.code], _place(place))
            for place in self.places[standard.level]
        ]

    def _absent(self, standard: Standard, required, shortfall, missing, where):
        return make_finding(
            standard.id,
            level="town",
            status=SHORT,
            required=required,
            actual=0,
            shortfall=shortfall,
            missing=(standard.rule["facilities"], *missing),
            **where,
        )

    def _at_least(self, standard: Standard, rule: dict):
        """The sum of `count` (or the number of facilities) is at least the value;
        each of `flags` is also needed, and `missing` names a short count."""
        required = int(self._value(rule))

        def measure(rows, where):
            if rows is None:
                return self._absent(standard, required, required, (), where)
            held = sum(
                (row[rule["count"]] or 0) if "count" in rule else 1 for row in rows
            )
            missing = [flag for flag in rule.get("flags", ()) if not rows[0][flag]]
            if held < required and "missing" in rule:
                missing.append(rule["missing"])
            short = held < required or bool(missing)
            return make_finding(
                standard.id,
                status=SHORT if short else MET,
                required=required,
                actual=held,
                shortfall=required - held if held < required else 0,
                missing=tuple(missing),
                **where,
            )

        return self._by_place(standard, measure)

    def _area_at_least(self, standard: Standard, rule: dict):
        """The sum of the `area` column is at least the value, in m²."""
        required = Decimal(self._value(rule))

        def measure(rows, where):
            if rows is None:
                return self._absent(standard, required, required, (), where)
            area = sum((area_of(row[rule["area"]]) for row in rows), Decimal(0))
            return minimum(standard.id, actual=area, required=required, **where)

        return self._by_place(standard, measure)

    def _checklist(self, standard: Standard, rule: dict):
        """A facility has every item the value lists (a column each)."""
        items = tuple(self._value(rule))

        def measure(rows, where):
            if rows is None:
                return self._absent(standard, len(items), len(items), items, where)
            return checklist(standard.id, rows[0], items, **where)

        return self._by_place(standard, measure)

    def _due(self, standard: Standard, rule: dict):
        """A facility (or one of the place's) `has` the fact once the value is true;
        before, its lack is not due."""
        due = bool(self.standards.get(rule["of"].removeprefix(PREFIX), False))
        fact = FACTS.get(rule["has"], lambda row, date: row[rule["has"]])

        def measure(rows, where):
            has = any(bool(fact(row, self.date)) for row in rows)
            return make_finding(
                standard.id,
                status=MET if has else (SHORT if due else NOT_DUE),
                required=1,
                actual=int(has),
                shortfall=0 if has else 1,
                missing=() if has else (rule.get("missing", rule["has"]),),
                **where,
            )

        return self._by_place(standard, measure)

    def _renewed_within(self, standard: Standard, rule: dict):
        """The years since the last renewal (or opening) are at most the value."""
        years = int(self._value(rule))

        def measure(rows, where):
            (row,) = rows
            # Equipment never renewed (or renewed only after the day: the record
            # keeps the last renewal, not the history) is as old as the facility.
            renewed = row[rule["renewed"]]
            since = renewed if renewed and renewed <= self.date else row["opening_date"]
            if since is None:
                return make_finding(
                    standard.id,
                    status=UNKNOWN,
                    required=years,
                    missing=(rule["renewed"],),
                    **where,
                )
            age = _years_between(since, self.date)
            overdue = age > years
            return make_finding(
                standard.id,
                status=SHORT if overdue else MET,
                required=years,
                actual=age,
                shortfall=age - years if overdue else 0,
                missing=(rule["missing"],) if overdue else (),
                **where,
            )

        return self._by_place(standard, measure)

    def _per_10000(self, standard: Standard, rule: dict):
        """The towns' `area` is at least the value per 10,000 people."""
        required = Decimal(self._value(rule))
        area = defaultdict(Decimal)
        for row in self._selected(rule):
            area[row["town_id"]] += area_of(row[rule["area"]])
        return [
            per_10000_finding(
                standard,
                town=town,
                area=area[town.code],
                population=self.town_population.get(town.code),
                required=required,
            )
            for town in self.places["town"]
        ]

    def _paired(self, standard: Standard, rule: dict):
        """Every facility has one of the `with` kind of its own (same village, or
        town for town-level ones) meeting the `meeting` standards.

        Those meeting them are paired first, so a facility left without one
        fails however good the others are (3.6.2, issue 12, point 10).
        """
        met = {
            (finding.standard, finding.subject)
            for standard_id in rule["meeting"]
            for finding in self.findings_of(STANDARDS_BY_ID[standard_id])
            if finding.status == MET
        }

        def compliant(code):
            return all((standard_id, code) in met for standard_id in rule["meeting"])

        groups, partners = defaultdict(list), defaultdict(list)
        for row in self._selected(rule):
            groups[(row["town_id"], row["village_id"])].append(row)
        for row in self._selected({"facilities": rule["with"]}):
            partners[(row["town_id"], row["village_id"])].append(row["code"])
        found = []
        for key, group in groups.items():
            ranked = sorted(partners[key], key=lambda code: (not compliant(code), code))
            for index, row in enumerate(sorted(group, key=lambda row: row["code"])):
                partner = ranked[index] if index < len(ranked) else None
                ok = partner is not None and compliant(partner)
                missing = () if ok else (rule["missing"] if partner else rule["with"],)
                found.append(
                    make_finding(
                        standard.id,
                        status=MET if ok else SHORT,
                        required=1,
                        actual=int(ok),
                        shortfall=0 if ok else 1,
                        missing=missing,
                        **_facility_place(row),
                    )
                )
        return found

    def _all_present(self, standard: Standard, rule: dict):
        """The city has every item the value lists: an `item` of some facility, or
        one named in `present_when_met` whose standard is met everywhere.
        Only over the whole city."""
        if not self.whole_city:
            return []
        items = tuple(self._value(rule))
        present = {row[rule["item"]] for row in self._selected(rule)}
        for item, standard_id in rule.get("present_when_met", {}).items():
            findings = self.findings_of(STANDARDS_BY_ID[standard_id])
            if all(finding.status == MET for finding in findings):
                present.add(item)
        missing = tuple(item for item in items if item not in present)
        return [
            make_finding(
                standard.id,
                status=SHORT if missing else MET,
                town="",
                subject="city",
                name="",
                required=len(items),
                actual=len(items) - len(missing),
                shortfall=len(missing),
                missing=missing,
            )
        ]


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
    run = _Check(
        date=date,
        standards=standards,
        rows=open_on(facilities, date),
        places={
            "town": towns,
            "village": villages,
            "natural_village": natural_villages,
        },
        town_population=town_population,
        whole_city=whole_city,
    )
    return [finding for standard in STANDARDS for finding in run.findings_of(standard)]


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
