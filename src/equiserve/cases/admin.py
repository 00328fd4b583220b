"""Cases in the Django admin: read-only, under the same scope as pages and API.

Changes go through the workflow (pages, API), never the admin: it would skip
the state machine, the version check and maker–checker. Opening a case's page
here is logged like any view of a case.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from equiserve.cases import permissions, services
from equiserve.cases.models import Case
from equiserve.cases.permissions import is_health_programme
from equiserve.cases.programmes import PROGRAMMES
from equiserve.cases.selectors import restricted_label
from equiserve.registry.privacy import mask_id_number


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    # The admin is no health tool: a health programme shows neutrally to every
    # role, and there is no filter by programme (issue 10, finding 7).
    list_display = [
        "reference",
        "shown_programme",
        "clause",
        "status",
        "town",
        "masked_applicant",
        "applied_on",
    ]
    list_filter = ["status", "town"]
    list_select_related = ["applicant", "town"]
    search_fields = ["=applicant__key"]
    fields = [
        "shown_programme",
        "status",
        "town",
        "masked_applicant",
        "applied_on",
        "shown_documents",
        "version",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("case"))
    def reference(self, obj):
        return obj.reference

    @admin.display(description=_("programme"))
    def shown_programme(self, obj):
        if is_health_programme(obj.programme):
            return restricted_label()
        return obj.programme

    @admin.display(description=_("clause"))
    def clause(self, obj):
        if is_health_programme(obj.programme):
            return ""
        return PROGRAMMES[obj.programme].clause

    @admin.display(description=_("documents received"))
    def shown_documents(self, obj):
        if is_health_programme(obj.programme):
            return "—"
        return ", ".join(obj.documents)

    @admin.display(description=_("applicant"))
    def masked_applicant(self, obj):
        return f"{obj.applicant.key} {mask_id_number(obj.applicant.id_number)}"

    def get_queryset(self, request):
        return permissions.case_list_for(request.user)

    def has_module_permission(self, request):
        return permissions.reads_cases(request.user)

    def has_view_permission(self, request, obj=None):
        if not permissions.reads_cases(request.user):
            return False
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET" and object_id:
            case = self.get_object(request, object_id)
            if case is not None:
                services.case_view_record(
                    actor=request.user, case=case, channel="admin", request=request
                )
        return super().change_view(request, object_id, form_url, extra_context)
