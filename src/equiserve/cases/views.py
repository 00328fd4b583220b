"""Pages of cases: the queue, the case page and its actions, registration, import.

Actions are htmx forms that swap the case's body (`#case`); without htmx they
redirect back to the case page. A refused action answers with its status (403,
409 conflict, 422) and the case as it now is, the message on top.
"""

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from equiserve.accounts.scope import town_list_for
from equiserve.cases import permissions, selectors, services
from equiserve.cases.context import (
    appeal_consequences,
    approval_consequences,
    case_context,
)
from equiserve.cases.facts import FACTS
from equiserve.cases.forms import (
    AppealForm,
    AssessForm,
    DecideForm,
    DeliverForm,
    FactsForm,
    RegisterForm,
)
from equiserve.cases.importing import cases_import
from equiserve.cases.models import PAYMENT, PayeeKind
from equiserve.cases.programmes import PROGRAMMES, programme_choices
from equiserve.cases.services.common import RESTRICTED
from equiserve.cases.workflow import CaseError, Status
from equiserve.formatting import money, town_name, ungrouped
from equiserve.imports.views import import_page
from equiserve.registry.permissions import access_household, sees_household
from equiserve.registry.privacy import mask_id_number
from equiserve.spreadsheets import csv_row

PAGE_SIZE = 50


def _lang() -> str:
    return translation.get_language() or "zh-hans"


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _reader(request) -> None:
    if not permissions.reads_cases(request.user):
        raise PermissionDenied


@login_required
@require_GET
def queue(request):
    """List the cases in the officer's scope, filtered by status, programme, town."""
    _reader(request)
    filters = selectors.CaseFilters.from_query(request.GET)
    cases = selectors.case_list(user=request.user, filters=filters)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "query": filters.as_dict(),
        "statuses": [("open", _("Open (all not closed)")), *Status.choices],
        "programmes": selectors.programme_choices_for(request.user, _lang()),
        "towns": town_list_for(request.user),
        "labels": selectors.programme_labels_for(request.user, _lang()),
        "clauses": selectors.programme_clauses_for(request.user),
        "can_register": bool(permissions.registrable_programmes(request.user)),
        "can_export": permissions.exports_cases(request.user),
    }
    template = "cases/_queue_table.html" if _is_htmx(request) else "cases/queue.html"
    return render(request, template, context)


@login_required
@require_GET
def export(request):
    """Export the filtered queue as CSV, ID numbers masked; log the export.

    Bulk access, for the roles that work cases (issue 10, finding 1); a health
    programme is named only to health officers (finding 7).
    """
    if not permissions.exports_cases(request.user):
        raise PermissionDenied
    filters = selectors.CaseFilters.from_query(request.GET)
    cases = list(selectors.case_list(user=request.user, filters=filters))
    clauses = selectors.programme_clauses_for(request.user)
    labels = selectors.programme_labels_for(request.user, _lang())
    statuses = dict(Status.choices)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    # Headings in words, each code column followed by its label (issue 14).
    writer.writerow(
        [
            _("Case reference"),
            _("Programme code"),
            _("Programme"),
            _("Clause"),
            _("Status code"),
            _("Status"),
            _("Town code"),
            _("Town"),
            _("Applicant number"),
            _("ID number (masked)"),
            _("Applied on"),
            _("Version"),
        ]
    )
    for case in cases:
        # Imported person numbers are people's text (issue 10, finding 9).
        writer.writerow(
            csv_row(
                [
                    case.reference,
                    case.programme
                    if permissions.shows_programme(request.user, case.programme)
                    else RESTRICTED,
                    labels[case.programme],
                    clauses[case.programme],
                    case.status,
                    str(statuses.get(case.status, case.status)),
                    case.town_id,
                    town_name(case.town_id),
                    case.applicant.key,
                    mask_id_number(case.applicant.id_number),
                    case.applied_on.isoformat(),
                    case.version,
                ]
            )
        )
    services.cases_export_record(
        actor=request.user,
        case_ids=[c.pk for c in cases],
        filters=filters.as_dict(),
        request=request,
    )
    response = HttpResponse(
        "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="cases-{stamp}.csv"'
    return response


@login_required
@require_GET
def case_detail(request, pk: int):
    """Show a case: facts, the engine's explanation and clause, decisions, history."""
    case = permissions.access_case(request.user, pk)
    services.case_view_record(
        actor=request.user, case=case, channel="page", request=request
    )
    return render(request, "cases/case.html", case_context(request, case))


def _act(request, pk: int, make_form, perform, *, confirm=None):
    """Run one action on a case: check access, parse, call the service, answer.

    `confirm(case, form)` returns the confirmation step of an irreversible
    action (or None when there is nothing to confirm); the action runs only
    once it comes back confirmed (issue 14, deliverable 4).
    """
    case = permissions.access_case(request.user, pk)
    form = make_form(case)
    error, status, notice, refused_fields = None, 200, None, {}
    if not form.is_valid():
        error, status = _form_error(form), 422
    else:
        try:
            step = None
            if confirm is not None and not form.cleaned_data.get("confirmed"):
                step = confirm(case, form)
            if step is not None:
                context = case_context(request, case, confirm=step)
                template = (
                    "cases/_case.html" if _is_htmx(request) else "cases/case.html"
                )
                return render(request, template, context)
            notice = perform(case, form)
        except CaseError as refused:
            error, status = refused.message, refused.status
            refused_fields = refused.errors
    if error is None and not _is_htmx(request):
        messages.success(request, notice)
        return redirect("cases:case", pk=case.pk)
    case = permissions.access_case(request.user, pk)  # as it is now
    context = case_context(
        request,
        case,
        error=error,
        notice=notice,
        # What the officer typed stays in the form (issue 14, deliverable 3).
        posted=request.POST if error else None,
        refused_fields=refused_fields,
    )
    template = "cases/_case.html" if _is_htmx(request) else "cases/case.html"
    return render(request, template, context, status=status)


def _confirmation(request, case, *, title, lines, button, fields) -> dict:
    url = reverse(request.resolver_match.view_name, args=[case.pk])
    return {
        "title": title,
        "lines": lines,
        "button": button,
        "action": url,
        "target": "#case",
        "back_url": reverse("cases:case", args=[case.pk]),
        "fields": [(k, v) for k, v in fields.items() if v not in (None, "", False)],
    }


def _form_error(form) -> str:
    return "; ".join(
        f"{form.fields[name].label if name in form.fields else name}: {' '.join(errors)}"
        for name, errors in form.errors.items()
    )


@login_required
@require_POST
def assess(request, pk: int):
    """Run the engine on the case (a town officer's pre-check, or the department's)."""

    def perform(case, form):
        result = services.case_assess(
            case=case,
            version=form.cleaned_data["version"],
            actor=request.user,
            request=request,
        )
        if result.eligible:
            return _("Assessed: eligible.")
        return _("Assessed: not eligible.")

    return _act(request, pk, lambda case: AssessForm(request.POST), perform)


def _decision_arguments(request, form) -> dict:
    """Return a decision form's answer as the decision services take it."""
    data = form.cleaned_data
    return {
        "version": data["version"],
        "decision": data["decision"],
        "reason": data["reason"],
        "amount": data["amount"] or None,
        "above_request_acknowledged": data["acknowledge_above_request"],
        "actor": request.user,
    }


def _decision_fields(form) -> dict:
    """Return what a decision's confirmation posts again (the amount as typed)."""
    return {
        k: form.cleaned_data[k] if k != "amount" else form.data.get(k)
        for k in (
            "version",
            "decision",
            "reason",
            "amount",
            "acknowledge_above_request",
        )
    }


@login_required
@require_POST
def decide(request, pk: int):
    """Approve, reject or return the case, with a reason (lead department).

    An approval is confirmed first, in words: what it grants and what follows.
    """

    def arguments(form) -> dict:
        return _decision_arguments(request, form)

    def confirm(case, form):
        if form.cleaned_data["decision"] != "approve":
            return None
        plan = services.decision_plan(case=case, **arguments(form))
        return _confirmation(
            request,
            case,
            title=_("Approve %(reference)s?") % {"reference": case.reference},
            lines=approval_consequences(case, plan),
            button=_("Yes, approve"),
            fields=_decision_fields(form),
        )

    def perform(case, form):
        decision = services.case_decide(case=case, request=request, **arguments(form))
        return _("Decision saved: %(decision)s.") % {
            "decision": decision.get_kind_display()
        }

    return _act(
        request, pk, lambda case: DecideForm(request.POST), perform, confirm=confirm
    )


@login_required
@require_POST
def decide_appeal(request, pk: int):
    """Decide a case under appeal in one action: assess it again, then decide.

    Always confirmed first, in words: what the plan's rules now find and what the
    decision does (issue 14, deliverables 3 and 4).
    """

    def confirm(case, form):
        return _confirmation(
            request,
            case,
            title=_("Decide the appeal on %(reference)s?")
            % {"reference": case.reference},
            lines=appeal_consequences(case, form.cleaned_data["decision"]),
            button=_("Yes, decide the appeal"),
            fields=_decision_fields(form),
        )

    def perform(case, form):
        decision = services.case_decide_appeal(
            case=case, request=request, **_decision_arguments(request, form)
        )
        return _("Appeal decided: %(decision)s.") % {
            "decision": decision.get_kind_display()
        }

    return _act(
        request, pk, lambda case: DecideForm(request.POST), perform, confirm=confirm
    )


@login_required
@require_POST
def deliver(request, pk: int):
    """Record a payment or a service item delivered (lead department).

    A payment is confirmed first: it cannot be taken back.
    """

    def confirm(case, form):
        data = form.cleaned_data
        if data["item"] != PAYMENT:
            return None
        return _confirmation(
            request,
            case,
            title=_("Record a payment on %(reference)s?")
            % {"reference": case.reference},
            lines=[
                _(
                    "A payment of %(amount)s to %(name)s on %(day)s is recorded "
                    "against the entitlement; a payment recorded stays in the "
                    "case's history."
                )
                % {
                    "amount": money(ungrouped(data["amount"] or "")),
                    # The employer when the payment names one (issue 15).
                    "name": data["payee_name"]
                    if data["payee_kind"] == PayeeKind.EMPLOYER
                    else case.applicant.name,
                    "day": data["delivered_on"].isoformat(),
                }
            ],
            button=_("Yes, record the payment"),
            fields={
                "version": data["version"],
                "item": data["item"],
                "quantity": data["quantity"],
                "amount": form.data.get("amount"),
                "delivered_on": data["delivered_on"].isoformat(),
                "note": data["note"],
                "payee_kind": data["payee_kind"],
                "payee_name": data["payee_name"],
                "payee_uscc": data["payee_uscc"],
            },
        )

    def perform(case, form):
        data = form.cleaned_data
        services.case_deliver(
            case=case,
            version=data["version"],
            item=data["item"],
            quantity=data["quantity"] or 1,
            amount=data["amount"] or None,
            delivered_on=data["delivered_on"],
            note=data["note"],
            payee_kind=data["payee_kind"],
            payee_name=data["payee_name"],
            payee_uscc=data["payee_uscc"],
            actor=request.user,
            request=request,
        )
        return _("Recorded.")

    return _act(
        request, pk, lambda case: DeliverForm(request.POST), perform, confirm=confirm
    )


@login_required
@require_POST
def appeal(request, pk: int):
    """Record an appeal; it reopens the case."""

    def perform(case, form):
        data = form.cleaned_data
        services.case_appeal(
            case=case,
            version=data["version"],
            reason=data["reason"],
            lodged_on=data["lodged_on"],
            actor=request.user,
            request=request,
        )
        return _("Appeal recorded: the case is open again for a new assessment.")

    return _act(request, pk, lambda case: AppealForm(request.POST), perform)


@login_required
@require_POST
def update_facts(request, pk: int):
    """Replace the facts and documents stated (a returned case is submitted again)."""

    def make_form(case):
        return FactsForm(PROGRAMMES[case.programme], request.POST, lang=_lang())

    def perform(case, form):
        services.case_update_facts(
            case=case,
            version=form.cleaned_data.get("version") or 0,
            facts=form.facts(),
            documents=form.cleaned_data.get("documents", []),
            actor=request.user,
            request=request,
        )
        return _("Facts saved.")

    return _act(request, pk, make_form, perform)


@login_required
@require_http_methods(["GET", "POST"])
def register(request):
    """Register an application: programme, applicant, date, facts and documents."""
    allowed = permissions.registrable_programmes(request.user)
    if not allowed:
        raise PermissionDenied
    choices = [(c, label) for c, label in programme_choices(_lang()) if c in allowed]
    code = (
        request.POST.get("programme") or request.GET.get("programme") or choices[0][0]
    )
    code = code if code in allowed else choices[0][0]
    data = request.POST if request.method == "POST" else None
    # "Start an application for this person" names the applicant (issue 14).
    initial = {"programme": code, "applicant": request.GET.get("applicant", "")[:36]}
    form = RegisterForm(data, programmes=choices, initial=initial)
    facts_form = FactsForm(PROGRAMMES[code], data, lang=_lang())
    error, status = None, 200
    if request.method == "POST" and form.is_valid() and facts_form.is_valid():
        try:
            case = services.register_from_numbers(
                programme=code,
                applicant=form.cleaned_data["applicant"],
                applicant_name=form.cleaned_data["applicant_name"],
                claimant=form.cleaned_data["claimant"],
                claimant_name=form.cleaned_data["claimant_name"],
                applied_on=form.cleaned_data["applied_on"],
                facts=facts_form.facts(),
                documents=facts_form.cleaned_data.get("documents", []),
                actor=request.user,
                request=request,
            )
            messages.success(
                request,
                _("Application %(reference)s registered.")
                % {"reference": case.reference},
            )
            return redirect("cases:case", pk=case.pk)
        except CaseError as refused:
            error, status = refused.message, refused.status
    elif request.method == "POST":
        status = 422
    context = {
        "form": form,
        "facts_form": facts_form,
        "programme": PROGRAMMES[code],
        "error": error,
        "lang": _lang(),
    }
    template = (
        "cases/_register_facts.html"
        if _is_htmx(request) and request.method == "GET"
        else "cases/register.html"
    )
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def import_applications(request):
    """Upload applications (CSV/XLSX): all registered, or none and a row-by-row report."""
    return import_page(
        request,
        what="cases",
        run=lambda **upload: cases_import(**upload),
        context={
            "title": _("Import applications"),
            "back_url": reverse("cases:queue"),
            "back_label": _("Cases"),
            "accept": ".csv,.xlsx",
            "help": [
                _(
                    "One application per row. Required: programme (code, clause such "
                    "as 3.5, or name), applicant (person number or resident ID "
                    "number), applied_on (2015-07-01). Optional: claimant, documents "
                    "(separated by ;), and the programme's facts: %(facts)s."
                )
                % {"facts": ", ".join(FACTS)},
            ],
        },
    )


@login_required
@require_GET
def household(request, public_id):
    """Show the history of a household's cases (those the officer may see)."""
    home = access_household(request.user, public_id)
    context = {
        "household": home,
        "cases": selectors.household_cases(request.user, home),
        "labels": selectors.programme_labels_for(request.user, _lang()),
        "clauses": selectors.programme_clauses_for(request.user),
    }
    return render(request, "cases/household.html", context)


def person_cases_section(request, person) -> dict:
    """Return the context of the cases block on a person's page (registry)."""
    return {
        "cases": list(selectors.person_cases(request.user, person)),
        "labels": selectors.programme_labels_for(request.user, _lang()),
        "clauses": selectors.programme_clauses_for(request.user),
        "household": person.household
        if sees_household(request.user, person.household)
        else None,
        # The window's next step (issue 14, deliverable 2).
        "can_register": bool(permissions.registrable_programmes(request.user)),
        "person_key": person.key,
    }
