"""The plan's projects in the Django admin: the administrator's view of them.

The office and the lead department set a project and its milestones up on
the project form (/projects/new/, /projects/<code>/edit/) and file its
documents on its page, checked and audited there; the administrator may
also do it here, audited. Readers only look.
"""

from django.contrib import admin

from equiserve.accounts.scope import administers
from equiserve.audit.services import audit_record
from equiserve.projects import permissions
from equiserve.projects.models import Milestone, Project, ProjectDocument
from equiserve.projects.services import PROJECT


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


class DocumentInline(admin.TabularInline):
    # A file is uploaded on the project's page, checked and audited there.
    model = ProjectDocument
    extra = 0
    fields = ["title", "reference", "issued_on", "url", "filename", "size"]
    readonly_fields = ["filename", "size"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "clause", "lead_department", "status", "budget"]
    list_filter = ["clause", "lead_department", "status"]
    search_fields = ["code", "name", "name_en"]
    inlines = [MilestoneInline, DocumentInline]

    def has_module_permission(self, request):
        return permissions.reads_projects(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.reads_projects(request.user)

    def has_add_permission(self, request):
        return administers(request.user)

    def has_change_permission(self, request, obj=None):
        return administers(request.user)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action="update" if change else "create",
            object_type=PROJECT,
            object_id=obj.pk,
            summary=f"{obj.code}: set up in the admin",
            changes={"fields": sorted(form.changed_data)},
            request=request,
        )
