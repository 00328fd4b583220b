"""A project's documents (issue 17, deliverable 4): filed by the office or the
lead department within the imports' size limit and only as the office formats
they claim to be; listed and downloaded by the project's readers, always as an
attachment, every download audited."""

import hashlib
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from equiserve.audit.models import AuditEntry
from equiserve.projects.documents import clean_filename
from equiserve.projects.models import ProjectDocument
from equiserve.projects.tests.factories import PDF, make_document, make_project

FORM = {
    "title": "可行性研究报告",
    "reference": "中发改〔2015〕3号",
    "issued_on": "2015-04-01",
}


def _docx(part: str = "word/document.xml") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def project(demo_accounts):
    return make_project(code="childrens-school")


def _upload(client, project, name, content, **form):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    return client.post(
        f"/projects/{project.code}/documents/", FORM | form | {"file": upload}
    )


def test_the_lead_department_files_a_pdf_and_readers_download_it(project, login):
    response = _upload(login("disabled-federation"), project, "报告.pdf", PDF)
    assert response.status_code == 302
    document = ProjectDocument.objects.get()
    assert (document.filename, document.content_type, document.size) == (
        "报告.pdf",
        "application/pdf",
        len(PDF),
    )
    assert document.sha256 == hashlib.sha256(PDF).hexdigest()
    filed = AuditEntry.objects.get(object_type="projects.document", action="create")
    assert filed.changes["sha256"] == document.sha256
    page = login("education").get(f"/projects/{project.code}/").content.decode()
    url = f"/projects/{project.code}/documents/{document.pk}/"
    assert f'href="{url}"' in page and "可行性研究报告" in page
    for username in ("education", "office", "auditor", "disabled-federation"):
        download = login(username).get(url)
        assert download.status_code == 200, username
        assert download.content == PDF
        assert download["Content-Type"] == "application/pdf"
        assert download["Content-Disposition"] == (
            "attachment; filename*=utf-8''%E6%8A%A5%E5%91%8A.pdf"
        )
    downloads = AuditEntry.objects.filter(
        object_type="projects.document", action="view"
    )
    assert downloads.count() == 4
    assert set(downloads.values_list("actor_username", flat=True)) == {
        "education",
        "office",
        "auditor",
        "disabled-federation",
    }


def test_another_department_cannot_file_and_a_town_cannot_download(project, login):
    response = _upload(login("education"), project, "a.pdf", PDF)
    assert response.status_code == 403
    assert _upload(login("auditor"), project, "a.pdf", PDF).status_code == 403
    assert _upload(login("town-xiaolan"), project, "a.pdf", PDF).status_code == 404
    assert not ProjectDocument.objects.exists()
    # The office files for any project.
    assert _upload(login("office"), project, "a.pdf", PDF).status_code == 302
    document = ProjectDocument.objects.get()
    url = f"/projects/{project.code}/documents/{document.pk}/"
    assert login("town-xiaolan").get(url).status_code == 404
    assert login("finance").get(url).status_code == 404
    # Under another project's code, the same document is not found.
    other = make_project(code="library", department="culture")
    wrong = f"/projects/{other.code}/documents/{document.pk}/"
    assert login("office").get(wrong).status_code == 404
    assert not AuditEntry.objects.filter(
        object_type="projects.document", action="view"
    ).exists()


def test_a_reference_only_document_has_nothing_to_download(project, login):
    entry = ProjectDocument.objects.create(
        project=project, title="实施方案", issued_on="2014-03-01"
    )
    url = f"/projects/{project.code}/documents/{entry.pk}/"
    assert login("office").get(url).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "setup.exe",
            b"MZ\x90\x00",
            "A document is a file of type .pdf, .doc, .xls, .docx, .xlsx, .jpg, "
            ".jpeg, .png; setup.exe is not.",
        ),
        (
            "page.html",
            b"<html><script>alert(1)</script></html>",
            "A document is a file of type .pdf, .doc, .xls, .docx, .xlsx, .jpg, "
            ".jpeg, .png; page.html is not.",
        ),
        (
            "page.pdf",
            b"<html><script>alert(1)</script></html>",
            "The file page.pdf is not a .pdf file inside.",
        ),
        ("plan.docx", PDF, "The file plan.docx is not a .docx file inside."),
        (
            "book.xlsx",
            _docx(),  # a Word file renamed: no workbook part inside
            "The file book.xlsx is not a .xlsx file inside.",
        ),
        ("noname", PDF, "noname is not."),
        (".pdf", PDF, "A document is a file of type"),
    ],
)
def test_a_file_not_of_an_office_format_is_refused_with_the_reason(
    project, login, name, content, message
):
    response = _upload(login("disabled-federation"), project, name, content)
    assert response.status_code == 422
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not ProjectDocument.objects.exists()
    assert not AuditEntry.objects.filter(object_type="projects.document").exists()


def test_an_empty_file_is_refused(project, login):
    response = _upload(login("disabled-federation"), project, "a.pdf", b"")
    assert response.status_code == 422
    # Django's own message for an empty upload, before the checks here.
    assert "The submitted file is empty." in response.content.decode()
    assert not ProjectDocument.objects.exists()


def test_a_file_over_the_import_limit_is_refused_before_it_is_read(
    project, login, settings
):
    settings.EQUISERVE_IMPORT_MAX_BYTES = 2**20  # 1 MB
    big = PDF + b"0" * (2**20)
    response = _upload(login("disabled-federation"), project, "big.pdf", big)
    assert response.status_code == 413
    assert "The file is 1.0 MB; a document may be at most 1 MB." in (
        response.content.decode()
    )
    assert not ProjectDocument.objects.exists()


def test_a_word_file_is_kept_and_served_as_word(project, login):
    content = _docx()
    response = _upload(login("disabled-federation"), project, "方案.docx", content)
    assert response.status_code == 302
    document = ProjectDocument.objects.get()
    download = login("office").get(f"/projects/{project.code}/documents/{document.pk}/")
    assert download["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert download.content == content


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\王\\报告.pdf", "报告.pdf"),
        ('a"b\r\n.pdf', "ab.pdf"),
        ("x" * 300 + ".pdf", "x" * 196 + ".pdf"),
    ],
)
def test_a_file_name_keeps_no_folder_quote_or_control_character(given, kept):
    assert clean_filename(given) == kept


def test_the_api_lists_and_downloads_with_the_same_rules(project, login, token):
    document = make_document(project, title="批复")
    ProjectDocument.objects.create(
        project=project, title="旧文", issued_on="2014-01-01"
    )
    headers = {"Authorization": f"Bearer {token('education')}"}
    client = login(None)
    listed = client.get(f"/api/v1/projects/{project.code}/documents", headers=headers)
    assert listed.status_code == 200
    assert [(d["title"], d["filename"], d["size"]) for d in listed.json()] == [
        ("旧文", "", 0),
        ("批复", "plan.pdf", len(PDF)),
    ]
    url = f"/api/v1/projects/{project.code}/documents/{document.pk}"
    download = client.get(url, headers=headers)
    assert download.status_code == 200
    assert download.content == PDF
    assert download["Content-Disposition"] == 'attachment; filename="plan.pdf"'
    assert AuditEntry.objects.filter(
        object_type="projects.document", action="view", actor_username="education"
    ).exists()
    town = {"Authorization": f"Bearer {token('town-xiaolan')}"}
    assert client.get(url, headers=town).status_code == 404
