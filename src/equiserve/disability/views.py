"""Pages of disability services: coverage, the register, a person's services,
the institutions (clause 3.9, issue 17)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from equiserve.accounts.scope import ALL_TOWNS
from equiserve.disability import exports, permissions, selectors, services
from equiserve.disability.forms import RegisterForm, ServiceForm, WaitingForm
from equiserve.disability.models import ServiceKind
from equiserve.spreadsheets import xlsx_response

PAGE_SIZE = 100


def _year(request) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = selectors.latest_service_year(today.year)
    return min(max(year, 2000), today.year + 1)


def _kind(request) -> str:
    kind = request.GET.get("kind", "")
    return kind if kind in ServiceKind.values else ""


@login_required
@require_GET
def coverage(request):
    """Show the share of registered persons served, by town, category and grade."""
    permissions.require_reader(request.user)
    year, kind = _year(request), _kind(request)
    towns = permissions.towns_of(request.user)
    tables = selectors.coverage(year=year, towns=towns, kind=kind)
    if request.GET.get("format") == "xlsx":
        body = exports.coverage_workbook(tables, year=year, kind=kind)
        return xlsx_response(body, f"coverage-{year}.xlsx")
    context = {
        "year": year,
        "kind": kind,
        "kinds": ServiceKind.choices,
        "tables": tables,
        "network": selectors.kangyuan_network(on=timezone.localdate(), towns=towns),
        "city_wide": towns is ALL_TOWNS,
    }
    return render(request, "disability/coverage.html", context)


@login_required
@require_GET
def register(request):
    """List the register in the user's scope."""
    permissions.require_reader(request.user)
    records = permissions.record_list_for(request.user).order_by(
        "person__town_id", "person__key"
    )
    if request.GET.get("format") == "xlsx":
        # Bulk personal data: for those who record, as the registry's export
        # is for town officers only (issue 10, finding 1).
        permissions.require_recorder(request.user)
        return xlsx_response(
            exports.register_workbook(records), "disability-register.xlsx"
        )
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "records": permissions.records(request.user)}
    return render(request, "disability/register.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def register_new(request):
    """Put a person with a disability certificate on the register."""
    permissions.require_recorder(request.user)
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = selectors.person_for(
            permissions.towns_of(request.user), data["id_number"], data["name"]
        )
        if person is None:
            form.add_error(
                None, _("No person with this ID number and name in your towns.")
            )
        else:
            try:
                record = services.disability_register(
                    person=person,
                    certificate_number=data["certificate_number"],
                    category=data["category"],
                    grade=data["grade"],
                    issued_on=data["issued_on"],
                    actor=request.user,
                    request=request,
                )
            except services.DisabilityError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Registered."))
                return redirect("disability:record", pk=record.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "disability/register_form.html", {"form": form}, status=status
    )


@login_required
@require_GET
def record_detail(request, pk: int):
    """Show a person's certificate, services and waiting lists."""
    record = permissions.access_record(request.user, pk)
    today = timezone.localdate()
    context = {
        "record": record,
        "services": record.services.select_related("institution").order_by(
            "start_date", "pk"
        ),
        "waiting": record.waiting.select_related("institution").order_by("since", "pk"),
        "records": permissions.records(request.user),
        "service_form": ServiceForm(initial={"start_date": today}),
        "waiting_form": WaitingForm(initial={"since": today}),
    }
    return render(request, "disability/record_detail.html", context)


@login_required
@require_POST
def service_add(request, pk: int):
    """Record a service to the person (federation, town officer)."""
    record = permissions.access_record_for_change(request.user, pk)
    form = ServiceForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for e in form.errors.values() for m in e))
        return redirect("disability:record", pk=record.pk)
    data = form.cleaned_data
    try:
        services.service_record(
            record=record,
            kind=data["kind"],
            institution=data["institution"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            cost=data["cost"],
            attendance_days=data["attendance_days"] or 0,
            actor=request.user,
            request=request,
        )
        messages.success(request, _("Service recorded."))
    except services.DisabilityError as error:
        messages.error(request, str(error))
    return redirect("disability:record", pk=record.pk)


@login_required
@require_POST
def waiting_add(request, pk: int):
    """Put the person on an institution's waiting list."""
    record = permissions.access_record_for_change(request.user, pk)
    form = WaitingForm(request.POST)
    if form.is_valid():
        try:
            services.waiting_add(
                record=record,
                institution=form.cleaned_data["institution"],
                since=form.cleaned_data["since"],
                actor=request.user,
                request=request,
            )
            messages.success(request, _("Added to the waiting list."))
        except services.DisabilityError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, " ".join(m for e in form.errors.values() for m in e))
    return redirect("disability:record", pk=record.pk)


@login_required
@require_GET
def institutions(request):
    """List the institutions with capacity, occupancy and waiting lists today."""
    permissions.require_reader(request.user)
    rows = selectors.institution_rows(
        on=timezone.localdate(), towns=permissions.towns_of(request.user)
    )
    if request.GET.get("format") == "xlsx":
        return xlsx_response(exports.institutions_workbook(rows), "institutions.xlsx")
    return render(request, "disability/institutions.html", {"rows": rows})


@login_required
@require_GET
def waiting(request):
    """List who waits for a place today, in the user's towns; one institution's
    list with `?institution=`."""
    permissions.require_reader(request.user)
    today = timezone.localdate()
    code = request.GET.get("institution", "")[:32]
    entries = selectors.waiting_list(
        on=today, towns=permissions.towns_of(request.user), institution=code
    )
    context = {
        "rows": [{"entry": e, "days": (today - e.since).days} for e in entries],
        "institution": code,
        "institutions": selectors.institution_rows(
            on=today, towns=permissions.towns_of(request.user)
        ),
    }
    return render(request, "disability/waiting.html", context)
