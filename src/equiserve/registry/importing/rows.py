"""Check tables row by row against the geography and the registry."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import ric

from equiserve.geography.models import Town, Village
from equiserve.geography.selectors import town_codes_by_name
from equiserve.imports.cells import CellError, cell_text
from equiserve.imports.columns import Row
from equiserve.imports.report import ImportReport
from equiserve.registry.importing.files import (
    HEALTH_COLUMNS,
    HOUSEHOLDS,
    PERSONS,
    PERSONS_TABLE,
    TABLES,
)
from equiserve.registry.models import (
    NOT_IN_SCHOOL,
    Household,
    Person,
    PersonHealth,
)

CHUNK = 900  # keys per `IN (...)`: well under every database's limit
# Person fields read by their column's reader alone, with no other cell.
PERSON_FIELDS_AS_READ = (
    "relation_to_head",
    "hukou_kind",
    "school_stage",
    "veteran_kind",
    "hardship_cause",
    "resident_since",
    "veteran_discharged",
    "conscription_enlisted",
    "death_date",
    "hardship_date",
    "points",
    "veteran_nco_years",
    "death_storage_days",
    "death_ash_storage_years",
    "low_income",
    "one_child_parent",
)
_BLANK_TEXT = {
    "relation_to_head",
    "hukou_kind",
    "school_stage",
    "veteran_kind",
    "hardship_cause",
}


@dataclass
class PersonRow:
    """A checked person, with the links resolved at write time."""

    row: int
    person: Person
    household_key: str = ""
    guardian_key: str = ""
    health: PersonHealth | None = None


@dataclass
class CheckedImport:
    """Everything the service writes, once nothing is wrong."""

    households: list[Household] = field(default_factory=list)
    persons: list[PersonRow] = field(default_factory=list)


class Checker:
    """Check tables row by row against the geography and the registry."""

    def __init__(self, report: ImportReport, *, town_code: str, health: bool):
        self.report = report
        self.only_town = town_code
        self.health = health
        self.towns = {town.code: town for town in Town.objects.all()}
        self.town_names = town_codes_by_name()
        self.villages = dict(Village.objects.values_list("code", "town_id"))
        self.checked = CheckedImport()
        self.rows: list[PersonRow] = []
        # Household keys of the file, with their towns, even of rows in error.
        self.file_households: dict[str, str | None] = {}

    def error(self, sheet, row, column, message, value=None) -> None:
        self.report.error(message, sheet=sheet, row=row, column=column, value=value)

    def cell(self, sheet, row: Row, column, read=None):
        """Return the cell read by its column's reader, or None after its problem."""
        return TABLES[sheet].read(self.report, row, column, read)

    def health_columns(self, header: list[str]) -> bool:
        """Refuse health columns to whoever may not import them (superusers only)."""
        health = [name for name in HEALTH_COLUMNS if name in header]
        if self.health or not health:
            return True
        self.error(
            PERSONS,
            1,
            "",
            _("you may not import health columns: %(names)s")
            % {"names": ", ".join(health)},
        )
        return False

    def town(self, value) -> str:
        text = cell_text(value)
        if not text:
            raise CellError(_("required"))
        code = text if text in self.towns else self.town_names.get(text.lower())
        if code is None:
            raise CellError(_("unknown town %(value)s") % {"value": text})
        if self.only_town and code != self.only_town:
            raise CellError(
                _("you may import records of %(town)s only, not %(other)s")
                % {
                    "town": self.towns[self.only_town].name_zh,
                    "other": self.towns[code].name_zh,
                }
            )
        return code

    def village(self, value, town_code: str | None) -> str | None:
        code = cell_text(value)
        if not code:
            return None
        if code not in self.villages:
            raise CellError(_("unknown village %(code)s") % {"code": code})
        if town_code and self.villages[code] != town_code:
            raise CellError(
                _("village %(code)s is not in town %(town)s")
                % {"code": code, "town": town_code}
            )
        return code

    @staticmethod
    def key(value) -> str:
        text = cell_text(value)
        if not text:
            raise CellError(_("required"))
        if len(text) > 32:
            raise CellError(_("at most 32 characters"))
        return text

    def households(self, rows) -> None:
        seen: dict[str, int] = {}
        for values in rows:
            number = values.number
            errors = len(self.report.errors)
            key = self.cell(HOUSEHOLDS, values, "key", self.key)
            town = self.cell(HOUSEHOLDS, values, "town", self.town)
            village = self.cell(
                HOUSEHOLDS, values, "village", lambda v, t=town: self.village(v, t)
            )
            amounts = {
                name: self.cell(HOUSEHOLDS, values, name)
                for name in ("floor_area_m2", "annual_income", "assets")
            }
            if key and key in seen:
                self.error(
                    HOUSEHOLDS,
                    number,
                    "key",
                    _("%(key)s is also in row %(row)d")
                    % {"key": key, "row": seen[key]},
                )
            elif key:
                seen[key] = number
                self.file_households[key] = town
            if len(self.report.errors) == errors:
                household = Household(
                    key=key, town_id=town, village_id=village, **amounts
                )
                self._clean(HOUSEHOLDS, number, household, ["town", "village"])
                self.checked.households.append(household)
        self._already_registered(
            HOUSEHOLDS, Household, "key", seen, _("household %(value)s already exists")
        )

    def persons(self, rows) -> None:
        keys: dict[str, int] = {}
        numbers: dict[str, int] = {}
        for values in rows:
            number = values.number
            errors = len(self.report.errors)
            row = self._person(number, values)
            for column, value, seen in (
                ("key", row.person.key, keys),
                ("id_number", row.person.id_number, numbers),
            ):
                if not value:
                    continue
                if value in seen:
                    self.error(
                        PERSONS,
                        number,
                        column,
                        _("%(key)s is also in row %(row)d")
                        % {"key": value, "row": seen[value]},
                    )
                else:
                    seen[value] = number
            # Every row's links are checked, so one pass reports all its problems.
            self.rows.append(row)
            if len(self.report.errors) == errors:
                self.checked.persons.append(row)
        self._already_registered(
            PERSONS, Person, "key", keys, _("person %(value)s already exists")
        )
        self._already_registered(
            PERSONS,
            Person,
            "id_number",
            numbers,
            _("ID number %(value)s is already registered"),
        )
        self._links(keys)

    def _person(self, number: int, values: Row) -> PersonRow:
        """Return the row's person; with problems (recorded) it is never saved."""

        def cell(column, read=None):
            return self.cell(PERSONS, values, column, read)

        errors = len(self.report.errors)
        id_number = cell("id_number")
        fields = {
            "key": cell("key", self.key),
            "name": cell("name"),
            "town_id": cell("town", self.town),
            "hukou": cell("hukou"),
        }
        fields["village_id"] = cell(
            "village", lambda v: self.village(v, fields["town_id"])
        )
        for name in PERSON_FIELDS_AS_READ:
            fields[name] = cell(name)
        birth_date = cell("birth_date")
        sex = cell("sex")
        if id_number:
            birth_date, sex = self._match_id(number, id_number, birth_date, sex)
        health = None
        if self.health:
            diagnosed = cell("t1d_diagnosed")
            grade = cell("t1d_hospital_grade")
            if diagnosed or grade:
                health = PersonHealth(t1d_diagnosed=diagnosed, t1d_hospital_grade=grade)
        later = {
            "resident_since": fields["resident_since"],
            "conscription_enlisted": fields["conscription_enlisted"],
            "death_date": fields["death_date"],
            "t1d_diagnosed": health.t1d_diagnosed if health else None,
        }
        for name, value in later.items():
            if value and birth_date and value < birth_date:
                self.error(
                    PERSONS, number, name, _("this date is before the date of birth")
                )
        person = Person(
            id_number=id_number,
            birth_date=birth_date,
            sex=sex,
            **{
                name: ("" if value is None and name in _BLANK_TEXT else value)
                for name, value in fields.items()
            },
        )
        if person.low_income is None:
            person.low_income = False
        if not person.school_stage:
            person.school_stage = NOT_IN_SCHOOL
        if len(self.report.errors) == errors:
            self._clean(
                PERSONS, number, person, ["town", "village", "household", "guardian"]
            )
        return PersonRow(
            row=number,
            person=person,
            household_key=values.text("household"),
            guardian_key=values.text("guardian"),
            health=health,
        )

    def _match_id(self, number, id_number, birth_date, sex):
        """Check birth date and sex against the ID number; fill them in when blank."""
        from_id = ric.get_birth_date(id_number)
        sex_from_id = "M" if int(id_number[16]) % 2 else "F"
        if birth_date and birth_date != from_id:
            self.error(
                PERSONS,
                number,
                "birth_date",
                _("%(value)s does not match the birth date in the ID number (%(id)s)")
                % {"value": birth_date.isoformat(), "id": from_id.isoformat()},
            )
        if sex and sex != sex_from_id:
            self.error(
                PERSONS,
                number,
                "sex",
                _("does not match the ID number, whose 17th digit says %(sex)s")
                % {"sex": _("male") if sex_from_id == "M" else _("female")},
            )
        return from_id, sex_from_id

    def _clean(self, sheet, number, instance, links) -> None:
        try:
            instance.full_clean(
                exclude=links, validate_unique=False, validate_constraints=False
            )
        except ValidationError as problem:
            for column, messages in problem.message_dict.items():
                for message in messages:
                    self.error(sheet, number, column, message)

    def _already_registered(self, sheet, model, column, seen, message) -> None:
        values = list(seen)
        for start in range(0, len(values), CHUNK):
            chunk = values[start : start + CHUNK]
            found = model.objects.filter(**{f"{column}__in": chunk}).values_list(
                column, flat=True
            )
            for value in sorted(found, key=seen.__getitem__):
                self.error(sheet, seen[value], column, message % {"value": value})

    def _links(self, keys: dict[str, int]) -> None:
        """Check each person's household and guardian: in the file or registered."""
        file_households = self.file_households
        wanted_households = {
            row.household_key
            for row in self.rows
            if row.household_key and row.household_key not in file_households
        }
        registered: dict[str, str] = {}
        wanted = sorted(wanted_households)
        for start in range(0, len(wanted), CHUNK):
            registered.update(
                Household.objects.filter(
                    key__in=wanted[start : start + CHUNK]
                ).values_list("key", "town_id")
            )
        households = registered | file_households
        wanted_guardians = {
            row.guardian_key
            for row in self.rows
            if row.guardian_key and row.guardian_key not in keys
        }
        guardians: set[str] = set()
        wanted = sorted(wanted_guardians)
        for start in range(0, len(wanted), CHUNK):
            guardians.update(
                Person.objects.filter(
                    key__in=wanted[start : start + CHUNK]
                ).values_list("key", flat=True)
            )
        for row in self.rows:
            if row.household_key:
                town = households.get(row.household_key, "?")
                if town == "?":
                    self.error(
                        PERSONS,
                        row.row,
                        "household",
                        _("unknown household %(key)s") % {"key": row.household_key},
                    )
                elif town and row.person.town_id and town != row.person.town_id:
                    self.error(
                        PERSONS,
                        row.row,
                        "household",
                        _("household %(key)s is in another town (%(town)s)")
                        % {"key": row.household_key, "town": town},
                    )
            if row.guardian_key:
                if row.guardian_key == row.person.key:
                    self.error(
                        PERSONS,
                        row.row,
                        "guardian",
                        _("a person cannot be their own guardian"),
                    )
                elif row.guardian_key not in keys and row.guardian_key not in guardians:
                    self.error(
                        PERSONS,
                        row.row,
                        "guardian",
                        _("unknown person %(key)s") % {"key": row.guardian_key},
                    )


def check_tables(
    tables: dict[str, list[Row]],
    report: ImportReport,
    *,
    town_code: str,
    health: bool,
) -> CheckedImport | None:
    """Check households first (persons point at them), then persons."""
    checker = Checker(report, town_code=town_code, health=health)
    for sheet in report.sheets:
        if sheet.kind == PERSONS:
            header = PERSONS_TABLE.header_names(sheet.header)
            if not checker.health_columns(header):
                return None
    with report.checking():
        if HOUSEHOLDS in tables:
            checker.households(tables[HOUSEHOLDS])
        if PERSONS in tables:
            checker.persons(tables[PERSONS])
    # Links are checked last; the report still reads from the top of the file.
    order = {HOUSEHOLDS: 0, PERSONS: 1}
    report.errors.sort(key=lambda issue: (order.get(issue.sheet, -1), _row(issue)))
    return None if report.errors else checker.checked


def _row(issue) -> int:
    return issue.row if isinstance(issue.row, int) else 0
