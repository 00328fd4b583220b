from django.contrib import admin

from equiserve.audit.models import AuditEntry
from equiserve.audit.permissions import reads_audit_log


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The log, read-only, for auditors: nobody adds, changes or deletes entries."""

    list_display = [
        "seq",
        "at",
        "actor_username",
        "action",
        "object_type",
        "object_id",
        "town_code",
        "remote_addr",
    ]
    list_filter = ["action", "object_type", "town_code"]
    search_fields = ["=actor_username", "=object_id", "summary"]
    ordering = ["-seq"]

    def has_module_permission(self, request):
        return reads_audit_log(request.user)

    def has_view_permission(self, request, obj=None):
        return reads_audit_log(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
