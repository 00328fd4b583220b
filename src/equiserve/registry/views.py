"""Pages of the registry: persons (list, record, export), households, import."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from equiserve.accounts.scope import town_list_for
from equiserve.choices import choices_for
from equiserve.imports.views import import_page
from equiserve.registry import permissions, selectors, services
from equiserve.registry.exports import XLSX, persons_workbook
from equiserve.registry.importing.files import PERSONS_OPTIONAL
from equiserve.registry.sections import person_sections

PAGE_SIZE = 50


def _reader(request) -> None:
    if not permissions.reads_registry(request.user):
        raise PermissionDenied


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


@login_required
@require_GET
def person_list(request):
    """List the persons in the user's scope, ID numbers masked; htmx filters."""
    _reader(request)
    filters = selectors.PersonFilters.from_query(request.GET)
    persons = selectors.person_list(user=request.user, filters=filters)
    page = Paginator(persons, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "query": filters.as_dict(),
        "towns": town_list_for(request.user),
        "hukou_choices": choices_for("hukou"),
        "can_import": permissions.import_scope(request.user) is not None,
        "can_export": permissions.exports_persons(request.user),
    }
    template = (
        "registry/_persons_table.html"
        if _is_htmx(request)
        else "registry/person_list.html"
    )
    return render(request, template, context)


@login_required
@require_GET
def person_detail(request, public_id):
    """Show one person's full record, log the view, include other apps' sections."""
    person = permissions.access_person(request.user, public_id)
    services.person_view_record(
        actor=request.user, person=person, channel="page", request=request
    )
    household = person.household
    context = {
        "person": person,
        "health": permissions.health_of(request.user, person),
        "sees_health": permissions.sees_health(request.user),
        "members": selectors.visible_members(request.user, household),
        "sees_household": permissions.sees_household(request.user, household),
        "history": selectors.household_history(household) if household else [],
        "sections": person_sections(request, person),
    }
    return render(request, "registry/person_detail.html", context)


@login_required
@require_GET
def household_detail(request, public_id):
    """Show a household, its members (masked) and its history."""
    household = permissions.access_household(request.user, public_id)
    services.household_view_record(
        actor=request.user, household=household, request=request
    )
    context = {
        "household": household,
        "members": selectors.visible_members(request.user, household),
        "history": selectors.household_history(household),
    }
    return render(request, "registry/household_detail.html", context)


@login_required
@require_GET
def person_export(request):
    """Export the filtered, scoped list to XLSX with masked ID numbers; log it.

    Bulk access, for town officers only (issue 10, finding 1).
    """
    if not permissions.exports_persons(request.user):
        raise PermissionDenied
    filters = selectors.PersonFilters.from_query(request.GET)
    persons = selectors.person_list(user=request.user, filters=filters)
    content, written = persons_workbook(persons)
    services.persons_export_record(
        actor=request.user,
        person_ids=written,
        filters=filters.as_dict(),
        file_format="xlsx",
        request=request,
    )
    response = HttpResponse(content, content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="persons-{stamp}.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def registry_import(request):
    """Upload persons and households (CSV/XLSX); show the row-by-row report."""
    return import_page(
        request,
        what="registry",
        run=lambda **upload: services.registry_import(**upload),
        context={
            "title": _("Import persons and households"),
            "back_url": reverse("registry:persons"),
            "back_label": _("Persons"),
            "accept": ".csv,.xlsx",
            "help": [
                _(
                    "Persons, households, or both (an XLSX workbook with one sheet "
                    "each). Nothing is imported unless every row is right."
                ),
                _(
                    "Persons: key, id_number, name, hukou and town are required; "
                    "birth_date and sex are read from the ID number when left blank. "
                    "Optional: %(columns)s."
                )
                % {"columns": ", ".join(PERSONS_OPTIONAL)},
                _(
                    "Households: key and town are required; village, floor_area_m2, "
                    "annual_income and assets are optional."
                ),
            ],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_new(request):
    """Register one person at the window, without a file (issue 14, deliverable 2)."""
    from django.contrib import messages
    from django.core.exceptions import ValidationError
    from django.shortcuts import redirect

    from equiserve.registry.forms import PersonRegisterForm

    town = permissions.registration_town(request.user)
    if town is None:
        raise PermissionDenied
    form = PersonRegisterForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                arguments = _registration(request.user, form)
                person = services.person_register(
                    town=town, actor=request.user, request=request, **arguments
                )
            except ValidationError as refused:
                for field, errors in refused.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request,
                    _(
                        "%(name)s is registered as %(key)s: born %(born)s, "
                        "registration area %(area)s (read from the ID number)."
                    )
                    % {
                        "name": person.name,
                        "key": person.key,
                        "born": person.birth_date.isoformat(),
                        "area": services.registration_area(person.id_number),
                    },
                )
                return redirect("registry:person", public_id=person.public_id)
    from equiserve.formatting import town_name

    context = {"form": form, "town": town, "town_label": town_name(town.code)}
    return render(request, "registry/person_new.html", context, status=status)


def _registration(user, form) -> dict:
    """Return the service's arguments; an unknown household number is a form error."""
    from django.core.exceptions import ValidationError

    data = form.cleaned_data
    household = None
    if data["household"] == "existing":
        household = (
            permissions.household_list_for(user)
            .filter(key=data["household_key"].strip())
            .first()
        )
        if household is None:
            raise ValidationError(
                {"household_key": _("No such household in your town.")}
            )
    return {
        "id_number": data["id_number"],
        "name": data["name"],
        "hukou": data["hukou"],
        "household": household,
        "new_household": data["household"] == "new",
        "relation_to_head": data["relation_to_head"],
    }


@login_required
@require_GET
def person_search(request):
    """Find persons by name or number as the clerk types (htmx), within their reach."""
    _reader(request)
    q = (request.GET.get("q") or "").strip()[:64]
    persons = (
        selectors.person_list(user=request.user, filters=selectors.PersonFilters(q=q))[
            :10
        ]
        if len(q) >= 1
        else []
    )
    return render(request, "registry/_person_search.html", {"persons": persons, "q": q})
