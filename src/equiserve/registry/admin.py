from django.contrib import admin

from equiserve.registry.models import Household, Person


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ["key", "town", "village", "floor_area_m2", "annual_income"]
    list_filter = ["town"]
    search_fields = ["key"]
    raw_id_fields = ["village"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["key", "name", "town", "hukou", "birth_date"]
    list_filter = ["town", "hukou", "school_stage"]
    search_fields = ["key", "name"]
    raw_id_fields = ["household", "guardian", "village"]
