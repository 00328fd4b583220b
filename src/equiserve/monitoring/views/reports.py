"""Report pages: the list, a report (write, submit, review), printing, XLSX."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from equiserve.audit.models import AuditEntry
from equiserve.audit.services import audit_record
from equiserve.monitoring import permissions, selectors, services
from equiserve.monitoring.exports import city_workbook, report_workbook
from equiserve.monitoring.models import IndicatorEntry, ItemStatus, Report
from equiserve.monitoring.periods import PERIODS, period_get
from equiserve.monitoring.report_sections import report_sections
from equiserve.monitoring.sources import CITY_PLACE
from equiserve.monitoring.stored import summary as freshness_summary
from equiserve.monitoring.views.common import (
    XLSX,
    lang_of,
    monitoring_view,
    period_from,
)
from equiserve.monitoring.views.indicators import _fields, parse_entry
from equiserve.portal.catalogue import load_catalogue


def _authors(user):
    """Return whose reports the list shows: all for the office and auditors, else own."""
    if permissions.reads_all_reports(user):
        return None
    author = permissions.author_of(user)
    if author is None:
        return []
    kind, department, town = author
    return [(kind, department or town)]


@monitoring_view
def report_list(request):
    """List the period's expected reports with status, deadline and timeliness."""
    period = period_from(request)
    rows = selectors.expected_reports(
        period, lang_of(request), authors=_authors(request.user)
    )
    context = {
        "rows": rows,
        "period": period,
        "periods": PERIODS,
        "writes": permissions.author_of(request.user) is not None,
        "reviews": permissions.reviews_reports(request.user),
    }
    return render(request, "monitoring/report_list.html", context)


@monitoring_view
@require_POST
def report_open(request):
    """Open (create on first use) the user's own report for a period."""
    period = period_from(request)
    report = services.report_open(period=period.id, actor=request.user, request=request)
    return redirect("monitoring:report", pk=report.pk)


def _place(report: Report) -> str:
    return report.town_id if report.kind == Report.Kind.TOWN else CITY_PLACE


def _entry_rows(user, report: Report) -> list[dict]:
    """Return the entered terms the author fills in on the report's form."""
    place = _place(report)
    entered = {
        (e.indicator, e.role, e.group): e
        for e in IndicatorEntry.objects.filter(period=report.period, place=place)
    }
    rows = []
    for indicator in selectors.report_indicators(report):
        if not permissions.enters(user, indicator, place):
            continue
        for role, group, label in _fields(indicator):
            rows.append(
                {
                    "indicator": indicator,
                    "role": role,
                    "group": group,
                    "label": label,
                    "name": f"v-{indicator.code}-{role}-{group}",
                    "entry": entered.get((indicator.code, role, group)),
                }
            )
    return rows


def _save_form(request, report: Report) -> None:
    items = {}
    for row in selectors.report_items(report):
        clause = row["plan"].clause
        prefix = f"item-{clause}-"
        if any(key.startswith(prefix) for key in request.POST):
            items[clause] = {
                name: request.POST.get(prefix + name, "")
                for name in ("status", "progress", "problems", "next_steps")
            }
    place = _place(report)
    by_indicator: dict = {}
    for row in _entry_rows(request.user, report):
        if row["name"] in request.POST:
            value = parse_entry(request.POST[row["name"]])
            by_indicator.setdefault(row["indicator"], {})[
                (row["role"], row["group"])
            ] = value
    for indicator, values in by_indicator.items():
        services.entries_save(
            indicator=indicator,
            period=report.period,
            place=place,
            values=values,
            actor=request.user,
            request=request,
        )
    services.report_save(
        report=report, items=items, actor=request.user, request=request
    )


@monitoring_view
def report_detail(request, pk):
    """Show a report; its author writes and submits it here while it is editable."""
    report = permissions.access_report(request.user, pk)
    if request.method == "POST":
        if not permissions.writes_report(request.user, report):
            raise PermissionDenied
        try:
            _save_form(request, report)
            submitting = request.POST.get("action") == "submit"
            blank = _blank_items(report) if submitting else 0
            if blank and not request.POST.get("confirmed"):
                # What was typed is saved; submitting waits for a confirmation
                # that says how many items are blank (issue 14, deliverable 4).
                return render(
                    request,
                    "monitoring/report_submit_confirm.html",
                    _submit_confirmation(report, blank),
                )
            if submitting:
                services.report_submit(
                    report=report, actor=request.user, request=request
                )
                messages.success(request, _("Report submitted to the office."))
            else:
                messages.success(request, _("Report saved."))
        except services.ReportError as error:
            messages.error(request, str(error))
        except ValueError as error:
            messages.error(request, _("Not a number: %(text)s") % {"text": error})
        return redirect("monitoring:report", pk=report.pk)
    return render(request, "monitoring/report_detail.html", _context(request, report))


def _blank_items(report: Report) -> int:
    """Return how many of the report's plan items have neither status nor progress."""
    return sum(
        1
        for row in selectors.report_items(report)
        if not row["item"].status and not row["item"].progress.strip()
    )


def _submit_confirmation(report: Report, blank: int) -> dict:
    url = reverse("monitoring:report", args=[report.pk])
    return {
        "report": report,
        "confirm": {
            "title": _("Submit the report with blank items?"),
            "lines": [
                _(
                    "%(blank)s plan items are blank: they reach the office as "
                    "unreported."
                )
                % {"blank": blank},
                _(
                    "Once submitted, the figures are frozen and the report can be "
                    "changed only if the office returns it."
                ),
            ],
            "button": _("Yes, submit it as it is"),
            "action": url,
            "target": "",
            "back_url": url,
            "fields": [("action", "submit")],
        },
    }


def _context(request, report: Report) -> dict:
    period = period_get(report.period)
    writes = permissions.writes_report(request.user, report) and report.editable
    return {
        "report": report,
        "period": period,
        "items": selectors.report_items(report),
        "figures": selectors.report_figures(report),
        "names": selectors.place_names(lang_of(request)),
        "events": report.events.all(),
        "timeliness": selectors.timeliness(report, report.due_on),
        "writes": writes,
        "entry_rows": _entry_rows(request.user, report) if writes else [],
        "item_statuses": ItemStatus.choices,
        "reviews": permissions.reviews_reports(request.user)
        and report.status == Report.Status.SUBMITTED,
        "author_name": _author_name(report, lang_of(request)),
        # What other apps hold for the period, not retyped (issue 17).
        "sections": report_sections(report, period),
    }


def _author_name(report: Report, lang: str) -> str:
    if report.kind == Report.Kind.TOWN:
        return selectors.place_names(lang).get(report.town_id, report.town_id)
    return str(report.get_department_display())


@monitoring_view
@require_POST
def report_review(request, pk):
    """Return a submitted report with a comment, or approve it (the office)."""
    report = permissions.access_report(request.user, pk)
    if not permissions.reviews_reports(request.user):
        raise PermissionDenied
    action = request.POST.get("action")
    try:
        if action == "return":
            services.report_return(
                report=report,
                comment=request.POST.get("comment", ""),
                actor=request.user,
                request=request,
            )
            messages.success(request, _("Report returned to its author."))
        elif action == "approve":
            services.report_approve(
                report=report,
                comment=request.POST.get("comment", ""),
                actor=request.user,
                request=request,
            )
            messages.success(request, _("Report approved; it is now locked."))
        else:
            raise Http404("no such action")
    except services.ReportError as error:
        messages.error(request, str(error))
    return redirect("monitoring:report", pk=report.pk)


@monitoring_view
def report_print(request, pk):
    """Show a report as a printable page."""
    report = permissions.access_report(request.user, pk)
    return render(request, "monitoring/report_print.html", _context(request, report))


def _export_record(request, summary: str, town: str = "") -> None:
    audit_record(
        actor=request.user,
        action=AuditEntry.Action.EXPORT,
        object_type="monitoring.report",
        town_code=town,
        summary=summary,
        request=request,
    )


@monitoring_view
def report_export(request, pk):
    """Download a report as XLSX: one sheet per domain, with charts."""
    report = permissions.access_report(request.user, pk)
    context = _context(request, report)
    content = report_workbook(
        report=report,
        author=context["author_name"],
        figures=context["figures"],
        items=context["items"],
        names=context["names"],
        lang=lang_of(request),
    )
    _export_record(request, f"report {report} exported", report.town_id or "")
    response = HttpResponse(content, content_type=XLSX)
    name = f"equiserve-report-{report.period}-{report.author_code}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _city_reader(request) -> None:
    if permissions.visible_towns(request.user) is not None:
        raise Http404("the city report is for city-wide roles")


@monitoring_view
def city_report_page(request, period):
    """Show the consolidated city report of a period (figures marked by state)."""
    _city_reader(request)
    chosen = request.GET.get("period")
    if chosen and chosen != period:
        period_get(chosen)
        return redirect(f"monitoring:{request.resolver_match.url_name}", chosen)
    the_period = period_get(period)
    printing = request.resolver_match.url_name == "city-print"
    domain_pages = list(load_catalogue().domains)
    previous_domain, next_domain, domain_number, shown_domain = None, None, 1, None
    if not printing and domain_pages:
        # On screen one domain is a page (issue 14, deliverable 6); printed, all.
        index = _domain_page(request, domain_pages)
        if index is None:
            return HttpResponseBadRequest(
                _("There is no domain %(domain)s in the plan.")
                % {"domain": request.GET["domain"]}
            )
        shown_domain = domain_pages[index].id
        domain_number = index + 1
        previous_domain = domain_pages[index - 1] if index > 0 else None
        next_domain = domain_pages[index + 1] if index + 1 < len(domain_pages) else None
    shown = selectors.city_report(the_period, lang_of(request), domain=shown_domain)
    context = {
        "city": shown,
        "domain_pages": domain_pages,
        "previous_domain": previous_domain,
        "next_domain": next_domain,
        "domain_number": domain_number,
        "period": the_period,
        "periods": PERIODS,
        "names": selectors.place_names(lang_of(request)),
        "generated": timezone.localtime(),
        # When the city's live values were computed, and how many are updating.
        "freshness": freshness_summary(the_period, CITY_PLACE),
    }
    template = (
        "monitoring/city_print.html" if printing else "monitoring/city_report.html"
    )
    return render(request, template, context)


def _domain_page(request, domains) -> int | None:
    """Return the index of the domain `?domain=` names (the first if none; None if unknown)."""
    wanted = request.GET.get("domain")
    if not wanted:
        return 0
    ids = [domain.id for domain in domains]
    return ids.index(wanted) if wanted in ids else None


city_print = city_report_page


@monitoring_view
def city_export(request, period):
    """Download the consolidated city report as XLSX."""
    _city_reader(request)
    the_period = period_get(period)
    lang = lang_of(request)
    data = selectors.city_report(the_period, lang)
    content = city_workbook(data, names=selectors.place_names(lang), lang=lang)
    _export_record(request, f"city report {the_period.id} exported")
    response = HttpResponse(content, content_type=XLSX)
    name = f"equiserve-city-report-{the_period.id}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
