"""Bulk import of applications: all or nothing, a row-by-row report, and a
process killed mid-import leaves the database as it was (issue 4)."""

import datetime as dt
import io
import json
import os
import signal
import subprocess
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from equiserve.audit.models import AuditEntry
from equiserve.cases.importing import cases_import
from equiserve.cases.models import Case
from equiserve.cases.tests.factories import GUZHEN, XIAOLAN, eligible_applicant
from equiserve.cases.tests.filedb import environment, run


def _csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


@pytest.mark.django_db
def test_one_bad_row_imports_nothing_and_every_problem_is_reported(officers):
    ok = eligible_applicant("funeral", XIAOLAN)
    pupil = eligible_applicant("student_insurance", XIAOLAN)
    guzhen = eligible_applicant("funeral", GUZHEN)
    content = _csv(
        "programme,applicant,applied_on,death_storage_days,documents,school_stage",
        f"funeral,{ok.key},2015-06-22,2,death_certificate,",
        f"pension,{ok.key},2015-06-22,,,",
        f"funeral,{guzhen.key},2015-06-22,,,",
        f"3.4.2,{pupil.id_number},2015-02-30,,points_certificate;passport,primary",
        f"3.5,{ok.id_number},2015-06-23,two,,junior",
    )
    audit_before = AuditEntry.objects.count()
    with translation.override("en"):
        report = cases_import(
            content=content, filename="apps.csv", actor=officers["town-xiaolan"]
        )
        lines = report.lines()
    assert lines == [
        "apps.csv: 7 error(s); nothing was imported.",
        "row 3, programme: unknown programme “pension”",
        f"row 4, applicant: no person with the number “{guzhen.key}” in your area",
        "row 5, applied_on: 2015-02-30 is not a real date",
        "row 5, documents: unknown document “passport” for this programme",
        "row 6, death_storage_days: “two” is not a whole number of 0 or more",
        "row 6, school_stage: not a fact of this programme (Free basic funeral services)",
        "row 6, applicant: the same person and programme as row 2",
    ]
    assert not Case.objects.exists()
    assert AuditEntry.objects.count() == audit_before


@pytest.mark.django_db
def test_duplicates_within_the_file_and_against_open_cases_are_refused(
    officers, make_case
):
    open_case = make_case("funeral")
    fresh = eligible_applicant("funeral")
    content = _csv(
        "programme,applicant,applied_on",
        f"funeral,{fresh.key},2015-06-22",
        f"funeral,{fresh.key},2015-06-22",
        f"funeral,{open_case.applicant.key},2015-06-22",
    )
    with translation.override("en"):
        report = cases_import(
            content=content, filename="dup.csv", actor=officers["town-xiaolan"]
        )
        assert [str(issue) for issue in report.errors] == [
            "row 3, applicant: the same person and programme as row 2",
            "row 4, applicant: already has an open case under this programme: "
            f"{open_case.reference}",
        ]
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_chinese_headers_and_labels_are_read(officers):
    deceased = eligible_applicant("funeral")
    worker = eligible_applicant("hardship_relief")
    content = _csv(
        "项目,申请人,申请日期,材料,困难原因,困难发生日期",
        f"免费殡葬基本服务,{deceased.id_number},2015-06-22,死亡证明；办理人（家属）身份证,,",
        f"3.4.1,{worker.key},2015-06-10,居民身份证或居住证,火灾,2015-06-01",
    )
    with translation.override("zh-hans"):
        report = cases_import(
            content=content, filename="申请.csv", actor=officers["town-xiaolan"]
        )
    assert report.ok, report.lines()
    funeral, hardship = Case.objects.order_by("pk")
    assert funeral.documents == ["death_certificate", "family_id_card"]
    assert hardship.facts == {"hardship_cause": "fire", "hardship_date": "2015-06-01"}
    entry = AuditEntry.objects.get(object_type="cases.import")
    assert entry.changes == {"file": "申请.csv", "cases": 2}


@pytest.mark.django_db
def test_an_xlsx_workbook_imports_through_the_page(officers, login):
    veteran = eligible_applicant("veteran_grant", GUZHEN)
    book = Workbook()
    sheet = book.active
    sheet.append(["programme", "applicant", "applied_on", "veteran_nco_years"])
    sheet.append(["veteran_grant", veteran.key, dt.date(2015, 4, 1), 8])
    buffer = io.BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("vets.xlsx", buffer.getvalue())
    response = login("town-guzhen").post("/cases/import/", {"file": upload})
    assert response.status_code == 200
    assert "vets.xlsx: 1 applications registered." in response.content.decode()
    case = Case.objects.get()
    assert (case.applied_on, case.facts) == (
        dt.date(2015, 4, 1),
        {"veteran_nco_years": 8},
    )
    bad = SimpleUploadedFile("bad.csv", b"programme,applicant\nfuneral,nobody\n")
    refused = login("town-guzhen").post("/cases/import/", {"file": bad})
    assert refused.status_code == 422
    body = refused.content.decode()
    assert "bad.csv: 1 error(s); nothing was imported." in body
    # The one import framework's header message (issue 11, deliverable 6).
    assert "<td>1</td><td></td><td></td><td>missing column(s): applied_on</td>" in body


@pytest.mark.sqlite_file
def test_killing_the_import_process_midway_leaves_the_database_as_before(tmp_path):
    rows = 2000
    prepared = json.loads(run(tmp_path, "prepare", str(rows)))
    before = json.loads(run(tmp_path, "count"))
    csv_file = tmp_path / "applications.csv"
    csv_file.write_text(
        "programme,applicant,applied_on,documents\n"
        + "".join(
            f"funeral,{key},2015-06-22,death_certificate\n" for key in prepared["keys"]
        ),
        encoding="utf-8",
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "equiserve.cli",
            "cases",
            "import",
            str(csv_file),
            "--user",
            # A town officer: a department imports only persons it already
            # sees (issue 10, finding 3).
            "town-xiaolan",
            "--lang",
            "en",
            "--progress",
        ],
        env=environment(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    # The first progress line is printed inside the import's transaction, after
    # every row was checked. The test then stops reading: once the pipe is full
    # the import blocks before it can commit, and is killed there.
    first = process.stdout.readline().decode()
    assert first.startswith("row 2: C") and first.rstrip().endswith(
        "(not yet committed)"
    )
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    after = json.loads(run(tmp_path, "count"))
    assert (
        after
        == before
        == {"cases": 1, "decisions": 0, "audit": after["audit"], "chain_ok": True}
    )
    # The database is not left locked: the next import goes through.
    csv_file.write_text(
        f"programme,applicant,applied_on\nfuneral,{prepared['keys'][0]},2015-06-22\n",
        encoding="utf-8",
    )
    again = subprocess.run(
        [
            sys.executable,
            "-m",
            "equiserve.cli",
            "cases",
            "import",
            str(csv_file),
            "--user",
            # A town officer: a department imports only persons it already
            # sees (issue 10, finding 3).
            "town-xiaolan",
            "--lang",
            "en",
        ],
        env=environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == "applications.csv: 1 applications registered."
    assert json.loads(run(tmp_path, "count"))["cases"] == 2
