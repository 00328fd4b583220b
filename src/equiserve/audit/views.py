"""The auditors' page: read and filter the audit log, see the chain verified."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from equiserve.audit.models import AuditEntry
from equiserve.audit.permissions import reads_audit_log
from equiserve.audit.selectors import AuditFilters, audit_entry_list, audit_object_types
from equiserve.audit.services import audit_verify_against_kept
from equiserve.geography.models import Town

PAGE_SIZE = 100


def _auditor(request) -> None:
    if not reads_audit_log(request.user):
        raise PermissionDenied


@login_required
@require_GET
def audit_log(request):
    """List audit entries newest first, filtered by user, action, type, town, dates."""
    _auditor(request)
    filters = AuditFilters.from_query(request.GET)
    page = Paginator(audit_entry_list(filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "filters": filters,
        "query": filters.as_query(),
        "actions": AuditEntry.Action.choices,
        "object_types": audit_object_types(),
        "towns": Town.objects.order_by("code"),
    }
    htmx = request.headers.get("HX-Request") == "true"
    template = "audit/_entries.html" if htmx else "audit/log.html"
    return render(request, template, context)


@login_required
@require_GET
def audit_chain(request):
    """Recompute the chain against the latest checkpoint, as `audit verify`; show it."""
    _auditor(request)
    return render(
        request, "audit/_verify.html", {"result": audit_verify_against_kept()}
    )
