"""The one import page: upload, check all rows, report, or the error workbook."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpResponse
from django.shortcuts import render

from equiserve.imports.forms import TOO_LARGE, ImportForm
from equiserve.imports.permissions import access_import
from equiserve.imports.report import ImportReport
from equiserve.imports.workbook import error_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WANTS_WORKBOOK = "error_workbook"


def import_page(
    request,
    *,
    what: str,
    run: Callable[..., ImportReport],
    context: dict,
) -> HttpResponse:
    """Serve an import page: 404 unless allowed, 413 too large, 422 any problem.

    `run(content=, filename=, actor=, request=)` is the importer's service;
    `context` gives the page its title, back link, accepted types and help.
    The second button answers a failed file with the error workbook.
    """
    access_import(request.user, what)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = run(
            content=upload.read(),
            filename=upload.name,
            actor=request.user,
            request=request,
        )
        if not report.ok and WANTS_WORKBOOK in request.POST:
            response = HttpResponse(error_workbook(report), content_type=XLSX)
            response["Content-Disposition"] = 'attachment; filename="problems.xlsx"'
            return response
        if report.ok:
            form = ImportForm()
    if form.has_error("file", TOO_LARGE):
        status = 413
    elif form.errors or (report is not None and not report.ok):
        status = 422
    else:
        status = 200
    page = {"form": form, "report": report, "wants_workbook": WANTS_WORKBOOK}
    return render(request, "imports/import.html", page | context, status=status)
