"""Pages of the labour register for the bureau and the town labour stations (3.7)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from equiserve.accounts.scope import access_town, town_list_for
from equiserve.employment import exports, forms, permissions, selectors, services
from equiserve.employment.matching import matches_for
from equiserve.employment.models import Outcome
from equiserve.monitoring.periods import (
    PERIODS,
    UnknownPeriod,
    current_period,
    period_get,
)

PAGE_SIZE = 100
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _period(request):
    try:
        return period_get(request.GET.get("period") or current_period().id)
    except UnknownPeriod:
        raise Http404("no such period") from None


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@login_required
@require_GET
def overview(request):
    """Show the unemployment rate by town and the communities meeting the standard."""
    permissions.require_reader(request.user)
    period = _period(request)
    towns = [t.code for t in town_list_for(request.user)]
    rates = selectors.rates_on(period.end, towns)
    communities = selectors.communities_on(period.end, towns)
    met = communities.group_by("town").agg(
        communities_met=communities["meets"].sum(),
        communities=communities["meets"].len(),
    )
    by_town = {row["town"]: row for row in met.iter_rows(named=True)}
    context = {
        "period": period,
        "periods": PERIODS,
        "rates": rates,
        "rows": [(code, rates["towns"].get(code), by_town.get(code)) for code in towns],
        "writes": permissions.writes_employment(request.user),
    }
    return render(request, "employment/overview.html", context)


@login_required
@require_GET
def seeker_list(request):
    """List the unemployment registrations in the user's scope, open first."""
    permissions.require_reader(request.user)
    registrations = permissions.registration_list_for(request.user).order_by(
        "ended_on", "-registered_on", "-pk"
    )
    if request.GET.get("format") == "xlsx":
        if not permissions.exports_named(request.user):
            raise PermissionDenied
        return _xlsx(exports.registrations_xlsx(registrations), "job-seekers")
    page = Paginator(registrations, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "writes": permissions.writes_employment(request.user)}
    return render(request, "employment/seeker_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def seeker_new(request):
    """Register a resident of the user's towns as unemployed (失业登记)."""
    permissions.require_writer(request.user)
    form = forms.SeekerForm(
        request.POST or None, initial={"registered_on": dt.date.today()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = permissions.access_person(request.user, data["id_number"])
            registration = services.seeker_register(
                person=person,
                registered_on=data["registered_on"],
                occupation=data["occupation"],
                wage_min=data["wage_min"],
                skills=data["skills"],
                actor=request.user,
                request=request,
            )
        except Http404:
            form.add_error(
                "id_number", _("No resident with this ID number in your towns.")
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("employment:seeker", pk=registration.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "employment/seeker_form.html", {"form": form}, status=status)


@login_required
@require_GET
def seeker_detail(request, pk: int):
    """Show a registration, its referrals and the best open vacancies in scope."""
    registration = permissions.access_registration(request.user, pk)
    writes = permissions.writes_employment(request.user)
    matches = []
    if registration.ended_on is None:
        matches = matches_for(registration, permissions.vacancy_list_for(request.user))
    context = {
        "registration": registration,
        "referrals": registration.referrals.select_related("vacancy").order_by("pk"),
        "matches": matches,
        "writes": writes,
        "refer_form": forms.ReferForm(initial={"referred_on": dt.date.today()}),
        "outcome_form": forms.OutcomeForm(),
        "pending": Outcome.PENDING,
    }
    return render(request, "employment/seeker_detail.html", context)


@login_required
@require_POST
def seeker_refer(request, pk: int):
    """Refer the job seeker to a vacancy the user sees."""
    registration = permissions.access_registration(request.user, pk)
    permissions.require_writer(request.user)
    form = forms.ReferForm(request.POST)
    if form.is_valid():
        vacancy = permissions.access_vacancy(request.user, form.cleaned_data["vacancy"])
        try:
            services.referral_make(
                registration=registration,
                vacancy=vacancy,
                referred_on=form.cleaned_data["referred_on"],
                actor=request.user,
                request=request,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Referred."))
    return redirect("employment:seeker", pk=registration.pk)


@login_required
@require_POST
def referral_outcome(request, pk: int):
    """Record a referral's outcome; a hire ends the registration."""
    referral = permissions.access_referral(request.user, pk)
    permissions.require_writer(request.user)
    form = forms.OutcomeForm(request.POST)
    if form.is_valid():
        try:
            services.referral_outcome_record(
                referral=referral,
                outcome=form.cleaned_data["outcome"],
                outcome_on=form.cleaned_data["outcome_on"],
                actor=request.user,
                request=request,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Outcome recorded."))
    return redirect("employment:seeker", pk=referral.registration_id)


@login_required
@require_GET
def vacancy_list(request):
    """List the vacancies in the user's scope, open first."""
    permissions.require_reader(request.user)
    vacancies = permissions.vacancy_list_for(request.user).order_by(
        "closed_on", "-posted_on", "-pk"
    )
    if request.GET.get("format") == "xlsx":
        return _xlsx(exports.vacancies_xlsx(vacancies), "vacancies")
    page = Paginator(vacancies, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "writes": permissions.writes_employment(request.user)}
    return render(request, "employment/vacancy_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def vacancy_new(request):
    """Post an employer's vacancy in one of the user's towns."""
    permissions.require_writer(request.user)
    towns = town_list_for(request.user)
    form = forms.VacancyForm(
        request.POST or None, towns=towns, initial={"posted_on": dt.date.today()}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["town"] = access_town(request.user, data["town"])
        try:
            services.vacancy_post(**data, actor=request.user, request=request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("employment:vacancies")
    status = 422 if request.method == "POST" else 200
    return render(
        request, "employment/vacancy_form.html", {"form": form}, status=status
    )


@login_required
@require_GET
def community_list(request):
    """List the communities against the full-employment standard on the period's end."""
    permissions.require_reader(request.user)
    period = _period(request)
    towns = [t.code for t in town_list_for(request.user)]
    frame = selectors.communities_on(period.end, towns)
    context = {
        "period": period,
        "periods": PERIODS,
        "communities": list(frame.iter_rows(named=True)),
        "criteria": selectors.criteria_on(period.end),
    }
    return render(request, "employment/community_list.html", context)


@login_required
@require_GET
def training(request):
    """Show the training ledger: enrolments in scope, payments, totals per provider."""
    permissions.require_reader(request.user)
    payments = permissions.payment_list_for(request.user)
    if request.GET.get("format") == "xlsx":
        if not permissions.exports_named(request.user):
            raise PermissionDenied
        return _xlsx(exports.training_ledger_xlsx(payments), "training-ledger")
    enrolments = permissions.enrolment_list_for(request.user).order_by(
        "course_id", "pk"
    )
    courses = permissions.course_list_for(request.user).order_by("-starts_on", "pk")
    today = dt.date.today()
    context = {
        "page": Paginator(enrolments, PAGE_SIZE).get_page(request.GET.get("page")),
        "courses": courses,
        "totals": selectors.training_ledger_totals(payments),
        "writes": permissions.writes_employment(request.user),
        "pays": permissions.buys_training(request.user),
        "enrol_form": forms.EnrolForm(courses=courses, initial={"enrolled_on": today}),
        "certify_form": forms.CertifyForm(),
        "pay_form": forms.PayForm(initial={"paid_on": today}),
        "provider_form": forms.ProviderForm(towns=town_list_for(request.user)),
        "course_form": forms.CourseForm(
            providers=permissions.provider_list_for(request.user)
        ),
    }
    return render(request, "employment/training.html", context)


@login_required
@require_GET
def subsidy_payments(request):
    """Show the community employment subsidy's payments and payees (issue 15)."""
    permissions.require_reader(request.user)
    payments = permissions.subsidy_payment_list_for(request.user)
    if request.GET.get("format") == "xlsx":
        if not permissions.exports_named(request.user):
            raise PermissionDenied
        return _xlsx(exports.subsidy_payments_xlsx(payments), "subsidy-payments")
    payments = payments.order_by("-delivered_on", "-pk")
    context = {
        "page": Paginator(payments, PAGE_SIZE).get_page(request.GET.get("page")),
        "total": selectors.amount_total(payments),
        "writes": permissions.exports_named(request.user),
    }
    return render(request, "employment/subsidy_payments.html", context)


@login_required
@require_POST
def training_provider_new(request):
    """Designate a training provider (the bureau)."""
    permissions.require_bureau(request.user)
    form = forms.ProviderForm(request.POST, towns=town_list_for(request.user))
    if not form.is_valid():
        messages.error(request, _("Check the provider's fields."))
        return redirect("employment:training")
    data = dict(form.cleaned_data)
    data["town"] = access_town(request.user, data["town"])
    _done(
        request,
        lambda: services.training_provider_approve(
            **data, actor=request.user, request=request
        ),
        _("Provider designated."),
    )
    return redirect("employment:training")


@login_required
@require_POST
def training_course_new(request):
    """Add a designated provider's course (the bureau)."""
    permissions.require_bureau(request.user)
    form = forms.CourseForm(
        request.POST, providers=permissions.provider_list_for(request.user)
    )
    if not form.is_valid():
        messages.error(request, _("Check the course's fields."))
        return redirect("employment:training")
    data = dict(form.cleaned_data)
    data["provider"] = permissions.access_provider(request.user, data["provider"])
    _done(
        request,
        lambda: services.training_course_add(
            **data, actor=request.user, request=request
        ),
        _("Course added."),
    )
    return redirect("employment:training")


def _done(request, call, success: str) -> None:
    try:
        call()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)


@login_required
@require_POST
def training_enrol(request):
    """Enrol a resident of the user's towns on a course."""
    permissions.require_writer(request.user)
    form = forms.EnrolForm(
        request.POST, courses=permissions.course_list_for(request.user)
    )
    if not form.is_valid():
        messages.error(request, _("Check the enrolment's fields."))
        return redirect("employment:training")
    data = form.cleaned_data
    course = permissions.access_course(request.user, data["course"])
    try:
        person = permissions.access_person(request.user, data["id_number"])
    except Http404:
        messages.error(request, _("No resident with this ID number in your towns."))
        return redirect("employment:training")
    _done(
        request,
        lambda: services.enrolment_make(
            course=course,
            person=person,
            enrolled_on=data["enrolled_on"],
            actor=request.user,
            request=request,
        ),
        _("Enrolled."),
    )
    return redirect("employment:training")


@login_required
@require_POST
def enrolment_certify(request, pk: int):
    """Record an enrolment's completion and vocational certificate."""
    enrolment = permissions.access_enrolment(request.user, pk)
    permissions.require_writer(request.user)
    form = forms.CertifyForm(request.POST)
    if form.is_valid():
        _done(
            request,
            lambda: services.enrolment_certify(
                enrolment=enrolment,
                **form.cleaned_data,
                actor=request.user,
                request=request,
            ),
            _("Certificate recorded."),
        )
    else:
        messages.error(request, _("Check the certificate's fields."))
    return redirect("employment:training")


@login_required
@require_POST
def course_pay(request, pk: int):
    """Pay the provider for the course's certified completers not yet paid for."""
    course = permissions.access_course(request.user, pk)
    permissions.require_bureau(request.user)
    form = forms.PayForm(request.POST)
    if form.is_valid():
        _done(
            request,
            lambda: services.training_course_pay(
                course=course,
                paid_on=form.cleaned_data["paid_on"],
                actor=request.user,
                request=request,
            ),
            _("Payment recorded for the course's certified completers."),
        )
    return redirect("employment:training")


@login_required
@require_GET
def startups(request):
    """List the incubation bases, start-up subsidies and guaranteed loans in scope."""
    permissions.require_reader(request.user)
    loans = permissions.loan_list_for(request.user).order_by("-granted_on", "-pk")
    context = {
        "bases": permissions.base_list_for(request.user),
        "subsidies": permissions.subsidy_list_for(request.user).order_by("-pk")[:200],
        "page": Paginator(loans, PAGE_SIZE).get_page(request.GET.get("page")),
        "writes": permissions.writes_employment(request.user),
        # A town changes its own bases only (every reader sees every base).
        "own_towns": set(
            permissions.base_choices_for(request.user).values_list("town_id", flat=True)
        ),
    }
    return render(request, "employment/startups.html", context)


def _startup_save(request, form, save, *, done: str, title: str):
    """Save a valid POST with `save(data)` and go back to the list; else show the form.

    A service's ValidationError (a dict names its fields) is shown on the form,
    nothing saved (issue 15: bases and start-up subsidies on pages).
    """
    if request.method == "POST" and form.is_valid():
        try:
            save(dict(form.cleaned_data))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return redirect("employment:startups")
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "title": title}
    return render(request, "employment/startup_form.html", context, status=status)


def _resident(user, id_number: str):
    try:
        return permissions.access_person(user, id_number)
    except Http404:
        raise ValidationError(
            {"id_number": _("No resident with this ID number in your towns.")}
        ) from None


@login_required
@require_http_methods(["GET", "POST"])
def base_new(request):
    """Record an incubation base in one of the writer's towns (issue 15)."""
    permissions.require_writer(request.user)
    form = forms.IncubationBaseForm(
        request.POST or None, towns=town_list_for(request.user)
    )

    def save(data):
        town = access_town(request.user, data.pop("town"))
        services.incubation_base_add(
            **data, town=town, actor=request.user, request=request
        )

    return _startup_save(
        request,
        form,
        save,
        done=_("Incubation base recorded."),
        title=_("Record an incubation base"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def base_edit(request, pk: int):
    """Correct an incubation base of the writer's towns (issue 15)."""
    base = permissions.access_base_to_change(request.user, pk)
    initial = {"name": base.name, "opened_on": base.opened_on, "places": base.places}
    form = forms.IncubationBaseForm(request.POST or None, initial=initial, editing=True)

    def save(data):
        services.incubation_base_update(
            base=base, **data, actor=request.user, request=request
        )

    return _startup_save(
        request,
        form,
        save,
        done=_("Incubation base saved."),
        title=_("Edit the incubation base"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def subsidy_new(request):
    """Grant a resident of the writer's towns the one-off start-up subsidy."""
    permissions.require_writer(request.user)
    bases = permissions.base_choices_for(request.user)
    form = forms.StartupSubsidyForm(
        request.POST or None, bases=bases, initial={"granted_on": dt.date.today()}
    )

    def save(data):
        person = _resident(request.user, data.pop("id_number"))
        base = data.pop("base")
        services.startup_subsidy_grant(
            person=person,
            base=None if base is None else bases.get(pk=base),
            **data,
            actor=request.user,
            request=request,
        )

    return _startup_save(
        request,
        form,
        save,
        done=_("Start-up subsidy granted."),
        title=_("Grant a start-up subsidy"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def subsidy_edit(request, pk: int):
    """Correct a start-up subsidy of the writer's towns (issue 15)."""
    permissions.require_writer(request.user)
    subsidy = permissions.access_subsidy(request.user, pk)
    bases = permissions.base_choices_for(request.user)
    initial = {
        "business": subsidy.business,
        "base": subsidy.base_id,
        "granted_on": subsidy.granted_on,
    }
    form = forms.StartupSubsidyForm(
        request.POST or None, bases=bases, initial=initial, editing=True
    )

    def save(data):
        base = data.pop("base")
        services.startup_subsidy_update(
            subsidy=subsidy,
            base=None if base is None else bases.get(pk=base),
            **data,
            actor=request.user,
            request=request,
        )

    return _startup_save(
        request,
        form,
        save,
        done=_("Start-up subsidy saved."),
        title=_("Edit the start-up subsidy of %(name)s")
        % {"name": subsidy.person.name},
    )


@login_required
@require_http_methods(["GET", "POST"])
def loan_new(request):
    """Record a small guaranteed loan; above the limit it is refused, nothing saved."""
    permissions.require_writer(request.user)
    form = forms.LoanForm(request.POST or None, initial={"granted_on": dt.date.today()})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            person = permissions.access_person(request.user, data.pop("id_number"))
            loan = services.loan_grant(
                person=person, **data, actor=request.user, request=request
            )
        except Http404:
            form.add_error(
                "id_number", _("No resident with this ID number in your towns.")
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("employment:loan", pk=loan.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "employment/loan_form.html", {"form": form}, status=status)


@login_required
@require_GET
def loan_detail(request, pk: int):
    """Show a guaranteed loan's schedule with each instalment's interest subsidy."""
    loan = permissions.access_loan(request.user, pk)
    context = {
        "loan": loan,
        "instalments": loan.instalments.order_by("number"),
        "totals": selectors.loan_totals(loan),
    }
    return render(request, "employment/loan_detail.html", context)
