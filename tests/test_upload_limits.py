"""Imports cap the upload's size, the header's width and the rows, and check
headers in linear time; a refused file saves nothing (issue 10, finding 11)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from equiserve.cases import views as cases_views
from equiserve.cases.importing import cases_import
from equiserve.facilities import importing as facilities_importing
from equiserve.facilities import views as facilities_views
from equiserve.facilities.models import Facility
from equiserve.facilities.services import facilities_import
from equiserve.imports.limits import MAX_COLUMNS, duplicated
from equiserve.registry import views as registry_views
from equiserve.registry.models import Household, Person
from equiserve.registry.services import registry_import

IMPORT_SERVICES = [
    (registry_views.services, "registry_import"),
    (cases_views, "cases_import"),
    (facilities_views, "facilities_import"),
]

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


WIDE = 100_000
XLSX_WIDEST = 16_384  # column XFD, the most a worksheet has
TOO_WIDE = f"the header has more than {MAX_COLUMNS} columns"


@pytest.fixture
def admin(django_user_model):
    """An administrator, who may write every facility."""
    return django_user_model.objects.create_superuser("admin", password="pw-123456!")


def wide_csv(columns: int) -> bytes:
    names = ["key", "id_number", "name", "hukou", "town"]
    names += [f"extra_{n}" for n in range(columns - len(names))]
    return (",".join(names) + "\n" + ",".join("x" for _ in names) + "\n").encode()


def wide_xlsx(columns: int) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("rows")
    sheet.append(["key", "id_number", *(f"extra_{n}" for n in range(columns - 2))])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_finding_duplicated_names_is_linear_and_sorted():
    names = [f"c{n}" for n in range(WIDE)] + ["c7", "c3", "c7"]
    assert duplicated(names) == ["c3", "c7"]


@pytest.mark.parametrize(
    ("content", "filename"),
    [(wide_csv(WIDE), "p.csv"), (wide_xlsx(XLSX_WIDEST), "p.xlsx")],
)
def test_a_registry_header_of_100_000_columns_is_refused_before_any_check(
    geography, content, filename
):
    report = registry_import(content=content, filename=filename, actor=None)
    assert [issue.message for issue in report.errors] == [TOO_WIDE]
    assert not Person.objects.exists() and not Household.objects.exists()


def test_a_header_at_the_limit_is_checked_column_by_column(geography):
    report = registry_import(
        content=wide_csv(MAX_COLUMNS), filename="p.csv", actor=None
    )
    messages = [issue.message for issue in report.errors]
    assert TOO_WIDE not in messages
    assert messages[0].startswith("unknown column(s): extra_0, extra_1")


def test_a_cases_header_of_100_000_columns_is_refused(demo_accounts, django_user_model):
    report = cases_import(
        content=wide_csv(WIDE),
        filename="a.csv",
        actor=django_user_model.objects.get(username="civil-affairs"),
    )
    assert [issue.message for issue in report.errors] == [TOO_WIDE]


@pytest.mark.parametrize(
    ("content", "filename"),
    [(wide_csv(WIDE), "f.csv"), (wide_xlsx(XLSX_WIDEST), "f.xlsx")],
)
def test_a_facilities_header_of_100_000_columns_is_refused(admin, content, filename):
    report = facilities_import(content=content, filename=filename, actor=admin)
    assert [issue.message for issue in report.errors] == [TOO_WIDE]
    assert not Facility.objects.exists()


def test_facility_rows_past_the_limit_are_refused(admin, monkeypatch):
    monkeypatch.setattr(facilities_importing, "MAX_ROWS", 2)
    content = b"code,kind\n" + b"".join(b"C%d,library\n" % n for n in range(3))
    report = facilities_import(content=content, filename="f.csv", actor=admin)
    assert [issue.message for issue in report.errors] == [
        "the file has more than 2 rows; import at most 2 at a time"
    ]


@pytest.mark.parametrize(
    ("username", "page"),
    [
        ("town-xiaolan", "/registry/import/"),
        ("civil-affairs", "/cases/import/"),
        ("town-xiaolan", "/facilities/import/"),
    ],
)
def test_an_upload_past_the_size_limit_is_refused_before_it_is_read(
    demo_accounts, login, settings, monkeypatch, username, page
):
    settings.EQUISERVE_IMPORT_MAX_BYTES = 2**20  # 1 MB
    upload = SimpleUploadedFile("big.csv", b"x" * (2**20 + 1), "text/csv")
    read = []
    for view, service in IMPORT_SERVICES:
        monkeypatch.setattr(view, service, lambda **kwargs: read.append(kwargs))
    response = login(username).post(page, {"file": upload})
    assert response.status_code in (413, 422)
    assert "The file is 1.0 MB; import at most 1 MB at a time." in (
        response.content.decode()
    )
    assert read == []
    assert not Person.objects.exists() and not Facility.objects.exists()


def test_the_size_message_is_in_the_users_language(demo_accounts, login, settings):
    settings.EQUISERVE_IMPORT_MAX_BYTES = 2**20
    upload = SimpleUploadedFile("big.csv", b"x" * (3 * 2**20), "text/csv")
    response = login("town-xiaolan", language="zh-hans").post(
        "/registry/import/", {"file": upload}
    )
    assert "文件大小为 3.0 MB；每次最多导入 1 MB。" in response.content.decode()
