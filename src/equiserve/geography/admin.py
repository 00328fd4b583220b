from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from equiserve.geography.models import NaturalVillage, Town, Village


@admin.register(Town)
class TownAdmin(admin.ModelAdmin):
    list_display = ["code", "short_name_zh", "name_en", "kind", "area_status"]
    list_filter = ["kind", "area_status"]
    search_fields = ["code", "code_12", "name_zh", "short_name_zh", "pinyin", "name_en"]
    readonly_fields = ["code", "code_12", "area_status", "area_source"]
    fieldsets = [
        (None, {"fields": ["code", "code_12", "kind"]}),
        (_("Names"), {"fields": ["name_zh", "short_name_zh", "pinyin", "name_en"]}),
        (
            _("Centre"),
            {
                "fields": [
                    "center_lon",
                    "center_lat",
                    "center_lon_gcj02",
                    "center_lat_gcj02",
                ]
            },
        ),
        (_("Area"), {"fields": ["area_status", "area_source", "area_geometry"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Codes are keys other records point at; new towns come from the reference.
        if obj is None:
            return ["area_status", "area_source"]
        return self.readonly_fields


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "kind", "town", "synthetic"]
    list_filter = ["kind", "synthetic", "town"]
    list_select_related = ["town"]
    search_fields = ["code", "name_zh", "name_en"]
    readonly_fields = ["code", "town", "synthetic"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields


@admin.register(NaturalVillage)
class NaturalVillageAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "village", "synthetic"]
    list_filter = ["synthetic", "village__town"]
    list_select_related = ["village"]
    search_fields = ["code", "name_zh", "name_en", "village__name_zh"]
    readonly_fields = ["code", "village", "synthetic"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields
