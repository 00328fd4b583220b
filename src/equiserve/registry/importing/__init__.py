"""Read registry files (CSV, XLSX) into checked, unsaved households and persons.

A file holds persons, households, or (an XLSX workbook, one sheet each) both;
the header tells which. Columns are named by the model's field name or by its
label in Chinese or English (`身份证号码`, `resident ID number`). Every row is
checked, every problem reported with its sheet, row (numbered as a spreadsheet
shows them, header = row 1) and column, in the user's language. The service
saves nothing unless there is no problem at all.
"""

from equiserve.registry.importing.cells import check_id_number, parse_date
from equiserve.registry.importing.files import (
    HEALTH_COLUMNS,
    HOUSEHOLD_COLUMNS,
    PERSON_COLUMNS,
    detect_format,
    read_tables,
)
from equiserve.registry.importing.report import (
    HOUSEHOLDS,
    PERSONS,
    ImportIssue,
    RegistryImportReport,
)
from equiserve.registry.importing.rows import CheckedImport, PersonRow, check_tables

__all__ = [
    "HEALTH_COLUMNS",
    "HOUSEHOLDS",
    "HOUSEHOLD_COLUMNS",
    "PERSONS",
    "PERSON_COLUMNS",
    "CheckedImport",
    "ImportIssue",
    "PersonRow",
    "RegistryImportReport",
    "check_id_number",
    "check_tables",
    "detect_format",
    "parse_date",
    "read_tables",
]
