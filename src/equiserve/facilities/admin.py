from django.contrib import admin
from django.core.exceptions import PermissionDenied

from equiserve.facilities.models import Facility, RoadNetwork
from equiserve.facilities.permissions import (
    may_import_road_network,
    may_write_facility,
    writes_facilities,
)


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name_zh",
        "kind",
        "town",
        "village",
        "opening_date",
        "synthetic",
    ]
    list_filter = ["kind", "synthetic", "town"]
    list_select_related = ["town", "village"]
    search_fields = ["code", "name_zh", "name_en"]
    raw_id_fields = ["village", "natural_village"]

    # The admin writes under the same rule as imports (issue 10, finding 4).
    def has_add_permission(self, request):
        return writes_facilities(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return self._may_write(request, obj) and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return self._may_write(request, obj) and super().has_delete_permission(
            request, obj
        )

    def save_model(self, request, obj, form, change):
        if not may_write_facility(request.user, kind=obj.kind, town_code=obj.town_id):
            raise PermissionDenied("may not write this facility")
        super().save_model(request, obj, form, change)

    @staticmethod
    def _may_write(request, obj) -> bool:
        if obj is None:
            return writes_facilities(request.user)
        return may_write_facility(request.user, kind=obj.kind, town_code=obj.town_id)


@admin.register(RoadNetwork)
class RoadNetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "source_format", "node_count", "edge_count", "imported_at"]
    exclude = ["data"]
    readonly_fields = [
        "name",
        "source_format",
        "node_count",
        "edge_count",
        "imported_by",
    ]

    def has_add_permission(self, request):
        return may_import_road_network(request.user) and super().has_add_permission(
            request
        )
