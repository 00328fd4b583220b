"""Pages of the projects tracker: the list with its Gantt chart, a project, the
overdue list, and the lead department's updates (issue 17, deliverable 4)."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from equiserve.accounts.models import Department
from equiserve.accounts.scope import scope_of
from equiserve.projects import exports, forms, permissions, selectors, services
from equiserve.projects.models import Milestone, MilestoneStatus
from equiserve.spreadsheets import xlsx_response


def _lang() -> str:
    return "en" if (get_language() or "").startswith("en") else "zh"


def _department_filter(request) -> str:
    value = request.GET.get("department", "")
    return value if value in Department.values else ""


@login_required
@require_GET
def project_list(request):
    """List the plan's projects with their money, and draw them on a Gantt chart."""
    permissions.require_reader(request.user)
    department = _department_filter(request)
    context = {
        "budgets": selectors.project_budgets(department=department or None),
        "department": department,
        "departments": Department.choices,
        "sets_up": permissions.sets_up_projects(request.user),
    }
    return render(request, "projects/project_list.html", context)


@login_required
@require_GET
def project_detail(request, code: str):
    """Show a project: milestones, spending, documents; its department updates them."""
    project = permissions.access_project(request.user, code)
    context = {
        "project": project,
        "budget": selectors.project_budgets(
            department=project.lead_department, town_code=project.town_id
        ),
        "milestones": project.milestones.order_by("position", "pk"),
        "spendings": project.spendings.order_by("paid_on", "pk"),
        "documents": project.documents.defer("content").order_by("issued_on", "pk"),
        "writes": permissions.writes_project(request.user, project),
        "edits": permissions.edits_project(request.user, project),
        "document_form": forms.DocumentForm(
            initial={"issued_on": timezone.localdate()}
        ),
        "statuses": MilestoneStatus.choices,
        "today": timezone.localdate(),
    }
    context["budget"] = next(b for b in context["budget"] if b.code == project.code)
    return render(request, "projects/project_detail.html", context)


@login_required
@require_GET
def gantt_json(request):
    """Return the milestones a Gantt chart draws: one bar each, late ones marked."""
    permissions.require_reader(request.user)
    milestones = Milestone.objects.select_related("project").order_by(
        "project__clause", "project__code", "position", "pk"
    )
    if request.GET.get("project"):
        project = permissions.access_project(request.user, request.GET["project"])
        milestones = milestones.filter(project=project)
    elif _department_filter(request):
        milestones = milestones.filter(
            project__lead_department=_department_filter(request)
        )
    today, lang = timezone.localdate(), _lang()
    overdue = set(
        selectors.overdue_milestones(today=today)
        .filter(pk__in=[m.pk for m in milestones])
        .values_list("pk", flat=True)
    )
    rows = [
        {
            "project": m.project.name_en
            if lang == "en" and m.project.name_en
            else m.project.name,
            "name": m.name_en if lang == "en" and m.name_en else m.name,
            "start": m.planned_start.isoformat(),
            "end": m.planned_date.isoformat(),
            "actual": m.actual_date.isoformat() if m.actual_date else None,
            "status": m.status,
            "status_label": str(m.get_status_display()),
            "overdue": m.pk in overdue,
        }
        for m in milestones
    ]
    return JsonResponse({"today": today.isoformat(), "milestones": rows})


@login_required
@require_GET
def overdue_list(request):
    """List overdue milestones: every project for the office, one's own for a department."""
    department = permissions.overdue_department(request.user)
    milestones = selectors.overdue_milestones(
        today=timezone.localdate(), department=department or None
    )
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            exports.overdue_workbook(milestones, _lang()), "overdue.xlsx"
        )
    context = {"milestones": milestones, "department": department}
    return render(request, "projects/overdue.html", context)


@login_required
@require_GET
def export(request):
    """Return every project with its money and milestones as XLSX."""
    permissions.require_reader(request.user)
    department = _department_filter(request) or None
    milestones = Milestone.objects.select_related("project").order_by(
        "project__clause", "project__code", "position", "pk"
    )
    if department:
        milestones = milestones.filter(project__lead_department=department)
    body = exports.projects_workbook(
        selectors.project_budgets(department=department), milestones, _lang()
    )
    return xlsx_response(body, "projects.xlsx")


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        raise services.ProjectError(
            _("Not a date: %(text)s") % {"text": text}
        ) from None


@login_required
@require_POST
def milestone_update(request, pk: int):
    """Record a milestone done, late or pending (its lead department)."""
    milestone = permissions.access_milestone_for_change(request.user, pk)
    try:
        services.milestone_update(
            milestone=milestone,
            status=request.POST.get("status", ""),
            actual_date=_date(request.POST.get("actual_date", "")),
            note=request.POST.get("note", "")[:300],
            actor=request.user,
            request=request,
        )
        messages.success(request, _("Milestone saved."))
    except services.ProjectError as error:
        messages.error(request, str(error))
    return redirect("projects:project", code=milestone.project.code)


@login_required
@require_POST
def spending_add(request, code: str):
    """Record money paid on a project (its lead department)."""
    project = permissions.access_project_for_change(request.user, code)
    try:
        try:
            amount = Decimal(request.POST.get("amount", "").replace(",", ""))
        except InvalidOperation:
            raise services.ProjectError(
                _("An amount is a positive sum in yuan, to the fen.")
            ) from None
        services.spending_record(
            project=project,
            paid_on=_date(request.POST.get("paid_on", "")) or timezone.localdate(),
            amount=amount,
            description=request.POST.get("description", "")[:200],
            actor=request.user,
            request=request,
        )
        messages.success(request, _("Spending recorded."))
    except services.ProjectError as error:
        messages.error(request, str(error))
    return redirect("projects:project", code=project.code)


def _project_page(request, project, *, initial=None, milestones=()):
    """Parse and save the project form; return the page or the redirect."""
    chooses = permissions.chooses_department(request.user)
    Form = forms.project_form(new=project is None, chooses_department=chooses)
    form = Form(request.POST or None, initial=initial)
    formset = forms.MilestoneFormSet(
        request.POST or None, initial=list(milestones), prefix="milestones"
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        fields = dict(form.cleaned_data)
        if not chooses:
            # A department sets up its own projects only.
            fields["lead_department"] = (
                project.lead_department
                if project
                else scope_of(request.user).acting_department
            )
        try:
            saved = services.project_save(
                project=project,
                fields=fields,
                milestones=forms.milestone_rows(formset),
                actor=request.user,
                request=request,
            )
        except services.ProjectError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Project saved."))
            return redirect("projects:project", code=saved.code)
    context = {"form": form, "formset": formset, "project": project}
    status = 422 if request.method == "POST" else 200
    return render(request, "projects/project_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def project_new(request):
    """Set a new project up with its milestones (the office, a department)."""
    permissions.require_setup(request.user)
    return _project_page(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request, code: str):
    """Change a project and its milestones (the office, its lead department)."""
    project = permissions.access_project_for_edit(request.user, code)
    initial = {name: getattr(project, name) for name in services.PROJECT_FIELDS}
    initial["town"] = project.town_id
    milestones = project.milestones.order_by("position", "pk").values(
        "id", *services.MILESTONE_FIELDS
    )
    return _project_page(request, project, initial=initial, milestones=milestones)


@login_required
@require_POST
def document_upload(request, code: str):
    """File a document for a project (the office, its lead department)."""
    project = permissions.access_project_for_edit(request.user, code)
    form = forms.DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.document_upload(
                project=project,
                title=data["title"],
                reference=data["reference"],
                issued_on=data["issued_on"],
                filename=data["file"].name,
                content=data["file"].read(),
                actor=request.user,
                request=request,
            )
        except services.ProjectError as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, _("Document filed."))
            return redirect("projects:project", code=project.code)
    status = 413 if form.has_error("file", forms.TOO_LARGE) else 422
    context = {"project": project, "document_form": form}
    return render(request, "projects/document_form.html", context, status=status)


@login_required
@require_GET
def document_download(request, code: str, pk: int):
    """Send a project's document as an attachment to a reader; audit it."""
    document = permissions.access_document(request.user, code, pk)
    services.document_downloaded(document=document, actor=request.user, request=request)
    response = HttpResponse(bytes(document.content), content_type=document.content_type)
    response["Content-Disposition"] = content_disposition_header(
        True, document.filename
    )
    return response
