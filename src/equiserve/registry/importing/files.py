"""The registry's tables: the columns of persons and households, and reading a file."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from equiserve.imports.cells import (
    CellError,
    cell_text,
    check_id_number,
    choice,
    choice_in,
    field_readings,
    flag,
    flag_or_unknown,
    money,
    parse_date,
    raise_required,
    required_text,
    whole_number,
)
from equiserve.imports.columns import Table, field_column
from equiserve.imports.reading import file_format, read_sheets
from equiserve.imports.report import ImportReport
from equiserve.registry.models import Household, Person, PersonHealth, points_step

PERSONS, HOUSEHOLDS = "persons", "households"
MAX_ROWS = 500_000

HOUSEHOLD_COLUMNS = [
    "key",
    "town",
    "village",
    "floor_area_m2",
    "annual_income",
    "assets",
]
HOUSEHOLD_REQUIRED = ["key", "town"]
PERSON_COLUMNS = [
    "key",
    "id_number",
    "name",
    "household",
    "relation_to_head",
    "birth_date",
    "sex",
    "hukou",
    "hukou_kind",
    "town",
    "village",
    "resident_since",
    "points",
    "school_stage",
    "guardian",
    "low_income",
    "one_child_parent",
    "veteran_kind",
    "veteran_discharged",
    "veteran_nco_years",
    "conscription_enlisted",
    "death_date",
    "death_storage_days",
    "death_ash_storage_years",
    "hardship_cause",
    "hardship_date",
]
HEALTH_COLUMNS = ["t1d_diagnosed", "t1d_hospital_grade"]
PERSON_REQUIRED = ["key", "id_number", "name", "hukou", "town"]
PERSONS_OPTIONAL = [
    name
    for name in PERSON_COLUMNS
    if name not in PERSON_REQUIRED and name not in ("birth_date", "sex")
]


def points(value) -> Decimal | None:
    """Return a points score from a cell: 107.5 or 107, never 107.3 (steps of 0.5)."""
    text = cell_text(value)
    if not text:
        return None
    step = points_step()
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number < 0 or number % step:
        raise CellError(
            _("points go in steps of %(step)s from 0 (e.g. 107.5), not %(value)s")
            % {"step": step, "value": text}
        )
    return number.quantize(Decimal("0.1"))


def _vocabulary(name):
    return lambda value: choice(name, value)


def _relation(value) -> str:
    # Registry data, not the plan's vocabulary: read by the model's choices,
    # code or zh/en label (issue 14, deliverable 2).
    return choice_in(field_readings(Person._meta.get_field("relation_to_head")), value)


_PERSON_READERS = {
    "relation_to_head": _relation,
    "id_number": check_id_number,
    "name": required_text,
    "birth_date": parse_date,
    "sex": _vocabulary("sex"),
    "hukou": lambda value: choice("hukou", value) or raise_required(),
    "hukou_kind": _vocabulary("hukou_kind"),
    "resident_since": parse_date,
    "points": points,
    "school_stage": _vocabulary("school_stage"),
    "low_income": flag,
    # Blank is "not recorded", not "no": the reward's rule then says so.
    "one_child_parent": flag_or_unknown,
    "veteran_kind": _vocabulary("veteran_kind"),
    "veteran_discharged": parse_date,
    "veteran_nco_years": whole_number,
    "conscription_enlisted": parse_date,
    "death_date": parse_date,
    "death_storage_days": whole_number,
    "death_ash_storage_years": whole_number,
    "hardship_cause": _vocabulary("hardship_cause"),
    "hardship_date": parse_date,
    "t1d_diagnosed": parse_date,
    "t1d_hospital_grade": _vocabulary("t1d_hospital_grade"),
}
# key, town, village, household and guardian are read against the registry
# and the geography by the checker; the plain text is kept here.
PERSONS_TABLE = Table(
    kind=PERSONS,
    columns=tuple(
        field_column(
            PersonHealth if name in HEALTH_COLUMNS else Person,
            name,
            *([_PERSON_READERS[name]] if name in _PERSON_READERS else []),
            required=name in PERSON_REQUIRED,
        )
        for name in PERSON_COLUMNS + HEALTH_COLUMNS
    ),
)
HOUSEHOLDS_TABLE = Table(
    kind=HOUSEHOLDS,
    columns=tuple(
        field_column(
            Household,
            name,
            *([money] if name in ("floor_area_m2", "annual_income", "assets") else []),
            required=name in HOUSEHOLD_REQUIRED,
        )
        for name in HOUSEHOLD_COLUMNS
    ),
)
TABLES = {PERSONS: PERSONS_TABLE, HOUSEHOLDS: HOUSEHOLDS_TABLE}


def read_tables(content: bytes, filename: str, report: ImportReport):
    """Return {kind: [Row]} of a file of persons, households or both, or None.

    The header tells the kind: a sheet with an ID number column holds persons.
    """
    report.sheet_labels.update(sheet_labels())
    file_kind = file_format(filename, report)
    if file_kind is None:
        return None
    sheets = read_sheets(
        content, file_kind, report, max_rows=MAX_ROWS, every_sheet=True
    )
    if sheets is None:
        return None
    tables = {}
    for sheet in sheets:
        header = PERSONS_TABLE.header_names(sheet.header)
        sheet.kind = PERSONS if "id_number" in header else HOUSEHOLDS
        if sheet.kind in tables:
            report.error(
                _("the workbook has more than one sheet of this kind"),
                sheet=sheet.kind,
            )
            continue
        tables[sheet.kind] = TABLES[sheet.kind].rows(sheet, report)
    return None if report.errors else tables


def sheet_labels() -> dict:
    return {PERSONS: _("persons"), HOUSEHOLDS: _("households")}
