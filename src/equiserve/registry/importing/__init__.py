"""Read registry files (CSV, XLSX) into checked, unsaved households and persons.

A file holds persons, households, or (an XLSX workbook, one sheet each) both;
the header tells which. Columns are named by the model's field name or by its
label in Chinese or English (`身份证号码`, `resident ID number`); code cells
may hold the vocabulary's labels. Reading, cells and the report are the
shared import framework's (`equiserve.imports`); here are the registry's
columns and its row checks. The service saves nothing unless there is no
problem at all.
"""

from equiserve.registry.importing.files import (
    HEALTH_COLUMNS,
    HOUSEHOLD_COLUMNS,
    HOUSEHOLDS,
    PERSON_COLUMNS,
    PERSONS,
    read_tables,
)
from equiserve.registry.importing.rows import CheckedImport, PersonRow, check_tables

__all__ = [
    "HEALTH_COLUMNS",
    "HOUSEHOLDS",
    "HOUSEHOLD_COLUMNS",
    "PERSONS",
    "PERSON_COLUMNS",
    "CheckedImport",
    "PersonRow",
    "check_tables",
    "read_tables",
]
