from django.contrib import admin

from equiserve.facilities.models import Facility, RoadNetwork


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
