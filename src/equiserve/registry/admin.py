"""The registry in the Django admin, under the same scope as pages and API.

Every queryset comes from `permissions`; read-only roles (office, auditor)
may view but not change; health records are for health roles only. Opening a
person's change page is logged like any view of the record; each change is
logged with its fields, in the admin's transaction.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from equiserve.accounts.scope import scope_of
from equiserve.audit.models import AuditEntry
from equiserve.registry import permissions, services
from equiserve.registry.models import Household, Person, PersonHealth
from equiserve.registry.privacy import mask_id_number


class ScopedAdmin(admin.ModelAdmin):
    """Let the registry's scope, not Django's model permissions, decide viewing."""

    # The registry's scope for this model: a function of the user (permissions.py).
    list_for = None

    def scoped_queryset(self, request):
        return type(self).list_for(request.user)

    def get_queryset(self, request):
        return self.scoped_queryset(request)

    def _in_scope(self, request, obj) -> bool:
        return obj is None or self.scoped_queryset(request).filter(pk=obj.pk).exists()

    def has_module_permission(self, request):
        return permissions.reads_registry(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.reads_registry(request.user) and self._in_scope(request, obj)

    def _writes(self, request, obj) -> bool:
        # Administrators (`accounts.scope`) read like the office, and write.
        scope = scope_of(request.user)
        writer = scope is not None and (scope.administers or not scope.read_only)
        return writer and self._in_scope(request, obj)

    def _fields(self) -> list[str]:
        return [field.attname for field in self.model._meta.concrete_fields]

    def save_model(self, request, obj, form, change):
        if change:
            stored = self.model.objects.get(pk=obj.pk)
            before = {name: getattr(stored, name) for name in self._fields()}
        else:
            before = dict.fromkeys(self._fields())
        super().save_model(request, obj, form, change)
        services.registry_change_record(
            actor=request.user,
            instance=obj,
            before=before,
            action=AuditEntry.Action.UPDATE if change else AuditEntry.Action.CREATE,
            request=request,
        )

    def delete_model(self, request, obj):
        self.delete_queryset(request, self.model.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.registry_change_record(
                actor=request.user,
                instance=obj,
                before={name: getattr(obj, name) for name in self._fields()},
                action=AuditEntry.Action.DELETE,
                request=request,
            )
        super().delete_queryset(request, queryset)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and self._writes(request, None)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._writes(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._writes(
            request, obj
        )


@admin.register(Household)
class HouseholdAdmin(ScopedAdmin):
    list_display = ["key", "town", "village", "floor_area_m2", "annual_income"]
    list_filter = ["town"]
    list_select_related = ["town", "village"]
    search_fields = ["key"]
    raw_id_fields = ["village"]

    list_for = staticmethod(permissions.household_list_for)


@admin.register(Person)
class PersonAdmin(ScopedAdmin):
    list_display = ["key", "name", "masked_id_number", "town", "hukou", "birth_year"]
    list_filter = ["town", "hukou", "school_stage"]
    list_select_related = ["town"]
    search_fields = ["key", "name", "=id_number"]
    raw_id_fields = ["household", "guardian", "village"]

    @admin.display(description=_("resident ID number"), ordering="id_number")
    def masked_id_number(self, obj):
        return mask_id_number(obj.id_number)

    # The year only beside a masked number (issue 10, finding 1).
    @admin.display(description=_("year of birth"), ordering="birth_date")
    def birth_year(self, obj):
        return obj.birth_date.year

    list_for = staticmethod(permissions.person_list_for)

    def get_search_results(self, request, queryset, search_term):
        # An ID number is found whole, however it was typed (a final x or X).
        return super().get_search_results(request, queryset, search_term.upper())

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET" and object_id:
            person = self.get_object(request, object_id)
            if person is not None:
                services.person_view_record(
                    actor=request.user, person=person, channel="admin", request=request
                )
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(PersonHealth)
class PersonHealthAdmin(ScopedAdmin):
    list_display = ["person", "t1d_diagnosed", "t1d_hospital_grade"]
    list_select_related = ["person"]
    raw_id_fields = ["person"]
    list_for = staticmethod(permissions.health_list_for)

    def has_module_permission(self, request):
        return permissions.sees_health(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.sees_health(request.user) and self._in_scope(request, obj)
