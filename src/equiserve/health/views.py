"""The health registries' pages: counts for every officer, records for the health role."""

import datetime as dt
import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from equiserve.formatting import town_name
from equiserve.health import fhir, permissions, selectors, services
from equiserve.health.forms import DayForm, FollowUpForm, MigrantServiceForm
from equiserve.health.models import PilotSchool
from equiserve.health.vocabulary import kind_label
from equiserve.registry.models import Person

# The plan's last day: the pages count on it unless another day is asked for.
PLAN_END = dt.date(2016, 12, 31)


def day_of(request) -> dt.date:
    """Return the day asked for (`?on=`), else today or the plan's last day."""
    form = DayForm(request.GET)
    if form.is_valid() and form.cleaned_data["on"]:
        return form.cleaned_data["on"]
    return min(dt.date.today(), PLAN_END)


def town_rows(day, exact: bool):
    """Return per town: name, patients, managed and controlled rates (or "<10")."""
    rows = []
    for code, counts in sorted(selectors.t1d_counts_by_town(day).items()):
        small = not exact and counts.patients < permissions.SMALL_CELL
        rows.append(
            {
                "town": town_name(code),
                "patients": permissions.suppress(counts.patients, exact=exact),
                "managed_rate": None if small else counts.managed_rate,
                "controlled_rate": None if small else counts.controlled_rate,
            }
        )
    return rows


@login_required
@require_GET
def overview(request):
    """Show the 3.3.2 rates and the 3.3.1 pilot's indicators on a day."""
    permissions.require_counts(request.user)
    day = day_of(request)
    exact = permissions.is_health(request.user)
    pilot = selectors.pilot_counts(day)
    context = {
        "day": day,
        "counts": selectors.t1d_counts(day),
        "towns": town_rows(day, exact),
        "pilot": {
            name: permissions.suppress(getattr(pilot, name), exact=exact)
            for name in pilot.__dataclass_fields__
        },
        "is_health": exact,
        "school": permissions.school_of(request.user),
    }
    return render(request, "health/overview.html", context)


@login_required
@require_GET
def patient_list(request):
    """List the type-1 diabetes patients the user may read (health role)."""
    permissions.require_health(request.user)
    day = day_of(request)
    patients = list(permissions.enrolment_list_for(request.user).order_by("pk"))
    services.list_view_record(
        actor=request.user,
        what=services.T1D_PATIENT,
        count=len(patients),
        request=request,
    )
    rows = [(p, selectors.status_on(p, day)) for p in patients]
    return render(request, "health/patient_list.html", {"rows": rows, "day": day})


@login_required
@require_GET
def patient_detail(request, public_id):
    """Show a patient's visits, dispensings and status; the read is audited."""
    enrolment = permissions.access_enrolment(request.user, public_id)
    services.enrolment_view_record(
        actor=request.user, enrolment=enrolment, channel="page", request=request
    )
    day = day_of(request)
    follow_ups, dispensings = selectors.enrolment_detail(enrolment)
    context = {
        "enrolment": enrolment,
        "status": selectors.status_on(enrolment, day),
        "rules": selectors.Definitions.on(day),
        "follow_ups": follow_ups,
        "dispensings": dispensings,
        "day": day,
    }
    return render(request, "health/patient_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def follow_up_new(request, public_id):
    """Record a follow-up visit (health role; a hospital user for its patients)."""
    enrolment = permissions.access_enrolment(request.user, public_id)
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_record(
                enrolment=enrolment,
                actor=request.user,
                request=request,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("health:patient", public_id=enrolment.public_id)
    return render(
        request, "health/follow_up_form.html", {"form": form, "enrolment": enrolment}
    )


def school_rows(user, day):
    """Return the pilot schools with their counts, exact where the user reads records."""
    rows = []
    for school in PilotSchool.objects.select_related("town").order_by("code"):
        exact = permissions.reads_school(user, school)
        counts = selectors.pilot_counts(day, schools=[school])
        rows.append(
            {
                "school": school,
                "records": exact,
                "counts": {
                    name: permissions.suppress(getattr(counts, name), exact=exact)
                    for name in (
                        "teachers_certified",
                        "screened",
                        "referred",
                        "followed_up",
                    )
                },
            }
        )
    return rows


@login_required
@require_GET
def school_list(request):
    """List the pilot schools with their counts (small cells suppressed)."""
    permissions.require_counts(request.user)
    day = day_of(request)
    context = {"rows": school_rows(request.user, day), "day": day}
    return render(request, "health/school_list.html", context)


@login_required
@require_GET
def school_detail(request, code):
    """Show a school's pupils' screenings and referrals (health role, own teacher)."""
    school = permissions.access_school_records(request.user, code)
    services.school_view_record(actor=request.user, school=school, request=request)
    screenings = (
        permissions.screening_list_for(request.user)
        .filter(school=school)
        .select_related("referral")
        .order_by("screened_on", "pk")
    )
    return render(
        request,
        "health/school_detail.html",
        {"school": school, "screenings": screenings},
    )


@login_required
@require_GET
def fhir_export(request):
    """Download the patients the user reads as a FHIR R4 bundle (health role)."""
    permissions.require_health(request.user)
    enrolments = permissions.enrolment_list_for(request.user)
    bundle = fhir.bundle_export(enrolments)
    services.export_record(
        actor=request.user, count=enrolments.count(), request=request
    )
    response = HttpResponse(
        json.dumps(bundle, ensure_ascii=False), content_type="application/fhir+json"
    )
    response["Content-Disposition"] = 'attachment; filename="t1d-registry.json"'
    return response


@login_required
@require_GET
def migrant_service_list(request):
    """List the free 3.3.4 services recorded (health role); the read is audited."""
    permissions.require_health(request.user)
    records = list(
        permissions.migrant_service_list_for(request.user).order_by(
            "-delivered_on", "-pk"
        )[:500]
    )
    services.list_view_record(
        actor=request.user,
        what=services.MIGRANT_SERVICE,
        count=len(records),
        request=request,
    )
    rows = [(record, kind_label(record.kind)) for record in records]
    return render(request, "health/migrant_service_list.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def migrant_service_new(request):
    """Record a free 3.3.4 service; the engine decides who may have it (health role)."""
    permissions.require_health(request.user)
    form = MigrantServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        person = Person.objects.filter(id_number=data.pop("id_number").upper()).first()
        if person is None:
            form.add_error(
                "id_number", _("No person with this ID number in the registry.")
            )
        else:
            try:
                services.migrant_service_record(
                    person=person, actor=request.user, request=request, **data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("health:migrant_services")
    return render(request, "health/migrant_service_form.html", {"form": form})
