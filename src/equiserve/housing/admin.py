"""Public rental housing in the Django admin: read-only, under the pages' scope.

Decisions go through the pages and the API (services with their audit
entries); the admin only lets staff look. The sealed seed has no admin at all.
"""

from django.contrib import admin

from equiserve.housing import permissions
from equiserve.housing.models import (
    AllocationRound,
    Application,
    Estate,
    Offer,
    Unit,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_module_permission(self, request):
        return permissions.reads_housing(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.reads_housing(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Estate)
class EstateAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "town", "synthetic"]
    search_fields = ["code", "name"]


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = [
        "code", "estate", "bedrooms", "floor_area_m2", "rent_monthly",
        "suits_min", "suits_max", "accessible", "status",
    ]  # fmt: skip
    list_filter = ["status", "bedrooms", "accessible"]
    search_fields = ["code"]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "household", "status", "priority", "score"]
    list_filter = ["status", "migrant"]
    exclude = ["applicant"]

    def get_queryset(self, request):
        return permissions.application_list_for(request.user).select_related(
            "household"
        )


@admin.register(AllocationRound)
class AllocationRoundAdmin(ReadOnlyAdmin):
    list_display = ["id", "title", "status", "applicants", "units", "allocated"]
    exclude = ["frozen_list", "round_json"]


@admin.register(Offer)
class OfferAdmin(ReadOnlyAdmin):
    list_display = ["round", "application", "unit", "rank", "status", "version"]
    list_filter = ["status"]

    def get_queryset(self, request):
        return permissions.offer_list_for(request.user).select_related(
            "round", "application", "unit"
        )
