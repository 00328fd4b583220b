"""Pages: compliance by town and by standard, the fitness circle, the map, exports."""

import datetime as dt
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from equiserve.accounts.scope import access_town, visible_towns
from equiserve.audit.models import AuditEntry
from equiserve.audit.services import audit_record
from equiserve.facilities import selectors
from equiserve.facilities.exports import export_filename, report_workbook
from equiserve.facilities.presentation import (
    STATUS_LABELS,
    VILLAGE_STATUSES,
    check_context,
    circle_context,
    findings_listing,
    town_options,
    villages_listing,
)
from equiserve.facilities.services import facilities_import
from equiserve.facilities.standards import STANDARDS_BY_ID, ParametersMissing
from equiserve.imports.views import import_page

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class BadDate(ValueError):
    pass


def _date(request) -> dt.date:
    text = request.GET.get("date", "")
    if not text:
        return selectors.default_date()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise BadDate(text) from None


def _dated(view):
    """Parse ?date= for a view; a bad date is a 400, not a crash."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            date = _date(request)
        except BadDate:
            return HttpResponseBadRequest(_("The date must be written YYYY-MM-DD."))
        try:
            return view(request, date, *args, **kwargs)
        except ParametersMissing:
            return HttpResponseBadRequest(
                _("The plan's standards are not in force on %(date)s.")
                % {"date": date.isoformat()}
            )

    return wrapper


@login_required
@_dated
def overview(request, date):
    """Show every visible town against every standard, the circle and the map."""
    towns = visible_towns(request.user)
    check = selectors.standards_check(date=date, town_codes=towns)
    circle = selectors.fitness_circle(date=date, town_codes=towns)
    context = check_context(check) | circle_context(circle)
    return render(request, "facilities/overview.html", {"date": date, **context})


@login_required
@_dated
def town_detail(request, date, code):
    """Show one town's findings, standard by standard, and its villages' circle."""
    town = access_town(request.user, code)
    check = selectors.standards_check(date=date, town_codes=[town.code])
    circle = selectors.fitness_circle(date=date, town_codes=[town.code])
    context = check_context(check) | circle_context(circle)
    return render(
        request, "facilities/town.html", {"date": date, "town": town, **context}
    )


@login_required
@_dated
def standard_detail(request, date, standard_id):
    """Show one standard's findings in every visible town."""
    standard = STANDARDS_BY_ID.get(standard_id)
    if standard is None:
        raise Http404("no such standard")
    check = selectors.standards_check(date=date, town_codes=visible_towns(request.user))
    context = check_context(check, standard_id=standard.id)
    findings = [row for group in context["by_standard"] for row in group["findings"]]
    return render(
        request,
        "facilities/standard.html",
        {
            "date": date,
            "standard": standard,
            "listing": findings_listing(request.GET, findings),
            "towns": town_options({row["town"] for row in findings if row["town"]}),
            "statuses": STATUS_LABELS.items(),
            **context,
        },
    )


@login_required
@_dated
def circle(request, date):
    """Show the 15-minute fitness circle by town, registration, age band, village."""
    report = selectors.fitness_circle(date=date, town_codes=visible_towns(request.user))
    context = circle_context(report)
    villages = context["circle_villages"]
    return render(
        request,
        "facilities/circle.html",
        {
            "date": date,
            "listing": villages_listing(request.GET, villages),
            "towns": town_options({row["town"] for row in villages}),
            "statuses": VILLAGE_STATUSES.items(),
            **context,
        },
    )


@login_required
@_dated
def map_json(request, date):
    """Return the map's data for the visible towns (or ?town=)."""
    towns = _towns(request)
    report = selectors.fitness_circle(date=date, town_codes=towns)
    data = selectors.map_data(date=date, town_codes=towns, circle=report)
    return JsonResponse(data)


def _towns(request) -> list[str] | None:
    code = request.GET.get("town")
    if code:
        return [access_town(request.user, code).code]
    return visible_towns(request.user)


@login_required
@_dated
def export_xlsx(request, date):
    """Download the standards check and the fitness circle as one workbook."""
    towns = _towns(request)
    check = selectors.standards_check(date=date, town_codes=towns).as_dict()
    circle_data = selectors.circle_as_dict(
        selectors.fitness_circle(date=date, town_codes=towns)
    )
    town = towns[0] if towns and len(towns) == 1 else None
    audit_record(
        actor=request.user,
        action=AuditEntry.Action.EXPORT,
        object_type="facilities.report",
        town_code=town or "",
        summary=f"standards and fitness circle on {date.isoformat()}",
        request=request,
    )
    response = HttpResponse(report_workbook(check, circle_data), content_type=XLSX)
    name = export_filename("facilities", date, town)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_facilities(request):
    """Upload a CSV, XLSX or GeoJSON file of facilities; all rows or none."""
    return import_page(
        request,
        what="facilities",
        run=lambda **upload: facilities_import(**upload),
        context={
            "title": _("Import facilities"),
            "back_url": reverse("facilities:overview"),
            "back_label": _("Standards"),
            "accept": ".csv,.xlsx,.geojson,.json",
            "help": [
                _(
                    "A CSV, XLSX or GeoJSON file with one facility per row (GeoJSON: "
                    "one Point feature each). Columns are the field names of the XLSX "
                    "export; rows are matched by code. If any row has a problem, "
                    "nothing is imported and every problem is listed."
                )
            ],
        },
    )
