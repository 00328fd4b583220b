"""The one tabular import framework (issue 11, deliverable 6): reading within the
caps, typed columns with zh/en headers and labels, every problem with its cell,
one error cap, all or nothing, the XLSX error report, one refusal."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import translation
from openpyxl import Workbook, load_workbook
from stdnum.cn import ric

from equiserve.facilities.models import Facility
from equiserve.facilities.services import facilities_import
from equiserve.imports import cells
from equiserve.imports.columns import Column, Table
from equiserve.imports.forms import TOO_LARGE, ImportForm
from equiserve.imports.limits import MAX_COLUMNS
from equiserve.imports.permissions import access_import
from equiserve.imports.reading import read_sheets
from equiserve.imports.report import MAX_ISSUES, ImportReport
from equiserve.imports.workbook import error_workbook
from equiserve.registry.models import Person

XIAOLAN = "442000100"
PEOPLE = Table(
    kind="people",
    columns=(
        Column("id_number", cells.check_id_number, labels=("ID number", "身份号码")),
        Column("born", cells.parse_date, labels=("born", "出生日期")),
        Column(
            "hukou",
            lambda value: cells.choice("hukou", value),
            labels=("registration", "户籍"),
            required=True,
        ),
        Column("children", cells.whole_number),
    ),
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _valid_id(born: dt.date, sequence: int = 12) -> str:
    first17 = f"442000{born:%Y%m%d}{sequence:03d}"
    return first17 + ric.calc_check_digit(first17 + "0")


def _csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def _read(content: bytes, file_format: str = "csv", max_rows: int = 1000):
    """Return (report, {column: value} per row) as the framework reads `content`."""
    report = ImportReport(source="people." + file_format)
    sheets = read_sheets(content, file_format, report, max_rows=max_rows)
    values = []
    if sheets:
        rows = PEOPLE.rows(sheets[0], report) or []
        with report.checking():
            for row in rows:
                values.append(
                    {name: PEOPLE.read(report, row, name) for name in row.cells}
                )
    return report, values


def test_a_bad_check_character_is_reported_with_its_cell():
    good = _valid_id(dt.date(1990, 3, 4))
    wrong = "1" if good[-1] != "1" else "2"
    report, _ = _read(_csv("id_number,hukou", f"{good[:-1]}{wrong},zhongshan"))
    [issue] = report.errors
    assert (issue.sheet, issue.row, issue.column, issue.value) == (
        "people",
        2,
        "id_number",
        good[:-1] + wrong,
    )
    assert issue.message == f"wrong check character {wrong} (expected {good[-1]})"


def test_an_impossible_date_is_reported_not_guessed():
    report, _ = _read(
        _csv("born,hukou", "2015-02-30,zhongshan", "2015-02-28,zhongshan")
    )
    assert [str(issue) for issue in report.errors] == [
        "people, row 2, born: 2015-02-30 is not a real date"
    ]


def test_an_unknown_code_lists_the_codes_it_may_be():
    report, _ = _read(_csv("hukou", "martian"))
    assert [str(issue) for issue in report.errors] == [
        "people, row 2, hukou: martian is not one of: Registered in Zhongshan, "
        "Migrant (registered elsewhere)"
    ]


def test_chinese_headers_and_chinese_labels_read_as_the_columns_and_codes():
    content = _csv(
        "身份号码,出生日期,户籍", f"{_valid_id(dt.date(1990, 3, 4))},1990/3/4,本市户籍"
    )
    report, values = _read(content)
    assert report.ok, report.lines()
    assert values == [
        {
            "id_number": _valid_id(dt.date(1990, 3, 4)),
            "born": dt.date(1990, 3, 4),
            "hukou": "zhongshan",
        }
    ]


def test_problems_read_in_chinese_for_a_chinese_user():
    with translation.override("zh-hans"):
        report, _ = _read(_csv("户籍,children", "本市户籍,two"))
        assert report.errors[0].message == "应为整数，实际为 two"


def test_a_file_past_the_size_limit_is_refused_before_it_is_read(settings):
    settings.EQUISERVE_IMPORT_MAX_BYTES = 1000
    form = ImportForm(files={"file": SimpleUploadedFile("big.csv", b"x" * 1001)})
    assert not form.is_valid()
    assert form.has_error("file", TOO_LARGE)
    assert form.errors["file"] == ["The file is 0.0 MB; import at most 0 MB at a time."]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_header_past_the_column_cap_is_refused_before_any_row(file_format):
    header = [f"c{n}" for n in range(MAX_COLUMNS + 1)]
    if file_format == "csv":
        content = _csv(",".join(header), ",".join("x" for _ in header))
    else:
        book = Workbook()
        book.active.append(header)
        buffer = io.BytesIO()
        book.save(buffer)
        content = buffer.getvalue()
    report, values = _read(content, file_format)
    assert [str(issue) for issue in report.errors] == [
        f"the header has more than {MAX_COLUMNS} columns"
    ]
    assert values == []


def test_rows_past_the_importers_limit_are_refused():
    report, _ = _read(_csv("hukou", "zhongshan", "zhongshan", "zhongshan"), max_rows=2)
    assert [str(issue) for issue in report.errors] == [
        "the file has more than 2 rows; import at most 2 at a time"
    ]


def test_checking_stops_at_the_cap_and_the_headline_says_so():
    rows = ["hukou,children"] + [f"zhongshan,x{n}" for n in range(MAX_ISSUES + 50)]
    report, _ = _read(_csv(*rows))
    assert len(report.errors) == MAX_ISSUES and report.stopped
    assert report.errors[-1].row == MAX_ISSUES + 1
    assert report.headline() == (
        f"people.csv: more than {MAX_ISSUES} problems; checking stopped there "
        "and nothing was imported."
    )


def test_unknown_missing_and_doubled_columns_are_named_on_row_1():
    report, _ = _read(_csv("colour,born,出生日期", "red,,"))
    assert [str(issue) for issue in report.errors] == [
        "people, row 1: unknown column(s): colour",
        "people, row 1: missing column(s): hukou",
        "people, row 1: column(s) given twice: born",
    ]


@pytest.fixture
def admin(django_user_model, geography):
    return django_user_model.objects.create_superuser("admin", password="pw-123456!")


FACILITIES_ZH = "代码,类型,中文名称,镇区,经度（WGS-84）,纬度（WGS-84）"


def test_one_bad_row_saves_nothing_and_a_good_file_saves_all(admin):
    bad = _csv(
        FACILITIES_ZH,
        f"L1,镇区图书馆,图书馆,{XIAOLAN},113.3,22.6",
        "L2,castle,城堡,x,1,2",
    )
    report = facilities_import(content=bad, filename="f.csv", actor=admin)
    assert not report.ok and not Facility.objects.exists()
    # Chinese headers, the kind by its Chinese label and the town by its name.
    good = _csv(FACILITIES_ZH, "L1,镇区图书馆,图书馆,小榄镇,113.3,22.6")
    report = facilities_import(content=good, filename="f.csv", actor=admin)
    assert report.ok, report.lines()
    facility = Facility.objects.get()
    assert (facility.kind, facility.town_id) == ("library", XIAOLAN)
    assert report.saved == {"created": ["L1"], "updated": []}


def test_the_error_workbook_gives_back_the_rows_with_their_problems_as_text(
    demo_accounts, login
):
    hostile = '=HYPERLINK("http://evil.example")'
    upload = SimpleUploadedFile(
        "people.csv",
        _csv("key,id_number,name,hukou,town", f"K1,123,{hostile},zhongshan,{XIAOLAN}"),
    )
    response = login("town-xiaolan").post(
        "/registry/import/", {"file": upload, "error_workbook": "1"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    problems, rows = book.worksheets
    assert [cell.value for cell in problems[2]] == [
        "persons",
        "row 2",
        "id_number",
        "123",
        "an ID number has 18 characters, this one 3",
    ]
    assert [cell.value for cell in rows[1]] == [
        "key",
        "id_number",
        "name",
        "hukou",
        "town",
        "Problems",
    ]
    name = rows[2][2]
    assert (name.value, name.data_type) == (hostile, "s")
    assert rows[2][5].value == "id_number: an ID number has 18 characters, this one 3"
    assert not Person.objects.exists()


def test_the_error_workbook_of_a_report_names_a_stopped_check():
    report = ImportReport(source="f.csv")
    report.stopped = True
    book = load_workbook(io.BytesIO(error_workbook(report)))
    assert book.worksheets[0]["E2"].value.startswith("f.csv: more than 200 problems")


@pytest.mark.parametrize(
    ("username", "page"),
    [
        ("office", "/registry/import/"),
        ("auditor", "/cases/import/"),
        ("office", "/facilities/import/"),
    ],
)
def test_an_import_page_is_a_404_to_whoever_may_not_use_it(
    demo_accounts, login, username, page
):
    assert login(username).get(page).status_code == 404
    with pytest.raises(Http404):
        access_import(demo_accounts[username], page.split("/")[1])
